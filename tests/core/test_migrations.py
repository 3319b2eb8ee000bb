"""The migrations build the schema from empty and agree with the models."""

import os
import uuid

import pytest
from flask_migrate import check, upgrade
from sqlalchemy import create_engine, inspect, text

from netvaerk import create_app
from netvaerk.extensions import db


def _upgrade_and_compare(url: str, tmp_path) -> None:
    app = create_app(
        {
            "TESTING": True,
            "NETVAERK_DATABASE_URL": url,
            "SQLALCHEMY_DATABASE_URI": url,
            "NETVAERK_INSTANCE_PATH": str(tmp_path),
            "SECRET_KEY": "x",
        }
    )
    with app.app_context():
        upgrade()
        tables = inspect(db.engine).get_table_names()
        assert "netvaerk_alembic_version" in tables
        assert "alembic_version" not in tables
        assert all(name.startswith("netvaerk_") for name in tables)
        check()  # autogenerate finds no difference, else it exits with an error
        db.session.remove()
        db.engine.dispose()


def test_migrations_build_the_schema_on_sqlite(tmp_path):
    _upgrade_and_compare("sqlite:///" + str(tmp_path / "migrated.sqlite"), tmp_path)


@pytest.mark.postgres
@pytest.mark.postgres
def test_migrations_build_the_schema_on_postgresql(tmp_path):
    base = os.environ.get("NETVAERK_TEST_DATABASE_URL", "")
    if not base.startswith("postgresql"):
        pytest.skip("NETVAERK_TEST_DATABASE_URL is not set to PostgreSQL")
    name = f"netvaerk_migr_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        _upgrade_and_compare(base.rsplit("/", 1)[0] + "/" + name, tmp_path)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
