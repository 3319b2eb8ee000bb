"""The task queue: jobs declared in the registry run once per occurrence, in a transaction of
their own, and the nightly retention clean-up is one of them."""

from datetime import date, datetime, time, timedelta

import pytest

from netvaerk.audit.models import AuditEvent
from netvaerk.core.registry import current_registry
from netvaerk.extensions import db
from netvaerk.participants.models import Participant
from netvaerk.privacy.retention import months_before
from netvaerk.tasks.models import JobRun
from netvaerk.tasks.queue import enqueue_due_jobs, get_huey, run_job
from tests.factories import make_participant


def _count_job(app, calls: list, fail: bool = False):
    def job(now):
        calls.append(now)
        db.session.add(AuditEvent(action="test.job", detail=str(now)))
        db.session.flush()
        if fail:
            raise RuntimeError("the job broke")

    app.extensions["netvaerk"].registry.periodic_job("test.count", job, at=time(10, 0))


def test_an_occurrence_runs_once_however_often_it_is_started(app):
    calls = []
    _count_job(app, calls)
    now = datetime(2026, 11, 2, 9, 0)
    assert run_job("test.count", date(2026, 11, 2), now) is True
    assert run_job("test.count", date(2026, 11, 2), now) is False
    assert run_job("test.count", date(2026, 11, 3), now) is True
    assert len(calls) == 2
    assert db.session.query(JobRun).filter_by(job="test.count").count() == 2


def test_a_job_that_fails_is_rolled_back_and_runs_again_later(app):
    calls = []
    _count_job(app, calls, fail=True)
    with pytest.raises(RuntimeError):
        run_job("test.count", date(2026, 11, 2), datetime(2026, 11, 2, 9, 0))
    assert db.session.query(JobRun).count() == 0
    assert db.session.query(AuditEvent).filter_by(action="test.job").count() == 0
    _count_job(app, calls)  # registered once: still the failing one
    current_registry().periodic_jobs.pop("test.count")
    _count_job(app, calls)
    assert run_job("test.count", date(2026, 11, 2), datetime(2026, 11, 2, 9, 1)) is True
    assert db.session.query(AuditEvent).filter_by(action="test.job").count() == 1


def test_the_tick_enqueues_only_due_jobs_that_have_not_run(app):
    calls = []
    _count_job(app, calls)
    huey = get_huey(app)
    huey.immediate = True  # run each enqueued task at once, in this process
    try:
        before = datetime(2026, 11, 2, 8, 59)  # 09:59 in Copenhagen
        assert ("test.count", date(2026, 11, 2)) not in enqueue_due_jobs(huey, before)
        at = datetime(2026, 11, 2, 9, 0)
        assert ("test.count", date(2026, 11, 2)) in enqueue_due_jobs(huey, at)
        assert ("test.count", date(2026, 11, 2)) not in enqueue_due_jobs(huey, at)
    finally:
        huey.immediate = False
    assert len(calls) == 1


def test_the_retention_clean_up_is_a_nightly_job_on_by_default(app, network):
    job = current_registry().periodic_jobs["privacy.purge"]
    assert job.at == time(3, 30)
    today = date(2026, 11, 2)
    gone = make_participant(network, status="left", start=date(2020, 1, 1))
    gone.periods[0].end_date = months_before(today, 13) - timedelta(days=1)
    kept = make_participant(network)
    db.session.commit()
    gone_id, kept_id = gone.id, kept.id

    huey = get_huey(app)
    huey.immediate = True
    try:
        enqueue_due_jobs(huey, datetime(2026, 11, 2, 2, 30))  # 03:30 in Copenhagen
    finally:
        huey.immediate = False
    db.session.expunge_all()
    assert db.session.get(Participant, gone_id) is None
    assert db.session.get(Participant, kept_id) is not None
    assert db.session.query(AuditEvent).filter_by(action="privacy.purge").count() == 1
    assert db.session.query(JobRun).filter_by(job="privacy.purge").one().occurrence == today


def test_the_nightly_clean_up_can_be_turned_off(app, network):
    app.config["NETVAERK_PURGE_NIGHTLY"] = "0"
    gone = make_participant(network, status="left", start=date(2020, 1, 1))
    gone.periods[0].end_date = date(2021, 1, 1)
    db.session.commit()
    assert run_job("privacy.purge", date(2026, 11, 2), datetime(2026, 11, 2, 2, 30)) is True
    assert db.session.query(Participant).count() == 1
    assert db.session.query(AuditEvent).filter_by(action="privacy.purge").count() == 0
