"""The task queue: one Huey per app, its three tasks, and the periodic jobs' runs.

Huey keeps the queue in a SQLite file in the instance folder by default and in Redis when
NETVAERK_QUEUE_URL says `redis://...` (several workers on one or more machines). Huey's own
schedule only knows the worker's clock, so its one periodic task is a tick every minute; the
tick asks `schedule.due_occurrence` which of the registry's jobs are due in Copenhagen time and
enqueues them. Each job writes its `JobRun` row (unique per job and day) in its own transaction,
so two workers, or two ticks, run an occurrence once.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from flask import Flask, current_app
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from ..core.registry import current_registry
from ..core.transaction import job_transaction
from ..extensions import db
from ..timeutil import utcnow
from .models import JobRun, WorkerHeartbeat
from .outbox import NEW_MAIL, deliver_due
from .schedule import due_occurrence


def queue_url(app: Flask) -> str:
    """Where the queue lives: NETVAERK_QUEUE_URL, else SQLite in the instance folder (a test
    app without the setting keeps it in memory)."""
    url = app.config.get("NETVAERK_QUEUE_URL")
    if url:
        return url
    if app.testing:
        return "memory://"
    return "sqlite:///" + str(Path(app.instance_path) / "netvaerk-queue.sqlite")


def get_huey(app: Flask | None = None) -> Huey:
    """The app's Huey, built on first use with netvaerk's tasks."""
    app = app or current_app._get_current_object()
    state = app.extensions["netvaerk"]
    if state.huey is None:
        state.huey = build_huey(app)
    return state.huey


def build_huey(app: Flask) -> Huey:
    """A Huey on the configured storage, with the tick, job and delivery tasks bound to `app`."""
    url = queue_url(app)
    name = app.config.get("NETVAERK_QUEUE_NAME") or "netvaerk"
    if url.startswith(("redis://", "rediss://", "unix://")):
        huey = RedisHuey(name, url=url)
    elif url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        huey = SqliteHuey(name, filename=url.removeprefix("sqlite:///"))
    elif url.startswith("memory://"):
        huey = MemoryHuey(name)
    else:
        raise ValueError(
            f"NETVAERK_QUEUE_URL must start with redis://, sqlite:/// or memory:// ({url!r})"
        )
    _add_tasks(huey, app)
    return huey


def _add_tasks(huey: Huey, app: Flask) -> None:
    """Bind netvaerk's tasks to `huey`; each runs in an app context of `app`."""

    @huey.periodic_task(crontab(), name="netvaerk.tick")
    def tick():
        with app.app_context():
            beat(utcnow())
            enqueue_due_jobs(huey, utcnow())
        huey.netvaerk["deliver"]()

    @huey.task(name="netvaerk.job")
    def job(name: str, day: str):
        with app.app_context():
            return run_job(name, date.fromisoformat(day), utcnow())

    @huey.task(name="netvaerk.deliver")
    def deliver():
        with app.app_context():
            return deliver_due(utcnow())

    huey.netvaerk = {"tick": tick, "job": job, "deliver": deliver}


def beat(now: datetime) -> None:
    """Write the worker's heartbeat (one row), so the start page knows a worker runs even when
    no job is due; two workers beating at once both count."""
    with job_transaction():
        try:
            with db.session.begin_nested():
                heartbeat = db.session.get(WorkerHeartbeat, 1)
                if heartbeat is None:
                    db.session.add(WorkerHeartbeat(id=1, beat_at=now))
                elif heartbeat.beat_at < now:
                    heartbeat.beat_at = now
        except (IntegrityError, OperationalError):
            db.session.rollback()  # another worker beat at the same moment: that is enough


def last_beat() -> datetime | None:
    """When a worker last ticked, or ran a job (None: never)."""
    beat_at = db.session.scalar(db.select(WorkerHeartbeat.beat_at).where(WorkerHeartbeat.id == 1))
    started = db.session.scalar(db.select(db.func.max(JobRun.started_at)))
    known = [moment for moment in (beat_at, started) if moment is not None]
    return max(known) if known else None


def enqueue_due_jobs(huey: Huey, now: datetime) -> list[tuple[str, date]]:
    """Enqueue every periodic job whose occurrence is due and has not run; returns them."""
    registry = current_registry()
    due = [(job.name, due_occurrence(job, now)) for job in registry.periodic_jobs.values()]
    due = [(name, day) for name, day in due if day is not None and not _has_run(name, day)]
    db.session.rollback()  # end the read before the jobs run: they open transactions of their own
    for name, day in due:
        huey.netvaerk["job"](name, day.isoformat())
    return due


def _has_run(name: str, day: date) -> bool:
    found = db.select(JobRun.id).where(JobRun.job == name, JobRun.occurrence == day)
    return db.session.execute(found).first() is not None


def run_job(name: str, day: date, now: datetime) -> bool:
    """Run one occurrence of a periodic job in a transaction of its own; False when another
    worker has it (or had it). A job that raises is rolled back, so a later tick retries it."""
    job = current_registry().periodic_jobs[name]
    with job_transaction():
        try:
            with db.session.begin_nested():
                db.session.add(JobRun(job=name, occurrence=day, started_at=now))
        except (IntegrityError, OperationalError):
            # The unique key: another worker ran it (or is running it and holds the lock
            # longer than the database waits).
            db.session.rollback()
            return False
        job.func(now=now)
    return True


def enqueue_delivery(app: Flask | None = None) -> None:
    """Ask a worker to deliver the outbox now. A queue that cannot be reached only delays the
    mail until the next tick of a running worker: the outbox rows are what counts."""
    app = app or current_app._get_current_object()
    try:
        get_huey(app).netvaerk["deliver"]()
    except Exception:  # noqa: BLE001 - Redis being down must never break the page
        app.logger.warning("Could not enqueue mail delivery; a worker's tick will send it")


@event.listens_for(Session, "after_commit")
def _wake_a_worker(session) -> None:
    """After a commit that wrote mail, ask a worker to deliver it now (not only at its tick)."""
    if session.info.pop(NEW_MAIL, False):
        enqueue_delivery()


@event.listens_for(Session, "after_rollback")
def _forget_new_mail(session) -> None:
    session.info.pop(NEW_MAIL, None)
