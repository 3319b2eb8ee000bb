"""The example intranet of examples/intranet with netvaerk mounted in it, on a fresh database
(SQLite, or a new PostgreSQL database when NETVAERK_TEST_DATABASE_URL names one)."""

from __future__ import annotations

import importlib.util
import os
import sys
import uuid
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "intranet"


def _compile_catalogues() -> None:
    """The example's .mo files, as `make setup` compiles them."""
    for po_path in EXAMPLE.glob("translations/*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po, mo_path.open("wb") as mo:
            write_mo(mo, read_po(po))


def load_example():
    """Import examples/intranet/intranet.py (it is not a package)."""
    spec = importlib.util.spec_from_file_location("intranet_example", EXAMPLE / "intranet.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["intranet_example"] = module  # SQLAlchemy resolves annotations through it
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def intranet_module():
    """The example intranet's module, loaded once."""
    _compile_catalogues()
    return load_example()


@pytest.fixture
def fresh_database_url(tmp_path):
    """An empty database of its own for this test."""
    base = os.environ.get("NETVAERK_TEST_DATABASE_URL", "")
    if not base.startswith("postgresql"):
        yield "sqlite:///" + str(tmp_path / "intranet.sqlite")
        return
    name = f"netvaerk_intranet_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def make_intranet(intranet_module, fresh_database_url):
    """Build the intranet on the fresh database; both sets of migrations applied."""
    made = []

    def make(**config):
        app = intranet_module.create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "intranet-test",
                "SQLALCHEMY_DATABASE_URI": fresh_database_url,
                "NETVAERK_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                **config,
            }
        )
        made.append(app)
        with app.app_context():
            upgrade(directory=str(EXAMPLE / "migrations"))
        result = app.test_cli_runner().invoke(args=["netvaerk", "upgrade-db"])
        assert result.exit_code == 0, result.output
        return app

    yield make
    for app in made:
        with app.app_context():
            intranet_module.db.session.remove()
            intranet_module.db.engine.dispose()
