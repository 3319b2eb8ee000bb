"""Journey 5: a coordinator closes last month; the steering account reads the report, looks at
a chart and downloads the exports (CSV, XLSX, PDF), which open as what they say they are."""

import csv
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from . import prepare
from .harness import DEMO_NETWORK

pytestmark = pytest.mark.browser


def download(journey, name: str) -> bytes:
    """Press the download link `name` on the page; the file's bytes."""
    with journey.page.expect_download() as info:
        journey.page.get_by_role("link", name=name).click()
    done = info.value
    assert done.failure() is None, done.failure()
    path = journey.folder / f"{journey.variant}-{done.suggested_filename}"
    done.save_as(path)
    return path.read_bytes()


def test_close_month_and_read_the_report(journey):
    page = journey.page
    # Last month has just ended and is not closed yet (the demo closes it; closing it here
    # leaves the data as the demo left it).
    month = prepare.run(journey, "unclose-last-month")
    path = f"/stats/{month['year']}/{month['month']}"

    journey.login("coordinator")
    journey.visit(path, "month-provisional")
    with page.expect_navigation():
        page.get_by_role("button", name=journey.text("Luk måneden", "Close the month")).click()
    journey.check("month-closed")
    closed = page.locator(".flash--success").inner_text()
    assert closed.endswith(journey.text("er lukket.", "is closed."))
    journey.logout()

    journey.login("steering")
    assert page.url.startswith(journey.server.url + "/stats/")
    latest = page.get_by_role("heading", level=2).first.inner_text()
    assert latest.startswith(journey.text("Seneste lukkede måned:", "Latest closed month:"))
    assert closed.startswith(latest.split(": ", 1)[1])
    with page.expect_navigation():
        page.get_by_role(
            "link",
            name=journey.text(
                "Åbn måneden med udskrift og eksport", "Open the month with print view and exports"
            ),
        ).click()
    journey.check("report")
    assert page.url.startswith(journey.server.url + path)

    # A chart: drawn, named for screen readers, with its numbers in a table beside it.
    chart = page.locator("figure.stats-chart").first
    chart.scroll_into_view_if_needed()
    assert chart.get_by_role("img").is_visible()
    assert chart.get_by_role("img").get_attribute("aria-label")
    assert chart.get_by_role("table").locator("tbody tr").count() >= 1
    journey.check("chart")

    rows = list(
        csv.reader(
            io.StringIO(
                download(journey, journey.text("Hent CSV", "Download CSV")).decode("utf-8-sig")
            ),
            delimiter=journey.text(";", ","),  # Danish Excel splits on semicolons
        )
    )
    assert rows[0][1].startswith(DEMO_NETWORK) and len([row for row in rows if row]) > 5
    sheet = load_workbook(
        io.BytesIO(
            download(journey, journey.text("Hent regneark (XLSX)", "Download spreadsheet (XLSX)"))
        )
    )
    assert sheet.worksheets and sheet.worksheets[0].max_row > 1
    pdf = PdfReader(io.BytesIO(download(journey, journey.text("Hent PDF", "Download PDF"))))
    assert len(pdf.pages) >= 1 and pdf.pages[0].extract_text().strip()
    journey.check("after-downloads")
