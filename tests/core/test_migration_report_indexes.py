"""Migration 0017 (the report's index on the wheel scorings) goes up, down and up again on
SQLite and PostgreSQL, and leaves the indexes the models declare."""

import os
import uuid

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from netvaerk import create_app
from netvaerk.extensions import db

TABLE = "netvaerk_wheel_scoring"


def _indexes() -> dict[str, list[str]]:
    return {i["name"]: i["column_names"] for i in inspect(db.engine).get_indexes(TABLE)}


def _up_down_up(url: str, tmp_path) -> None:
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
        upgrade(revision="0017_report_indexes")
        after = _indexes()
        assert after["ix_netvaerk_wheel_scoring_network_day"] == ["network_id", "scored_on"]
        assert "ix_netvaerk_wheel_scoring_network_id" not in after
        downgrade(revision="0016_personal_wheel_areas")
        before = _indexes()
        assert before["ix_netvaerk_wheel_scoring_network_id"] == ["network_id"]
        assert "ix_netvaerk_wheel_scoring_network_day" not in before
        upgrade()
        assert _indexes()["ix_netvaerk_wheel_scoring_network_day"] == ["network_id", "scored_on"]
        db.session.remove()
        db.engine.dispose()


def test_report_indexes_up_and_down_on_sqlite(tmp_path):
    _up_down_up("sqlite:///" + str(tmp_path / "migrated.sqlite"), tmp_path)


@pytest.mark.postgres
@pytest.mark.postgres
def test_report_indexes_up_and_down_on_postgresql(tmp_path):
    base = os.environ.get("NETVAERK_TEST_DATABASE_URL", "")
    if not base.startswith("postgresql"):
        pytest.skip("NETVAERK_TEST_DATABASE_URL is not set to PostgreSQL")
    name = f"netvaerk_migr_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        _up_down_up(base.rsplit("/", 1)[0] + "/" + name, tmp_path)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
