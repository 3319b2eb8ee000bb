"""Reminders through the outbox to a real SMTP server: a server that is down gets every
reminder once when it is back, a rolled-back change sends none, a refused or bad address fails
with its reason while the others go, and a job that dies half-way runs again without copies."""

from datetime import date, datetime, timedelta

import pytest

from netvaerk.activities import services as activities
from netvaerk.extensions import db
from netvaerk.reminders import services as reminder_services
from netvaerk.tasks import outbox
from netvaerk.tasks.models import JobRun, OutboxMessage
from netvaerk.tasks.queue import run_job
from netvaerk.timeutil import utcnow
from tests.factories import make_activity, make_signup, make_user
from tests.tasks.smtpserver import SmtpServer

AT_TEN = datetime(2026, 11, 4, 9, 0)  # Wednesday 4 November, 10:00 in Copenhagen
THURSDAY = date(2026, 11, 5)


@pytest.fixture
def smtp(app):
    server = SmtpServer()
    server.start()
    app.config.update(
        NETVAERK_SMTP_HOST="127.0.0.1",
        NETVAERK_SMTP_PORT=server.port,
        NETVAERK_MAIL_SENDER="netvaerk@example.org",
    )
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    from netvaerk.reminders import notices

    monkeypatch.setattr(notices, "local_today", lambda: date(2026, 11, 1))


def _helpers(network, *addresses):
    activity = make_activity(network, THURSDAY, needed=len(addresses), title="CV-værksted")
    people = [make_user("facilitator", network, email=a) for a in addresses]
    for person in people:
        make_signup(activity, person)
    return activity, people


def _statuses():
    db.session.expire_all()
    return {
        m.recipient_list[0]: (m.status, m.last_error)
        for m in db.session.scalars(db.select(OutboxMessage))
    }


def test_reminders_wait_while_the_server_is_down_and_go_once_when_it_is_back(app, network, smtp):
    activity, _ = _helpers(network, "a@example.org", "b@example.org")
    later = make_activity(network, date(2026, 11, 20), title="Gåtur")
    make_signup(later, make_user("facilitator", network, email="c@example.org"))
    smtp.stop()
    assert run_job("reminders.daily", AT_TEN.date(), AT_TEN) is True
    assert outbox.deliver_due(utcnow()) == {"queued": 2}
    # Changes while it is down: a cancellation, and one that is rolled back.
    activities.cancel_activity(later)
    db.session.commit()
    activities.cancel_activity(activity)
    db.session.rollback()
    assert run_job("reminders.daily", AT_TEN.date(), AT_TEN) is False  # the tick again
    assert reminder_services.daily_reminders(AT_TEN) == 0  # the job itself again
    smtp.start()
    assert outbox.deliver_due(utcnow() + timedelta(minutes=5)) == {"sent": 3}
    received = smtp.mailbox.wait_for(3)
    assert sorted(m["To"] for m in received) == ["a@example.org", "b@example.org", "c@example.org"]
    by_address = {m["To"]: m.get_payload(decode=True).decode() for m in received}
    assert "CV-værksted" in by_address["a@example.org"]
    assert "Gåtur" in by_address["c@example.org"] and "aflyst" in by_address["c@example.org"]
    assert outbox.deliver_due(utcnow() + timedelta(hours=2)) == {}
    assert len(smtp.mailbox.messages) == 3


def test_a_refused_recipient_or_a_bad_address_fails_with_its_reason_and_others_go(
    app, network, smtp
):
    _, people = _helpers(network, "good@example.org", "refused@example.org", "bad@example.org")
    people[2].email = "bad address@@example.org"
    db.session.commit()
    smtp.mailbox.refuse.add("refused@example.org")
    assert reminder_services.daily_reminders(AT_TEN) == 3
    db.session.commit()
    outbox.deliver_due(utcnow())
    states = _statuses()
    assert states["good@example.org"] == ("sent", None)
    assert states["refused@example.org"][0] == "failed"
    assert "550" in states["refused@example.org"][1]
    assert states["bad address@@example.org"][0] == "failed"
    assert "no valid address" in states["bad address@@example.org"][1]
    assert [m["To"] for m in smtp.mailbox.wait_for(1)] == ["good@example.org"]


def test_a_job_that_dies_half_way_runs_again_and_each_person_gets_one_message(
    app, network, smtp, monkeypatch
):
    _helpers(network, "a@example.org", "b@example.org")
    real_queue_mail = reminder_services.queue_mail
    written = []

    def dies_at_the_second(*args, **kwargs):
        if written:
            raise SystemExit("the worker was killed")
        written.append(args)
        return real_queue_mail(*args, **kwargs)

    monkeypatch.setattr(reminder_services, "queue_mail", dies_at_the_second)
    with pytest.raises(SystemExit):
        run_job("reminders.daily", AT_TEN.date(), AT_TEN)
    assert db.session.query(JobRun).count() == 0  # rolled back: the next tick runs it again
    assert db.session.query(OutboxMessage).count() == 0
    monkeypatch.setattr(reminder_services, "queue_mail", real_queue_mail)
    assert run_job("reminders.daily", AT_TEN.date(), AT_TEN + timedelta(minutes=1)) is True
    assert outbox.deliver_due(utcnow()) == {"sent": 2}
    assert sorted(m["To"] for m in smtp.mailbox.wait_for(2)) == ["a@example.org", "b@example.org"]
