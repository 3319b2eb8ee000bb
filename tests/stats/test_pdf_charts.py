"""The PDF export is the print view with its SVG charts, rendered by WeasyPrint: the charts are
drawn in it, it carries the same figures as the steering page, and where the system lacks Pango
the export says so plainly."""

import io
import re
import sys
import types
from datetime import datetime
from html import unescape

import pytest
from pypdf import PdfReader

from netvaerk.stats import exports

from ..conftest import log_in
from ..factories import make_user
from .helpers import close

BAR_FILL = "0.231373 0.356863 0.521569 rg"  # the bars' colour, #3b5b85, in the PDF's drawing


@pytest.fixture(autouse=True)
def april_2026(monkeypatch):
    """Today is 15 April 2026."""
    monkeypatch.setattr("netvaerk.timeutil.local_now", lambda: datetime(2026, 4, 15, 10, 0))


def page_trend(html: str) -> dict[str, list[tuple[str, str]]]:
    """The page's trend tables: {chart label: [(month, value shown), ...]}."""
    charts = {}
    for figure in re.findall(r'<figure class="stats-chart".*?</figure>', html, re.S):
        caption = re.search(r"<figcaption[^>]*>(.*?)</figcaption>", figure, re.S)[1]
        label = unescape(re.sub(r"<a .*?</a>", "", caption, flags=re.S))  # "Open larger"
        rows = re.findall(
            r'<tr><th scope="row">(.*?)</th>\s*<td class="num">(.*?)</td></tr>', figure, re.S
        )
        charts[label.strip()] = [
            (unescape(month), unescape(re.sub(r"<[^>]+>", "", value)).strip())
            for month, value in rows
        ]
    return charts


def page_figures(html: str) -> list[tuple[str, str]]:
    """The page's single figures (label, value shown) of the report's sections."""
    found = []
    for table in re.findall(r'<table class="stats-figures">.*?</table>', html, re.S):
        for label, value in re.findall(
            r'<tr><th scope="row">(.*?)</th><td class="num">(.*?)</td></tr>', table, re.S
        ):
            found.append((unescape(label), unescape(re.sub(r"<[^>]+>", "", value)).strip()))
    return found


def pdf_text_and_drawing(data: bytes) -> tuple[str, str]:
    """The PDF's text, and its pages' drawing operators, as one string each."""
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    drawing = "\n".join(page.get_contents().get_data().decode("latin-1") for page in reader.pages)
    return text, drawing


def shown_values(points: list[tuple[str, str]]) -> list[str]:
    """The values of a trend that get a bar: a number, not "not closed", "–" or a mark."""
    return [value for _month, value in points if value and value[0].isdigit()]


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_pdf_has_the_charts_and_the_same_figures_as_the_steering_page(
    app, client, people, network
):
    for month in (1, 2, 3):
        close(network, 2026, month)
    log_in(client, make_user("steering", network).email)
    html = client.get("/stats/2026/3").get_data(as_text=True)
    response = client.get("/stats/2026/3/export.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text, drawing = pdf_text_and_drawing(response.get_data())
    figures, trend = page_figures(html), page_trend(html)
    assert len(figures) > 10 and len(trend) >= 8
    for label, value in figures:  # every figure of the page, as the page shows it
        assert flat(f"{label} {value}") in flat(text), (label, value)
    bars = 0
    for label, points in trend.items():
        assert label in text
        for month, value in points:  # the chart's table beside it
            assert flat(f"{month} {value}") in flat(text), (label, month)
        bars += len(shown_values(points))
    assert bars >= 20
    # The charts themselves: a filled rectangle per bar in the bars' colour, and the axis
    # labels drawn as text inside the chart (the short month names).
    assert drawing.count(BAR_FILL) >= bars
    assert re.search(r"[\d.]+ [\d.]+ [\d.]+ [\d.]+ re\s+f", drawing)
    for short in ("jan.", "feb.", "mar."):
        assert short in text.split()


def test_the_pdf_is_the_same_for_the_export_and_in_english(app, client, people, network):
    close(network, 2026, 3)
    user = make_user("steering", network)
    user.locale = "en"
    from netvaerk.extensions import db

    db.session.commit()
    log_in(client, user.email)
    client.post("/language", data={"lang": "en", "csrf_token": _token(client)})
    text, drawing = pdf_text_and_drawing(client.get("/stats/2026/3/export.pdf").get_data())
    assert "March 2026" in text and "Trend over 12 months" in text
    assert "Mar" in text.split() and BAR_FILL in drawing


def _token(client) -> str:
    html = client.get("/stats/").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html)[1]


@pytest.fixture
def no_pango(monkeypatch):
    """WeasyPrint as it behaves without Pango: importing it fails with OSError."""
    broken = types.ModuleType("weasyprint")

    def missing(name):
        raise OSError("cannot load library 'libpango-1.0-0': No such file or directory")

    broken.__getattr__ = missing
    monkeypatch.setitem(sys.modules, "weasyprint", broken)


def test_without_pango_the_pdf_export_says_so_plainly(app, client, people, network, no_pango):
    close(network, 2026, 3)
    log_in(client, make_user("steering", network).email)
    response = client.get("/stats/2026/3/export.pdf")
    assert response.status_code == 503 and response.mimetype == "text/html"
    page = unescape(response.get_data(as_text=True))
    assert "Pango" in page and "README" in page
    assert client.get("/stats/2026/3/export.csv").status_code == 200
    with pytest.raises(exports.PdfUnavailable):
        exports.to_pdf("<p>Hej</p>")


def test_the_pdf_fetches_nothing_from_the_network(app, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("WeasyPrint tried the network")

    monkeypatch.setattr("urllib.request.OpenerDirector.open", no_network)
    html = (
        '<link rel="stylesheet" href="https://example.org/evil.css">'
        '<img src="http://127.0.0.1:9/tracker.png"><img src="file:///etc/passwd">'
        '<img src="favicon.svg"><p>Hej</p>'
    )
    data = exports.to_pdf(html)
    assert "Hej" in pdf_text_and_drawing(data)[0]
    fetch = exports._static_only_fetcher()
    for url in ("https://example.org/evil.css", "file:///etc/passwd", "data:text/css,p{}"):
        with pytest.raises(ValueError):
            fetch(url)
    assert b"<svg" in fetch((exports.STATIC / "favicon.svg").as_uri()).read()
