"""Journey: a coordinator closes last month in the browser; the worker's delivery runs against
the live server's database, and the steering member's summary, with the PDF and its charts,
is in the SMTP server's mailbox (aiosmtpd), once. The steering member follows its link."""

import io
import re
from email import message_from_bytes, policy

import pytest
from pypdf import PdfReader

from ..tasks.smtpserver import SmtpServer
from . import prepare
from .harness import ARTIFACTS, BROWSER_LOCALES, DEMO_NETWORK, VIEWPORTS, Journey, LiveServer

pytestmark = pytest.mark.browser

STEERING = "steering@example.org"
BAR_FILL = "0.231373 0.356863 0.521569 rg"  # the charts' bars in the PDF (test_pdf_charts)

# The worker's delivery task, run once against the live server's database and settings.
DELIVER = """
from netvaerk import create_app
from netvaerk.tasks import outbox
from netvaerk.timeutil import utcnow

with create_app().app_context():
    print(outbox.deliver_due(utcnow()))
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


def test_closing_a_month_in_the_browser_mails_the_summary(journey, mail_server, smtp):
    page = journey.page
    month = prepare.run(journey, "unclose-last-month")
    path = f"/stats/{month['year']}/{month['month']}"
    journey.login("coordinator")
    journey.visit(path, "month-provisional")
    with page.expect_navigation():
        page.get_by_role("button", name="Luk måneden").click()
    journey.check("month-closed")
    assert page.locator(".flash--success").inner_text().endswith("er lukket.")

    assert smtp.mailbox.messages == []  # nothing is sent inside the request
    delivered = mail_server.run_python(DELIVER)
    assert "'sent': 1" in delivered, delivered
    messages = smtp.mailbox.wait_for(1)
    assert [m["To"] for m in messages] == [STEERING]
    message = message_from_bytes(messages[0].as_bytes(), policy=policy.default)
    assert message["Subject"].startswith("Månedsrapporten for ")
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

    # Delivered once: the next tick sends nothing more.
    assert "{}" in mail_server.run_python(DELIVER)
    assert len(smtp.mailbox.messages) == 1

    # The steering member follows the link and finds the mail's first figure on the page.
    journey.logout()
    journey.login("steering")
    journey.visit(link.removeprefix(mail_server.url), "report-from-the-mail")
    label, value = re.search(r"^- (.+): (.+)$", body, re.M).groups()
    chart = page.locator("figure.stats-chart", has_text=label).first
    assert chart.locator("tbody tr").last.locator("td").inner_text().strip() == value
    journey.finish()
