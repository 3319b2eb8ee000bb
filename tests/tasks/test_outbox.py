"""The mail outbox against a real SMTP server: written with the change, delivered once, retried
while the server is down, slow servers and refused addresses handled, nothing lost."""

from datetime import timedelta

import pytest

from netvaerk.extensions import db
from netvaerk.tasks import outbox
from netvaerk.tasks.models import OutboxMessage
from netvaerk.tasks.queue import run_job
from netvaerk.timeutil import utcnow

from .smtpserver import SmtpServer


@pytest.fixture
def smtp(app):
    """A running SMTP server the app sends to."""
    server = SmtpServer()
    server.start()
    app.config.update(
        NETVAERK_SMTP_HOST="127.0.0.1",
        NETVAERK_SMTP_PORT=server.port,
        NETVAERK_MAIL_SENDER="netvaerk@example.org",
    )
    yield server
    server.stop()


def _queue(to, subject="Hello", body="A message."):
    message = outbox.queue_mail("test.kind", to, subject, body)
    db.session.commit()
    return message.id


def _state(message_id):
    db.session.expire_all()
    return db.session.get(OutboxMessage, message_id)


def test_a_queued_message_is_delivered_once_with_its_message_id(app, smtp):
    message_id = _queue(["lone@example.org", "bo@example.org"], "Invitation", "Ærlig talt.")
    assert outbox.deliver_due(utcnow()) == {"sent": 1}
    (received,) = smtp.mailbox.wait_for(1)
    stored = _state(message_id)
    assert received["Message-ID"] == stored.message_id
    assert received["Subject"] == "Invitation"
    assert received.get_payload(decode=True).decode().strip() == "Ærlig talt."
    assert smtp.mailbox.envelopes == [["lone@example.org", "bo@example.org"]]
    assert (stored.status, stored.attempts, stored.last_error) == ("sent", 1, None)
    assert outbox.deliver_due(utcnow() + timedelta(hours=1)) == {}
    assert len(smtp.mailbox.messages) == 1


def test_a_subject_with_line_breaks_becomes_one_line(app, smtp):
    _queue(["a@example.org"], "Cancelled:\r\nBcc: x@example.org")
    assert outbox.deliver_due(utcnow()) == {"sent": 1}
    (received,) = smtp.mailbox.wait_for(1)
    assert received["Subject"] == "Cancelled: Bcc: x@example.org" and received["Bcc"] is None
    assert smtp.mailbox.envelopes == [["a@example.org"]]


def test_a_rolled_back_change_sends_nothing(app, smtp):
    with db.session.begin_nested():
        outbox.queue_mail("test.kind", ["lone@example.org"], "Never", "Rolled back.")
        db.session.rollback()
    db.session.commit()
    assert db.session.query(OutboxMessage).count() == 0
    assert outbox.deliver_due(utcnow()) == {}
    assert smtp.mailbox.messages == []


def test_no_mail_is_written_without_a_mail_server(app):
    assert outbox.queue_mail("test.kind", ["lone@example.org"], "S", "B") is None
    assert db.session.query(OutboxMessage).count() == 0


def test_a_server_down_for_a_while_gets_every_message_once_when_it_is_back(app, smtp):
    smtp.stop()
    first = _queue(["a@example.org"], "First")
    now = utcnow()
    assert outbox.deliver_due(now) == {"queued": 1}
    waiting = _state(first)
    assert waiting.attempts == 1 and "ConnectionRefusedError" in waiting.last_error
    assert waiting.next_attempt_at == now + timedelta(minutes=1)
    # More changes while it is down; a tick before the back-off ends tries nothing.
    second, third = _queue(["b@example.org"], "Second"), _queue(["c@example.org"], "Third")
    assert outbox.deliver_due(now + timedelta(seconds=30)) == {"queued": 2}
    assert outbox.deliver_due(now + timedelta(seconds=31)) == {}
    later = now + timedelta(hours=5)
    assert outbox.deliver_due(later) == {"queued": 3}
    assert _state(first).next_attempt_at == later + timedelta(minutes=2)

    smtp.start()
    assert outbox.deliver_due(later + timedelta(minutes=2)) == {"sent": 3}
    received = smtp.mailbox.wait_for(3)
    assert sorted(m["Subject"] for m in received) == ["First", "Second", "Third"]
    assert outbox.deliver_due(later + timedelta(hours=1)) == {}
    assert len(smtp.mailbox.messages) == 3
    assert {_state(i).status for i in (first, second, third)} == {"sent"}


def test_retries_go_on_for_the_retry_period_then_the_message_fails(app, smtp):
    smtp.stop()
    message_id = _queue(["a@example.org"])
    start = _state(message_id).queued_at
    assert outbox.deliver_due(start + timedelta(hours=47)) == {"queued": 1}
    assert outbox.deliver_due(start + timedelta(hours=48)) == {"failed": 1}
    failed = _state(message_id)
    assert failed.status == "failed" and failed.last_error.startswith("Gave up after 2 attempts")


