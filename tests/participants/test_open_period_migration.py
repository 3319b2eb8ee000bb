"""Migration 0020 repairs what the status race left (extra open periods, repeated status
changes), adds the one-open-period index, and goes down and up again (SQLite, PostgreSQL)."""

import os
import uuid
from datetime import date, time

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from netvaerk import create_app
from netvaerk.extensions import db

from ..evaluations.test_migration import _insert

BEFORE = "0017_report_indexes"
INDEX = "uq_netvaerk_participation_period_open"


def _period(c, pid, person, start, end=None, outcome=None):
    _insert(
        c,
        "netvaerk_participation_period",
        id=pid,
        participant_id=person,
        network_id=1,
        start_date=start,
        end_date=end,
        outcome=outcome,
    )


def _change(c, cid, person, status, on):
    _insert(
        c, "netvaerk_status_change", id=cid, participant_id=person, status=status, changed_on=on
    )


def _seed(c) -> None:
    """Person 1: eight open periods from a "start" race. Person 2: a leave race on a start
    race (one period closed, two still open) and repeated "left" changes. Person 3: a
    proper return (two periods, the last open), which must stay as it is."""
    _insert(c, "netvaerk_network", id=1, name="Net", meeting_end=time(12, 0))
    for person, status in ((1, "active"), (2, "left"), (3, "active")):
        _insert(c, "netvaerk_participant", id=person, network_id=1, status=status)
    for n in range(8):
        _period(c, 10 + n, 1, date(2026, 3, 2))
        _insert(c, "netvaerk_record_key", period_id=10 + n, key=n)
    _period(c, 20, 2, date(2026, 3, 2))
    _period(c, 21, 2, date(2026, 3, 2), date(2026, 4, 1), "education")
    _period(c, 22, 2, date(2026, 3, 2))
    _period(c, 30, 3, date(2025, 1, 6), date(2025, 6, 30), "stopped")
    _period(c, 31, 3, date(2026, 1, 5))
    _insert(c, "netvaerk_monthly_report", id=1, network_id=1, year=2026, month=3, figures={})
    for cid, person, status, on in (
        (1, 1, "intake", date(2026, 2, 1)),
        (2, 1, "active", date(2026, 3, 2)),
        (3, 1, "active", date(2026, 3, 2)),
        (4, 2, "active", date(2026, 3, 2)),
        (5, 2, "left", date(2026, 4, 1)),
        (6, 2, "left", date(2026, 4, 1)),
        (7, 2, "left", date(2026, 4, 1)),
        (8, 3, "active", date(2025, 1, 6)),
        (9, 3, "left", date(2025, 6, 30)),
        (10, 3, "active", date(2026, 1, 5)),
    ):
        _change(c, cid, person, status, on)


def _ids(c, sql: str) -> list:
    return [tuple(row) for row in c.execute(sa.text(sql))]


def _migrate(url: str, tmp_path, capfd) -> None:
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
        upgrade(revision=BEFORE)
        with db.engine.begin() as c:
            _seed(c)
        capfd.readouterr()
        upgrade()
        told = capfd.readouterr().err  # alembic's log goes to stderr
        with db.engine.begin() as c:
            periods = _ids(
                c, "SELECT id, end_date IS NULL FROM netvaerk_participation_period ORDER BY id"
            )
            assert [p for p, _ in periods] == [10, 21, 30, 31]
            assert _ids(c, "SELECT period_id FROM netvaerk_record_key") == [(10,)]
            changes = _ids(c, "SELECT id FROM netvaerk_status_change ORDER BY id")
            assert [n for (n,) in changes] == [1, 2, 4, 5, 8, 9, 10]
            with pytest.raises(sa.exc.IntegrityError):
                with c.begin_nested():
                    _period(c, 40, 3, date(2026, 2, 1))
        # The closed March 2026 counted the duplicates: the log says to reopen it.
        assert "closed month (1, 2026, 3)" in told, told
        names = {
            i["name"] for i in sa.inspect(db.engine).get_indexes("netvaerk_participation_period")
        }
        assert INDEX in names
        downgrade(revision=BEFORE)
        names = {
            i["name"] for i in sa.inspect(db.engine).get_indexes("netvaerk_participation_period")
        }
        assert INDEX not in names
        upgrade()
        db.session.remove()
        db.engine.dispose()


def test_migration_repairs_duplicates_on_sqlite(tmp_path, capfd):
    _migrate("sqlite:///" + str(tmp_path / "migrated.sqlite"), tmp_path, capfd)


@pytest.mark.postgres
def test_migration_repairs_duplicates_on_postgresql(tmp_path, capfd):
    base = os.environ.get("NETVAERK_TEST_DATABASE_URL", "")
    if not base.startswith("postgresql"):
        pytest.skip("NETVAERK_TEST_DATABASE_URL is not set to PostgreSQL")
    name = f"netvaerk_migr_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        _migrate(base.rsplit("/", 1)[0] + "/" + name, tmp_path, capfd)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
