"""Two real worker processes (`flask worker`) sharing Redis run each scheduled occurrence once."""

import os
import subprocess
import sys
import time as clock
import uuid
from datetime import time, timedelta
from pathlib import Path

import pytest

from netvaerk.core.registry import PeriodicJob
from netvaerk.extensions import db
from netvaerk.tasks.models import JobRun, OutboxMessage
from netvaerk.tasks.queue import build_huey
from netvaerk.tasks.schedule import due_occurrence
from netvaerk.timeutil import to_local, utcnow
from tests.factories import make_activity, make_signup, make_user

REDIS_URL = os.environ.get("NETVAERK_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
FLASK = str(Path(sys.executable).with_name("flask"))


def _redis_or_skip():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")


def _start_worker(env: dict, log: Path) -> subprocess.Popen:
    with log.open("w") as output:
        return subprocess.Popen(
            [FLASK, "--app", "tests.tasks.worker_app:make_app", "worker", "--threads", "2"],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            cwd=Path(__file__).parents[2],
        )


def _settled(logs: list[Path]) -> bool:
    """Both workers ran their first tick and no job task is in flight."""
    lines = [line for log in logs for line in log.read_text().splitlines()]
    ticks = [line for line in lines if "netvaerk.tick:" in line and "executed in" in line]
    jobs = [line for line in lines if "netvaerk.job:" in line]
    started = sum("Executing" in line for line in jobs)
    finished = sum("executed in" in line for line in jobs)
    return len(ticks) >= 2 and started >= 2 and finished == started


def _reminders_ran() -> bool:
    db.session.expire_all()
    found = db.session.query(JobRun).filter_by(job="test.reminders").count()
    db.session.rollback()
    return found > 0


@pytest.mark.commits
def test_two_workers_on_redis_run_a_scheduled_occurrence_once(app, database_url, tmp_path, network):
    _redis_or_skip()
    # The reminders' job is one of the scheduled jobs: a facilitator with a place tomorrow.
    tomorrow = to_local(utcnow()).date() + timedelta(days=1)
    helper = make_user("facilitator", network, email="helper@example.org")
    make_signup(make_activity(network, tomorrow, title="CV-værksted"), helper)
    db.session.commit()
    name = f"netvaerk-test-{uuid.uuid4().hex[:8]}"
    app.config.update(NETVAERK_QUEUE_URL=REDIS_URL, NETVAERK_QUEUE_NAME=name)
    huey = build_huey(app)
    day = due_occurrence(PeriodicJob("test.count", print, time(0, 0), None, 25), utcnow())
    # Besides each worker's own tick, two copies of the job wait in the queue at the start.
    huey.netvaerk["job"]("test.count", day.isoformat())
    huey.netvaerk["job"]("test.count", day.isoformat())
    counts = tmp_path / "runs.txt"
    counts.touch()
    env = {
        **os.environ,
        "NETVAERK_DATABASE_URL": database_url,
        "NETVAERK_QUEUE_URL": REDIS_URL,
        "NETVAERK_QUEUE_NAME": name,
        "NETVAERK_SECRET_KEY": "worker-test",
        "NETVAERK_INSTANCE_PATH": str(tmp_path / "instance"),
        "NETVAERK_PURGE_NIGHTLY": "0",
        "NETVAERK_TEST_COUNT_FILE": str(counts),
        "NETVAERK_SMTP_HOST": "127.0.0.1",  # nothing listens there: the mail stays queued
        "NETVAERK_SMTP_PORT": "9",
        "NETVAERK_MAIL_SENDER": "netvaerk@example.org",
    }
    logs = [tmp_path / "worker1.log", tmp_path / "worker2.log"]
    workers = [_start_worker(env, log) for log in logs]
    try:
        deadline = clock.monotonic() + 90  # a loaded machine starts Python slowly
        while not (_settled(logs) and _reminders_ran()) and clock.monotonic() < deadline:
            clock.sleep(0.2)
        assert _settled(logs), "\n".join(log.read_text() for log in logs)
        assert _reminders_ran(), "\n".join(log.read_text() for log in logs)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(10)
        huey.flush()
    assert len(counts.read_text().split()) == 1
    db.session.expunge_all()
    runs = db.session.query(JobRun).filter_by(job="test.count").all()
    assert [run.occurrence for run in runs] == [day]
    reminders = db.session.query(JobRun).filter_by(job="test.reminders").all()
    assert [run.occurrence for run in reminders] == [day]
    mail = db.session.query(OutboxMessage).all()
    assert [(m.kind, m.recipient_list) for m in mail] == [
        ("reminders.facilitator_tomorrow", ["helper@example.org"])
    ]