def test_backoff_doubles_up_to_an_hour():
    assert [outbox.backoff(n).seconds // 60 for n in (1, 2, 3, 6, 7, 8, 20)] == [
        1,
        2,
        4,
        32,
        60,
        60,
        60,
    ]


def test_a_slow_server_within_the_timeout_gets_the_message(app, smtp):
    smtp.mailbox.delay = 0.3
    app.config["NETVAERK_SMTP_TIMEOUT"] = 3
    message_id = _queue(["a@example.org"])
    assert outbox.deliver_due(utcnow()) == {"sent": 1}
    assert len(smtp.mailbox.messages) == 1 and _state(message_id).status == "sent"


def test_a_timeout_after_the_message_was_handed_over_never_sends_a_second_copy(app, smtp):
    smtp.mailbox.delay = 0.8  # answers after the sender stopped waiting
    app.config["NETVAERK_SMTP_TIMEOUT"] = 0.2
    message_id = _queue(["a@example.org"])
    assert outbox.deliver_due(utcnow()) == {"failed": 1}
    stored = _state(message_id)
    assert stored.handed_over_at is not None
    assert stored.last_error.startswith("The server did not confirm the message")
    assert len(smtp.mailbox.messages) == 1  # the server did take it
    assert outbox.deliver_due(utcnow() + timedelta(hours=3)) == {}
    assert len(smtp.mailbox.messages) == 1


def test_a_refused_recipient_or_a_bad_address_fails_that_message_and_others_still_go(app, smtp):
    smtp.mailbox.refuse = {"gone@example.org"}
    refused = _queue(["gone@example.org"], "Refused")
    bad = _queue(["not an address"], "Bad")
    partly = _queue(["gone@example.org", "here@example.org"], "Partly")
    fine = _queue(["ok@example.org"], "Fine")
    assert outbox.deliver_due(utcnow()) == {"failed": 2, "sent": 2}
    assert sorted(m["Subject"] for m in smtp.mailbox.wait_for(2)) == ["Fine", "Partly"]
    assert smtp.mailbox.envelopes[
        [m["Subject"] for m in smtp.mailbox.messages].index("Partly")
    ] == ["here@example.org"]
    assert "550" in _state(refused).last_error and _state(refused).status == "failed"
    assert "not an address" in _state(bad).last_error and _state(bad).status == "failed"
    assert "gone@example.org" in _state(partly).last_error
    assert _state(fine).last_error is None


def test_only_one_worker_can_claim_a_message(app, smtp):
    message_id = _queue(["a@example.org"])
    now = utcnow()
    assert outbox.claim(message_id, now) is True
    assert outbox.claim(message_id, now) is False
    assert outbox.deliver(message_id, now) is None  # claimed: not sent by a second worker
    assert smtp.mailbox.messages == []


def test_a_worker_killed_mid_send_is_recovered_without_a_second_copy(app, smtp):
    before = _queue(["a@example.org"], "Before the hand-over")
    after = _queue(["b@example.org"], "After the hand-over")
    now = utcnow()
    assert outbox.claim(before, now) and outbox.claim(after, now)
    _state(after).handed_over_at = now
    db.session.commit()
    # Nothing happens while the lease runs; then the worker counts as dead.
    assert outbox.deliver_due(now + timedelta(minutes=1)) == {}
    assert outbox.deliver_due(now + timedelta(minutes=10)) == {"sent": 1}
    assert [m["Subject"] for m in smtp.mailbox.wait_for(1)] == ["Before the hand-over"]
    assert _state(after).status == "failed"
    assert "may have been delivered" in _state(after).last_error


def test_resending_a_failed_message_queues_it_with_the_same_message_id(app, smtp):
    smtp.mailbox.refuse = {"x@example.org"}
    message_id = _queue(["x@example.org"])
    outbox.deliver_due(utcnow())
    assert _state(message_id).status == "failed"
    smtp.mailbox.refuse = set()
    outbox.resend(_state(message_id), utcnow())
    db.session.commit()
    assert outbox.deliver_due(utcnow()) == {"sent": 1}
    (received,) = smtp.mailbox.wait_for(1)
    assert received["Message-ID"] == _state(message_id).message_id


def test_old_sent_and_failed_mail_is_cleaned_up_each_night(app, smtp):
    old, recent, waiting = (_queue([f"{n}@example.org"], n) for n in ("old", "recent", "waiting"))
    outbox.deliver_due(utcnow())
    now = utcnow()
    for message_id in (old, waiting):
        db.session.get(OutboxMessage, message_id).created_at = now - timedelta(days=91)
    db.session.get(OutboxMessage, waiting).status = "queued"
    db.session.commit()
    assert run_job("outbox.clean_up", now.date(), now) is True
    db.session.expire_all()
    assert _state(old) is None
    assert _state(recent).status == "sent" and _state(waiting).status == "queued"
