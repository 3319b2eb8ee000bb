"""The monthly summary, delivered: closing a month writes one mail per steering member whose
networks have all closed it, in their language, with the page's protected headline figures, a
link and the PDF with its charts; opting out, a rolled-back close and a network still open
send nothing; a revision sends a notice naming its reason; a real SMTP server gets each once."""

import re
from datetime import datetime
from email import message_from_bytes, policy
from email.message import Message
from urllib.parse import urlsplit

import pytest

from netvaerk.core.models import Membership
from netvaerk.extensions import db
from netvaerk.stats import summary
from netvaerk.stats.models import MonthlyReport
from netvaerk.tasks import outbox, preferences
from netvaerk.tasks.models import OutboxMessage
from netvaerk.timeutil import local_today, utcnow

from ..conftest import CSRF_RE, log_in
from ..factories import make_network, make_user
from ..tasks.smtpserver import SmtpServer
from .test_pdf_charts import BAR_FILL, no_pango, page_trend, pdf_text_and_drawing  # noqa: F401


@pytest.fixture(autouse=True)
def april_2026(monkeypatch):
    """Today is 15 April 2026."""
    monkeypatch.setattr("netvaerk.timeutil.local_now", lambda: datetime(2026, 4, 15, 10, 0))


@pytest.fixture
def smtp(app):
    """A running SMTP server the app sends to."""
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


def _member(network, locale=None, email=None):
    user = make_user("steering", network, email=email)
    user.locale = locale
    db.session.commit()
    return user


def _post(app, user, url, data=None, token_from=None):
    """POST as `user` from a client of their own, with the CSRF token of `token_from`."""
    client = app.test_client()
    log_in(client, user.email)
    page = client.get(token_from or "/stats/2026/3").get_data(as_text=True)
    response = client.post(url, data={"csrf_token": CSRF_RE.search(page)[1], **(data or {})})
    assert response.status_code in (302, 303), response.status_code
    return response


def _close(app, coordinator):
    _post(app, coordinator, "/stats/2026/3/close")


def _queued(kind=summary.SUMMARY) -> dict[str, OutboxMessage]:
    db.session.expire_all()
    rows = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.kind == kind)).all()
    return {row.recipients: row for row in rows}


def _delivered(smtp, count) -> dict[str, Message]:
    """The messages the server received since the last call, by recipient (headers decoded)."""
    before = len(smtp.mailbox.messages)
    assert outbox.deliver_due(utcnow()).get("sent") == count
    received = smtp.mailbox.wait_for(before + count)[before:]
    parsed = [message_from_bytes(m.as_bytes(), policy=policy.default) for m in received]
    return {message["To"]: message for message in parsed}


def _text_and_pdf(message: Message) -> tuple[str, bytes | None]:
    text, pdf = "", None
    for part in message.walk():
        if part.get_content_type() == "text/plain" and not part.get_filename():
            text += part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
        elif part.get_content_type() == "application/pdf":
            pdf = part.get_payload(decode=True)
            assert part.get_filename() == "netvaerk-2026-03.pdf"
    return text, pdf


def _page_of_link(app, user, body: str) -> str:
    """The page the mail links to, as the member reads it when they follow the link."""
    link = re.search(r"https?://[^/\s]+(/stats/2026/3\S*)", body)
    assert link, body
    client = app.test_client()
    log_in(client, user.email)
    split = urlsplit(link[1])
    response = client.get(split.path + (f"?{split.query}" if split.query else ""))
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture
def group(app, people, network):
    """The network's coordinator, three steering members (Danish, English, opted out) and one
    who also sits in a second network that has not closed March yet."""
    second = make_network("Nordnetværket")
    return {
        "coordinator": make_user("coordinator", network),
        "second_coordinator": make_user("coordinator", second),
        "second": second,
        "da": _member(network, "da", "formand@example.org"),
        "en": _member(network, "en", "chair@example.org"),
        "off": _member(network, "da", "nej.tak@example.org"),
        "both": _member(network, None, "begge@example.org"),
    }


def _setup_both_and_opt_out(group, network):
    db.session.add(
        Membership(user_id=group["both"].id, network_id=group["second"].id, role="steering")
    )
    preferences.set_wanted(group["off"].id, summary.SUMMARY, False)
    db.session.commit()


