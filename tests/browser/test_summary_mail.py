"""Journey: a coordinator closes last month in the browser; the worker (`flask worker`, the
process `make run` starts beside the server, on the same queue) delivers the steering member's
summary, with the PDF and its charts, to the SMTP server's mailbox (aiosmtpd), once. The
steering member follows its link."""

import io
import re
import time
from email import message_from_bytes, policy

import pytest
from pypdf import PdfReader

from ..tasks.smtpserver import SmtpServer
from . import prepare
from .harness import (
    ARTIFACTS,
    BROWSER_LOCALES,
    DEMO_NETWORK,
    VIEWPORTS,
    Journey,
    LiveServer,
    stop_group,
)

pytestmark = pytest.mark.browser

STEERING = "steering@example.org"
BAR_FILL = "0.231373 0.356863 0.521569 rg"  # the charts' bars in the PDF (test_pdf_charts)

# The summary's outbox row, as the admin's outbox page shows it.
OUTBOX_STATES = """
from sqlalchemy import select
from netvaerk import create_app
from netvaerk.extensions import db
from netvaerk.tasks.models import OutboxMessage

with create_app().app_context():
    rows = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "monthly_summary")
    ).all()
    print(",".join(sorted(str(row.status) for row in rows)))
"""


@pytest.fixture(scope="module")
def smtp():
    """A real SMTP server (aiosmtpd) on a free port."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def mail_server(chromium, smtp):
    """A live server of its own whose outbox sends to `smtp` (the shared one writes no mail)."""
    server = LiveServer()
    server.log_path = ARTIFACTS / "browser-mail-server.log"
    server.env.update(
        {
            "NETVAERK_SMTP_HOST": "127.0.0.1",
            "NETVAERK_SMTP_PORT": str(smtp.port),
            "NETVAERK_MAIL_SENDER": "netvaerk@example.org",
            "NETVAERK_BASE_URL": server.url,
        }
    )
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def worker(mail_server):
    """The worker process, as `make run` starts it, on the live server's queue and database."""
    process = mail_server.spawn(
        ["flask", "--app", "netvaerk", "worker", "--threads", "1"],
        ARTIFACTS / "browser-mail-worker.log",
    )
    try:
        yield process
    finally:
        stop_group(process)


def summaries(smtp) -> list:
    """The monthly summaries in the mailbox (the worker's daily jobs may mail others too)."""
    found = []
    for raw in smtp.mailbox.messages:
        message = message_from_bytes(raw.as_bytes(), policy=policy.default)
        if message["To"] == STEERING and message["Subject"].startswith("Månedsrapporten for "):
            found.append(message)
    return found


def wait_for_summaries(smtp, worker, count: int, seconds: float = 60.0) -> list:
    deadline = time.monotonic() + seconds
    while len(summaries(smtp)) < count and time.monotonic() < deadline:
        assert worker.poll() is None, "the worker stopped; see artifacts/browser-mail-worker.log"
        time.sleep(0.1)
    return summaries(smtp)


@pytest.fixture
def journey(chromium, mail_server, _axe_script):
    """One run, on a desktop in Danish (the mail's language is the account's, not the browser's)."""
    context = chromium.new_context(
        viewport=VIEWPORTS["desktop"],
        locale=BROWSER_LOCALES["da"],
        timezone_id="Europe/Copenhagen",
    )
    context.set_default_timeout(15_000)
    context.add_init_script(script=_axe_script)
    journey = Journey(context.new_page(), mail_server, "summary-mail", "desktop", "da")
    try:
        yield journey
    finally:
        context.close()


def _parts(message) -> tuple[str, bytes | None]:
    body, pdf = "", None
    for part in message.walk():
        if part.get_content_type() == "text/plain" and not part.get_filename():
            body += part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
        elif part.get_content_type() == "application/pdf":
            pdf = part.get_payload(decode=True)
    return body, pdf


def test_closing_a_month_in_the_browser_mails_the_summary(journey, mail_server, smtp, worker):
    page = journey.page
    month = prepare.run(journey, "unclose-last-month")
    path = f"/stats/{month['year']}/{month['month']}"
    journey.login("coordinator")
    journey.visit(path, "month-provisional")
    with page.expect_navigation():
        page.get_by_role("button", name="Luk måneden").click()
    journey.check("month-closed")
    assert page.locator(".flash--success").inner_text().endswith("er lukket.")

    # The running worker delivers it, once, with the PDF and its charts.
    messages = wait_for_summaries(smtp, worker, 1)
    assert len(messages) == 1, "no summary arrived within a minute"
    message = messages[0]
    assert "/mail/unsubscribe/" in message["List-Unsubscribe"]
    body, pdf = _parts(message)
    assert f"{DEMO_NETWORK} – " in body
    link = re.search(r"(http://127\.0\.0\.1:\d+/stats/\S+)", body)[1]
    assert link.startswith(mail_server.url + path)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    drawing = "".join(
        p.get_contents().get_data().decode("latin-1") for p in PdfReader(io.BytesIO(pdf)).pages
    )
    assert DEMO_NETWORK in text and "Udvikling over 12 måneder" in text and BAR_FILL in drawing
    # Delivered once: the worker's next ticks send no second copy.
    time.sleep(3)
    assert len(summaries(smtp)) == 1
    assert mail_server.run_python(OUTBOX_STATES).strip() == "sent", "the outbox row is not sent"

    # The steering member follows the link and finds the mail's first figure on the page.
    journey.logout()
    journey.login("steering")
    journey.visit(link.removeprefix(mail_server.url), "report-from-the-mail")
    label, value = re.search(r"^- (.+): (.+)$", body, re.M).groups()
    chart = page.locator("figure.stats-chart", has_text=label).first
    assert chart.locator("tbody tr").last.locator("td").inner_text().strip() == value
    journey.finish()
