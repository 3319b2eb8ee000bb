"""Migration 0008 on data from before: old anonymous answers re-inserted with new keys in one
batch, used links gone, the absence reason "ill" become "personal", and back down again without
turning "personal" into "ill" (SQLite and PostgreSQL)."""

import os
import uuid
from datetime import date, datetime, time

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from netvaerk import create_app
from netvaerk.extensions import db


def _value(column: sa.Column):
    """A plain value of the column's type, for NOT NULL columns a test does not care about."""
    kind = column["type"]
    if isinstance(kind, sa.Boolean):
        return False
    if isinstance(kind, sa.Integer):
        return 1
    if isinstance(kind, sa.DateTime):
        return datetime(2026, 1, 1, 9, 0)
    if isinstance(kind, sa.Date):
        return date(2026, 1, 1)
    if isinstance(kind, sa.Time):
        return time(9, 0)
    if isinstance(kind, sa.JSON):
        return []
    return "x"


def _insert(connection, table: str, **values) -> None:
    columns = sa.inspect(connection).get_columns(table)
    types = {column["name"]: column["type"] for column in columns}
    for column in columns:
        if column["name"] not in values and not column["nullable"]:
            if column["name"] == "id" and column.get("autoincrement") is not False:
                if isinstance(column["type"], sa.Integer):
                    continue
            values[column["name"]] = _value(column)
    names = ", ".join(values)
    marks = ", ".join(f":{name}" for name in values)
    statement = sa.text(f"INSERT INTO {table} ({names}) VALUES ({marks})").bindparams(
        *(sa.bindparam(name, type_=types[name]) for name in values)
    )
    connection.execute(statement, values)


def _migrate_with_old_data(url: str, tmp_path) -> None:
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
        upgrade(revision="0006_stats")
        with db.engine.begin() as c:
            _insert(c, "netvaerk_network", id=1, name="Net", meeting_end=time(12, 0))
            _insert(c, "netvaerk_participant", id=1, network_id=1, status="left")
            _insert(c, "netvaerk_meeting", id=1, network_id=1, end_time=time(12, 0))
            _insert(
                c,
                "netvaerk_attendance",
                id=1,
                meeting_id=1,
                participant_id=1,
                status="notified",
                source="register",
                absence_reason="ill",
            )
            _insert(c, "netvaerk_evaluation_form", id=1, network_id=1, purpose="exit")
            _insert(c, "netvaerk_evaluation_form_version", id=1, form_id=1, network_id=1, number=1)
            _insert(c, "netvaerk_evaluation_question", id=1, version_id=1, kind="text", key="k")
            old_ids = []
            for n, outcome in enumerate(("flex_job", "stopped", None, "internship")):
                old_ids.append(f"{n:032d}")
                _insert(
                    c,
                    "netvaerk_evaluation_submission",
                    id=old_ids[-1],
                    network_id=1,
                    version_id=1,
                    year=2026,
                    month=3,
                    outcome=outcome,
                )
                _insert(
                    c,
                    "netvaerk_evaluation_answer",
                    id=f"{n + 10:032d}",
                    submission_id=old_ids[-1],
                    question_id=1,
                    text=f"svar {n}",
                    choices=None,
                )
            for n, used in enumerate((True, False)):
                _insert(
                    c,
                    "netvaerk_evaluation_answer_link",
                    id=n + 1,
                    network_id=1,
                    form_id=1,
                    participant_id=1,
                    token_hash=f"hash{n}",
                    used=used,
                )
        upgrade()
        with db.engine.connect() as c:
            reason = c.execute(sa.text("SELECT absence_reason FROM netvaerk_attendance")).scalar()
            assert reason == "personal"
            links = c.execute(sa.text("SELECT used FROM netvaerk_evaluation_answer_link")).all()
            assert [bool(row.used) for row in links] == [False]
            rows = c.execute(
                sa.text(
                    "SELECT s.id, s.outcome, s.outcome_group, a.text FROM "
                    "netvaerk_evaluation_submission s JOIN netvaerk_evaluation_answer a "
                    "ON a.submission_id = s.id"
                )
            ).all()
            counts = [
                c.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar()
                for t in ("netvaerk_evaluation_submission", "netvaerk_evaluation_answer")
            ]
            assert counts == [4, 4]
            assert not {row.id for row in rows} & set(old_ids)
            # Internship is work or education, as in the statistics (0018).
            assert {(row.outcome, row.outcome_group, row.text) for row in rows} == {
                ("flex_job", "work_or_education", "svar 0"),
                ("stopped", "other", "svar 1"),
                (None, None, "svar 2"),
                ("internship", "work_or_education", "svar 3"),
            }
        db.session.remove()
        db.engine.dispose()


def test_migration_0008_on_sqlite(tmp_path):
    _migrate_with_old_data("sqlite:///" + str(tmp_path / "old.sqlite"), tmp_path)


@pytest.mark.postgres
def test_migration_0008_on_postgresql(tmp_path):
    base = os.environ.get("NETVAERK_TEST_DATABASE_URL", "")
    if not base.startswith("postgresql"):
        pytest.skip("NETVAERK_TEST_DATABASE_URL is not set to PostgreSQL")
    name = f"netvaerk_m8_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        _migrate_with_old_data(base.rsplit("/", 1)[0] + "/" + name, tmp_path)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_downgrading_0008_invents_no_illness(tmp_path):
    """Going back below 0008 does not turn "personal reasons" into "ill" (health data nobody
    recorded): the old code's "other" is the truthful reason."""
    url = f"sqlite:///{tmp_path / 'down.db'}"
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
        upgrade(revision="0008_anonymity")
        with db.engine.begin() as c:
            _insert(c, "netvaerk_network", id=1, name="Net", meeting_end=time(12, 0))
            for person in (1, 2):
                _insert(c, "netvaerk_participant", id=person, network_id=1, status="active")
            _insert(c, "netvaerk_meeting", id=1, network_id=1, end_time=time(12, 0))
            for n, reason in enumerate(("personal", "course"), start=1):
                _insert(
                    c,
                    "netvaerk_attendance",
                    id=n,
                    meeting_id=1,
                    participant_id=n,
                    status="notified",
                    source="register",
                    absence_reason=reason,
                )
        downgrade(revision="0007_record_keys")
        with db.engine.connect() as c:
            reasons = c.execute(
                sa.text("SELECT absence_reason FROM netvaerk_attendance ORDER BY id")
            ).scalars()
            assert list(reasons) == ["other", "course"]
        db.session.remove()
        db.engine.dispose()