def test_closing_sends_one_summary_per_due_member_in_their_language_with_the_pdf(
    app, smtp, group, network
):
    _setup_both_and_opt_out(group, network)
    _close(app, group["coordinator"])
    queued = _queued()
    assert sorted(queued) == ["chair@example.org", "formand@example.org"]
    mails = _delivered(smtp, 2)
    assert sorted(mails) == ["chair@example.org", "formand@example.org"]
    for key, subject, month, words in (
        ("da", "Månedsrapporten for marts 2026 er klar", "marts 2026", "Udvikling over 12 måneder"),
        ("en", "The monthly report for March 2026 is ready", "March 2026", "Trend over 12 months"),
    ):
        user = group[key]
        message = mails[user.email]
        assert message["Subject"] == subject
        assert re.fullmatch(
            r"<https?://[^/]+/mail/unsubscribe/\S+>", message["List-Unsubscribe"].strip()
        )
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        body, pdf = _text_and_pdf(message)
        # The headline figures exactly as the page the link opens shows them (protected).
        trend = page_trend(_page_of_link(app, user, body))
        assert len(trend) >= 8
        for label, points in trend.items():
            assert points[-1][0] == month
            assert f"- {label}: {points[-1][1]}\n" in body
        # The PDF: the report with its charts drawn, and the page's figures.
        assert pdf is not None and pdf.startswith(b"%PDF")
        text, drawing = pdf_text_and_drawing(pdf)
        assert words in text and BAR_FILL in drawing
        for label, points in trend.items():
            assert label in text
            assert " ".join(f"{points[-1][0]} {points[-1][1]}".split()) in " ".join(text.split())
    assert "Hello" in _text_and_pdf(mails["chair@example.org"])[0]
    assert "Hej" in _text_and_pdf(mails["formand@example.org"])[0]


def test_a_member_of_two_networks_gets_it_when_the_last_one_closes_and_once(
    app, smtp, group, network
):
    _setup_both_and_opt_out(group, network)
    _close(app, group["coordinator"])
    assert "begge@example.org" not in _queued()
    _delivered(smtp, 2)
    _close(app, group["second_coordinator"])
    queued = _queued()
    assert sorted(queued) == ["begge@example.org", "chair@example.org", "formand@example.org"]
    mails = _delivered(smtp, 1)
    body, pdf = _text_and_pdf(mails["begge@example.org"])
    assert "2 netværk i alt – marts 2026" in body and pdf is not None
    trend = page_trend(_page_of_link(app, group["both"], body))  # the sum over both networks
    for label, points in trend.items():
        assert f"- {label}: {points[-1][1]}\n" in body
    # Delivered once: later ticks send nothing more.
    assert outbox.deliver_due(utcnow()) == {}
    assert len(smtp.mailbox.messages) == 3


def test_a_rolled_back_close_sends_nothing(app, smtp, group, network):
    with db.session.begin_nested():
        summary.close_and_tell(network, 2026, 3, group["coordinator"], local_today())
        assert len(_queued()) == 4
        db.session.rollback()
    db.session.commit()
    assert _queued() == {}
    assert outbox.deliver_due(utcnow()) == {}
    assert smtp.mailbox.messages == []


def test_a_close_refused_sends_nothing(app, smtp, group, network):
    client = app.test_client()
    log_in(client, group["coordinator"].email)
    token = CSRF_RE.search(client.get("/stats/2026/4").get_data(as_text=True))[1]
    client.post("/stats/2026/4/close", data={"csrf_token": token})  # April has not ended
    assert _queued() == {}


def test_a_revision_sends_a_short_notice_naming_the_reason(app, smtp, group, network):
    _setup_both_and_opt_out(group, network)
    _close(app, group["coordinator"])
    _delivered(smtp, 2)
    _post(
        app,
        group["coordinator"],
        "/stats/2026/3/reopen",
        {"reason": "late_registration", "note": "Amina Hassan kom for sent med"},
        token_from="/stats/2026/3/reopen",
    )
    notices = _queued(summary.REVISION)
    assert sorted(notices) == ["chair@example.org", "formand@example.org", "nej.tak@example.org"]
    mails = _delivered(smtp, 3)
    da, _pdf = _text_and_pdf(mails["formand@example.org"])
    en, _pdf = _text_and_pdf(mails["chair@example.org"])
    assert mails["chair@example.org"]["Subject"] == "The report for March 2026 is revised"
    assert "Reason: Late registration" in en and "revision 2" in en
    assert "Årsag: Sen registrering" in da
    assert "Amina" not in da + en  # the coordinators' note stays with them
    assert mails["formand@example.org"]["List-Unsubscribe"]


def test_a_member_who_turned_the_notices_off_gets_none(app, smtp, group, network):
    _close(app, group["coordinator"])
    for key in ("da", "en", "off", "both"):
        preferences.set_wanted(group[key].id, summary.REVISION, False)
    db.session.commit()
    _post(
        app,
        group["coordinator"],
        "/stats/2026/3/reopen",
        {"reason": "correction"},
        token_from="/stats/2026/3/reopen",
    )
    assert _queued(summary.REVISION) == {}


def test_no_mail_server_no_summary(app, group, network):
    _close(app, group["coordinator"])
    assert _queued() == {}


