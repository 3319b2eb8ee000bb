"""Mail choices: the account's preferences, one-click unsubscribe (RFC 8058) and what the
outbox sends with a message (extra headers, attachments) against a real SMTP server."""

from datetime import timedelta
from email import message_from_bytes
from email import policy as email_policy

import pytest
from itsdangerous import URLSafeTimedSerializer

from netvaerk.core.registry import current_registry
from netvaerk.extensions import db
from netvaerk.tasks import outbox, preferences
from netvaerk.tasks.models import MailPreference, OutboxMessage
from netvaerk.timeutil import utcnow

from ..conftest import csrf_token_from
from ..factories import make_user
from .smtpserver import SmtpServer


@pytest.fixture
def kinds(app):
    """Two kinds of mail a user can choose: one on and one off by default."""
    registry = current_registry()
    registry.message_kind(
        "test.news", "News", "Coordinators.", preference="on", roles=("coordinator",)
    )
    registry.message_kind(
        "test.digest", "Digest", "Facilitators.", preference="off", roles=("facilitator",)
    )
    registry.message_kind("test.reset", "Reset", "Anyone.")


@pytest.fixture
def smtp(app):
    server = SmtpServer()
    server.start()
    app.config.update(
        NETVAERK_SMTP_HOST="127.0.0.1",
        NETVAERK_SMTP_PORT=server.port,
        NETVAERK_MAIL_SENDER="netvaerk@example.org",
        NETVAERK_BASE_URL="https://netvaerk.example.dk",
    )
    yield server
    server.stop()


def test_a_choice_overrides_the_kinds_default(app, network, kinds):
    user = make_user("coordinator", network)
    assert preferences.wants_mail(user.id, "test.news") is True
    assert preferences.wants_mail(user.id, "test.digest") is False
    preferences.set_wanted(user.id, "test.news", False)
    preferences.set_wanted(user.id, "test.digest", True)
    preferences.set_wanted(user.id, "test.digest", True)  # twice: still one row
    assert preferences.wants_mail(user.id, "test.news") is False
    assert preferences.wants_mail(user.id, "test.digest") is True
    assert db.session.query(MailPreference).filter_by(user_id=user.id).count() == 2
    with pytest.raises(ValueError):
        preferences.wants_mail(user.id, "test.reset")  # not a choice


def test_headers_and_a_pdf_go_with_the_message_on_every_attempt(app, network, kinds, smtp):
    user = make_user("coordinator", network)
    headers = preferences.unsubscribe_headers(user.id, "test.news")
    message = outbox.queue_mail(
        "test.news",
        [user.email],
        "News",
        "Plain text.",
        headers=headers,
        attachments=[("month.pdf", "application/pdf", b"%PDF-1.7 test")],
        html="<p>Plain text.</p>",
    )
    db.session.commit()
    assert outbox.deliver_due(utcnow()) == {"sent": 1}
    (received,) = smtp.mailbox.wait_for(1)
    received = message_from_bytes(received.as_bytes(), policy=email_policy.default)
    link = str(received["List-Unsubscribe"]).strip()
    assert link.startswith("<https://netvaerk.example.dk/mail/unsubscribe/") and link.endswith(">")
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    (pdf,) = [part for part in received.iter_attachments()]
    assert pdf.get_filename() == "month.pdf" and pdf.get_content() == b"%PDF-1.7 test"
    assert received.get_body(("html",)).get_content().strip() == "<p>Plain text.</p>"
    assert received.get_body(("plain",)).get_content().strip() == "Plain text."
    assert db.session.get(OutboxMessage, message.id).attachments[0].filename == "month.pdf"


def test_a_header_cannot_replace_the_outboxs_own_or_break_the_line(app, smtp):
    with pytest.raises(ValueError):
        outbox.queue_mail("k", ["a@example.org"], "S", "B", headers={"To": "x@example.org"})
    with pytest.raises(ValueError):
        outbox.queue_mail("k", ["a@example.org"], "S", "B", headers={"X: y\r\nBcc": "z"})
    outbox.queue_mail("k", ["a@example.org"], "S", "B", headers={"X-Note": "one\r\nBcc: z"})
    db.session.commit()
    outbox.deliver_due(utcnow())
    (received,) = smtp.mailbox.wait_for(1)
    assert received["X-Note"] == "one Bcc: z" and received["Bcc"] is None


def test_one_click_post_turns_the_mail_off_without_login_or_csrf(app, client, network, kinds):
    user = make_user("coordinator", network)
    url = "/mail/unsubscribe/" + preferences.unsubscribe_token(user.id, "test.news")
    page = client.get(url)
    assert page.status_code == 200 and "News" in page.get_data(as_text=True)
    assert preferences.wants_mail(user.id, "test.news")  # a GET (a link scanner) changes nothing
    done = client.post(url)
    assert done.status_code == 200
    db.session.expire_all()
    assert preferences.wants_mail(user.id, "test.news") is False


@pytest.mark.parametrize("forgery", ["forged", "expired", "not_a_choice", "no_account"])
def test_a_forged_or_expired_link_changes_nothing(app, client, network, kinds, forgery):
    user = make_user("coordinator", network)
    good = preferences.unsubscribe_token(user.id, "test.news")
    token = {
        "forged": good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB"),
        "expired": URLSafeTimedSerializer(
            app.config["SECRET_KEY"], salt=preferences.UNSUBSCRIBE_SALT
        ).dumps([user.id, "test.news"]),
        "not_a_choice": preferences.sign([user.id, "test.reset"], preferences.UNSUBSCRIBE_SALT),
        "no_account": preferences.unsubscribe_token(user.id + 1000, "test.news"),
    }[forgery]
    if forgery == "expired":
        later = utcnow() + timedelta(days=preferences.UNSUBSCRIBE_DAYS + 1)
        import itsdangerous.timed

        original = itsdangerous.timed.TimestampSigner.get_timestamp
        itsdangerous.timed.TimestampSigner.get_timestamp = lambda self: int(later.timestamp())
        try:
            response = client.post(f"/mail/unsubscribe/{token}")
        finally:
            itsdangerous.timed.TimestampSigner.get_timestamp = original
    else:
        response = client.post(f"/mail/unsubscribe/{token}")
    assert response.status_code == 404
    assert "Nothing was changed" in response.get_data(as_text=True) or "Intet blev" in (
        response.get_data(as_text=True)
    )
    assert db.session.query(MailPreference).count() == 0


def test_the_account_page_shows_the_kinds_of_its_roles_and_saves_them(
    app, client, network, kinds, login_as
):
    user = login_as("facilitator")
    page = client.get("/account/mail").get_data(as_text=True)
    assert "Digest" in page and "News" not in page and "Reset" not in page
    response = client.post(
        "/account/mail",
        data={"csrf_token": csrf_token_from(page), "wanted": ["test.digest", "test.news"]},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert preferences.wants_mail(user.id, "test.digest") is True
    # A kind of another role sent along by hand is not stored.
    assert db.session.query(MailPreference).filter_by(kind="test.news").count() == 0


def test_links_in_a_workers_mail_use_the_base_url(app, network, kinds):
    app.config["NETVAERK_BASE_URL"] = "https://intra.example.dk/netvaerk"
    user = make_user("coordinator", network)
    url = preferences.unsubscribe_url(user.id, "test.news")
    assert url.startswith("https://intra.example.dk/netvaerk/mail/unsubscribe/")
