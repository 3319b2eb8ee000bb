"""The administrator's outbox page: every state visible, a failed message sent again."""

import threading

import pytest

from netvaerk.extensions import db
from netvaerk.tasks import outbox
from netvaerk.tasks.models import OutboxMessage
from netvaerk.tasks.queue import get_huey

from ..conftest import csrf_token_from
from .smtpserver import SmtpServer


def _message(status, subject, **fields):
    message = OutboxMessage(
        kind="activities.invitation",
        message_id=f"<{subject}@example.org>",
        sender="netvaerk@example.org",
        recipients="lone@example.org",
        subject=subject,
        body="Hej",
        status=status,
        **fields,
    )
    db.session.add(message)
    return message


def test_the_admin_sees_queued_sent_and_failed_mail_and_resends_a_failed_one(app, client, login_as):
    app.config["NETVAERK_SMTP_HOST"] = "127.0.0.1"
    _message("queued", "Venter")
    _message("sent", "Sendt")
    failed = _message("failed", "Fejlet", last_error="550 No such user")
    db.session.commit()
    failed_id = failed.id
    login_as("admin")
    page = client.get("/admin/outbox/").get_data(as_text=True)
    for text in ("Udbakke", "Venter", "Sendt", "Fejlet", "550 No such user", "Invitation"):
        assert text in page
    assert "Fejlede (1)" in page and "Send igen" in page
    only_failed = client.get("/admin/outbox/?status=failed").get_data(as_text=True)
    assert "Fejlet" in only_failed and "Venter" not in only_failed

    response = client.post(
        f"/admin/outbox/{failed_id}/resend",
        data={"csrf_token": csrf_token_from(page)},
        follow_redirects=True,
    )
    assert "Beskeden er sat i kø igen." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(OutboxMessage, failed_id).status == "queued"
    # Only a failed message can be resent; a second click changes nothing.
    again = client.post(
        f"/admin/outbox/{failed_id}/resend",
        data={"csrf_token": csrf_token_from(page)},
        follow_redirects=True,
    )
    assert "Kun en besked, der er fejlet, kan sendes igen." in again.get_data(as_text=True)


def test_the_page_in_english(app, client, login_as):
    login_as("admin")
    token = csrf_token_from(client.get("/admin/outbox/").get_data(as_text=True))
    client.post("/language", data={"lang": "en", "csrf_token": token})
    page = client.get("/admin/outbox/").get_data(as_text=True)
    assert "Outbox" in page and "No messages." in page


def test_an_unknown_state_shows_all_and_an_unknown_message_is_404(app, client, login_as):
    login_as("admin")
    assert client.get("/admin/outbox/?status=nonsense").status_code == 200
    page = client.get("/admin/outbox/").get_data(as_text=True)
    response = client.post("/admin/outbox/99999/resend", data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 404


@pytest.mark.commits
def test_a_real_worker_on_the_sqlite_queue_delivers_mail_after_the_commit(app, tmp_path):
    """The web side enqueues after its commit; a Huey consumer (SQLite storage) delivers."""
    server = SmtpServer()
    server.start()
    app.config.update(
        NETVAERK_SMTP_HOST="127.0.0.1",
        NETVAERK_SMTP_PORT=server.port,
        NETVAERK_QUEUE_URL="sqlite:///" + str(tmp_path / "queue.sqlite"),
    )
    consumer = get_huey(app).create_consumer(workers=1, worker_type="thread", periodic=False)
    consumer.start()
    try:
        outbox.queue_mail("test.kind", ["lone@example.org"], "Via the queue", "Body")
        db.session.commit()  # enqueues the delivery task
        received = server.mailbox.wait_for(1, seconds=15)
        assert [m["Subject"] for m in received] == ["Via the queue"]
    finally:
        consumer.stop(graceful=True)
        for thread in threading.enumerate():
            if thread.name.startswith("Worker") or thread.name == "Scheduler":
                thread.join(5)
        server.stop()
    db.session.expire_all()
    assert db.session.scalars(db.select(OutboxMessage.status)).all() == ["sent"]