def test_the_mails_one_click_link_turns_the_summary_off_for_the_next_month(
    app, smtp, group, network
):
    _close(app, group["coordinator"])
    mails = _delivered(smtp, 4)
    header = mails["formand@example.org"]["List-Unsubscribe"].strip()
    path = urlsplit(header.strip("<>")).path
    body, _pdf = _text_and_pdf(mails["formand@example.org"])
    assert path in body  # the same link in the footer, for mail programs without the button
    assert app.test_client().post(path).status_code == 200  # RFC 8058: no login, no CSRF
    db.session.expire_all()
    assert preferences.wants_mail(group["da"].id, summary.SUMMARY) is False
    assert preferences.wants_mail(group["da"].id, summary.REVISION) is True
    _post(app, group["coordinator"], "/stats/2026/2/close", token_from="/stats/2026/2")
    db.session.expire_all()
    rows = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.kind == summary.SUMMARY))
    february = [row.recipients for row in rows if "februar" in row.subject.lower()]
    assert sorted(february) == ["begge@example.org", "chair@example.org", "nej.tak@example.org"]


def test_a_steering_account_chooses_both_mails_on_its_page(app, group):
    client = app.test_client()
    log_in(client, group["da"].email)
    page = client.get("/account/mail").get_data(as_text=True)
    assert "Månedsrapporten er klar" in page and "Månedsrapporten er rettet" in page
    coordinator = app.test_client()
    log_in(coordinator, group["coordinator"].email)
    assert "Månedsrapporten er klar" not in coordinator.get("/account/mail").get_data(as_text=True)


@pytest.mark.usefixtures("no_pango")
def test_without_pango_the_summary_goes_without_its_pdf_and_says_so(app, smtp, group, network):
    _close(app, group["coordinator"])
    mails = _delivered(smtp, 4)
    body, pdf = _text_and_pdf(mails["formand@example.org"])
    assert pdf is None and "PDF'en kunne ikke laves denne gang" in body
    assert "- Aktive deltagere: " in body


def test_a_pdf_that_fails_does_not_stop_the_month_from_closing(
    app, smtp, group, network, monkeypatch
):
    """The PDF is made by the worker at sending, never in the close: a rendering bug leaves the
    month closed and the mail waiting with the reason, then it goes, with its PDF, once the
    PDF can be made; never a mail that says "attached" without the file."""

    def broken(*args, **kwargs):
        raise RuntimeError("a rendering bug")

    real = summary.month_pdf
    monkeypatch.setattr(summary, "month_pdf", broken)
    _close(app, group["coordinator"])
    assert network.id in {
        report.network_id for report in db.session.scalars(db.select(MonthlyReport))
    }
    assert outbox.deliver_due(utcnow()).get("queued") == 4
    assert smtp.mailbox.messages == []
    waiting = _queued()["chair@example.org"]
    assert waiting.status == "queued" and "a rendering bug" in waiting.last_error
    monkeypatch.setattr(summary, "month_pdf", real)
    later = max(m.next_attempt_at for m in _queued().values())
    before = len(smtp.mailbox.messages)
    assert outbox.deliver_due(later).get("sent") == 4
    received = smtp.mailbox.wait_for(before + 4)[before:]
    chair = next(m for m in received if m["To"] == "chair@example.org")
    body, pdf = _text_and_pdf(message_from_bytes(chair.as_bytes(), policy=policy.default))
    assert pdf is not None and pdf.startswith(b"%PDF")
    assert "attached as a PDF" in body


def test_closing_the_month_makes_no_pdf_the_worker_makes_it_once(app, smtp, group, monkeypatch):
    """The close writes the mails with a PDF still to be made; the worker makes it before the
    first attempt and keeps it, so a retry sends the very same file."""
    made = []
    real = summary.month_pdf

    def counting(*args, **kwargs):
        made.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(summary, "month_pdf", counting)
    _close(app, group["coordinator"])
    assert made == []  # nothing rendered in the coordinator's request
    queued = _queued()
    assert {a.data for m in queued.values() for a in m.attachments} == {None}
    smtp.stop()  # the server is down: the first attempt fails after the PDF was made
    outbox.deliver_due(utcnow())
    assert len(made) == len(queued)
    files = {r: m.attachments[0].data for r, m in _queued().items()}
    assert all(data.startswith(b"%PDF") for data in files.values())
    smtp.start()
    later = max(m.next_attempt_at for m in _queued().values())
    outbox.deliver_due(later)
    assert len(made) == len(queued)  # not made again for the retry
    received = smtp.mailbox.wait_for(len(queued))
    for message in received:
        parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
        assert _text_and_pdf(parsed)[1] == files[parsed["To"]]
