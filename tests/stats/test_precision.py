"""Every steering page and export holds exactly the figures the page shows (issue 26): the same
rounding, no extra digits in the spreadsheet, the PDF or the charts' bars."""

import csv
import html as html_lib
import io
import re
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from netvaerk.core.models import Network
from netvaerk.extensions import db
from netvaerk.generate import PASSWORD, audit_account_emails, generate
from netvaerk.stats import services

from ..conftest import log_in

END = date(2026, 3, 10)
# A count ("1.234"), a share in whole percent ("38 %"), a mean ("4,5"), hours ("12,25"), a mark.
SHOWN = re.compile(r"-?\d{1,3}(\.\d{3})*(,\d{1,2})?|\d{1,3} %|n<\d+|<\d+|×|–")
CELL = re.compile(r'<td class="num">(.*?)</td>', re.S)
TAG = re.compile(r"<[^>]+>")


@pytest.fixture(autouse=True)
def march_2026(monkeypatch):
    """Today is 10 March 2026, the generated data's last day."""
    monkeypatch.setattr("netvaerk.timeutil.local_now", lambda: datetime(2026, 3, 10, 10, 0))


def _as_page_writes_it(value: str, mark: str, label: str) -> str:
    """An export's row as the page writes its figure: the mark, or the number (a share's row
    says "(%)" and holds whole percent), with the page's thousands dots."""
    if mark:
        assert value == "", (label, value, mark)  # a number or a mark, never both
        return mark
    assert re.fullmatch(r"-?\d+(,\d{1,2})?", value), (label, value)  # a plain number
    if label.endswith("(%)"):
        return f"{value} %"
    whole, _, decimals = value.partition(",")
    grouped = f"{int(whole.lstrip('-')):,}".replace(",", ".")
    return ("-" if whole.startswith("-") else "") + grouped + ("," + decimals if decimals else "")


def _csv_values(body: bytes) -> list[str]:
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    header = rows.index(["Sektion", "Tabel", "Række", "Kolonne", "Værdi", "Tegn"])
    values = []
    for row in rows[header + 1 :]:
        if len(row) != 6:
            break
        values.append(_as_page_writes_it(row[4], row[5], row[2]))
    return values


def _xlsx_text(value, number_format: str, mark) -> str:
    """A spreadsheet cell as the page writes it; fails on digits the page does not show."""
    if value is None:
        return mark  # the mark stands beside the empty number
    assert mark is None and not isinstance(value, str), (value, mark)
    digits = {"0.0": 1, "0.00": 2}.get(number_format, 0)
    scaled = value * 10**digits
    assert abs(scaled - round(scaled)) < 1e-9, (value, number_format)
    if number_format == '0" %"':
        assert isinstance(value, int), value
        return f"{value} %"
    if number_format == "0.0":
        return f"{value:.1f}".replace(".", ",")
    if number_format == "0.00":
        text = f"{value:.2f}".rstrip("0").rstrip(".")
        return text.replace(".", ",")
    assert isinstance(value, int), value
    return f"{value:,}".replace(",", ".")


def _xlsx_values(body: bytes) -> list[str]:
    sheet = load_workbook(io.BytesIO(body)).active
    values = []
    for row in sheet.iter_rows(min_row=5):
        if row[0].value is None:
            break
        values.append(_xlsx_text(row[4].value, row[4].number_format, row[5].value))
    return values


def _page_values(html: str) -> list[str]:
    """The figures of the report's sections (not the reference figures, not the trend)."""
    values = []
    for block in re.findall(r'<section class="stats-section" (.*?)</section>', html, re.S):
        if block.startswith('aria-labelledby="section-references"'):
            continue
        values += [html_lib.unescape(TAG.sub("", cell)).strip() for cell in CELL.findall(block)]
    return values


def _number(text: str) -> float:
    return float(text.replace(" %", "").replace(".", "").replace(",", "."))


def _check_bars(html: str) -> int:
    """Each bar's height follows from the figure shown beside it, not from a finer value."""
    bars = 0
    for chart in re.findall(r'<figure class="stats-chart".*?</figure>', html, re.S):
        ticks = re.findall(r'class="stats-chart__tick">([^<]+)</text>', chart)
        heights = [float(h) for h in re.findall(r'<rect [^>]*height="([\d.]+)"', chart)]
        shown = [TAG.sub("", c).strip() for c in CELL.findall(chart)]
        numbers = [t for t in shown if re.fullmatch(r"[\d.,]+( %)?", t)]
        assert len(numbers) == len(heights), chart[:80]
        share = "%" in ticks[2]
        top = 1.0 if share else _number(ticks[2])
        for text, height in zip(numbers, heights, strict=True):
            value = _number(text) / (100 if share else 1)
            assert height == round(162 * min(value / top, 1), 1), (text, height)
            bars += 1
    return bars


def test_every_steering_page_and_export_shows_figures_with_the_page_rounding(app, client):
    generate(3, 1.0, seed=5, end=END)
    everyone = audit_account_emails(5)[1]
    log_in(client, everyone, PASSWORD)
    networks = db.session.execute(db.select(Network).order_by(Network.id)).scalars().all()
    year, month = services.latest_closed_month([n.id for n in networks])
    month_page, quarter = f"/stats/{year}/{month}", "/stats/2025/q4"
    means = bars = 0
    # A quarter or year is one code path (`periods`); one network's month shows the headline
    # figures, the sum over networks the means as well.
    for scope, reports in (("all", [month_page, quarter]), (str(networks[0].id), [month_page])):
        for base in reports:
            query = f"?network={scope}"
            export = f"{base}/export"
            page = client.get(base + query)
            assert page.status_code == 200, base
            html = page.get_data(as_text=True)
            in_csv = _csv_values(client.get(f"{export}.csv{query}").get_data())
            assert in_csv and all(SHOWN.fullmatch(v) for v in in_csv), in_csv
            assert _xlsx_values(client.get(f"{export}.xlsx{query}").get_data()) == in_csv
            assert _page_values(html) == in_csv
            means += sum(1 for v in in_csv if re.fullmatch(r"-?\d+,\d", v))
            bars += _check_bars(html)
            if "q" not in base and base.count("/") == 3:  # a month: its print view, the PDF source
                printed = client.get(f"{base}/print{query}")
                assert printed.status_code == 200, printed.status_code
                printed = printed.get_data(as_text=True)
                assert _page_values(printed) == in_csv
        pdf = client.get(f"/stats/{year}/{month}/export.pdf?network={scope}").get_data()
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
        assert all(len(d) <= 2 for d in re.findall(r"(?<![\d.,])\d+,(\d+)(?![\d.,])", text))
    assert means > 5 and bars > 20  # the means and the charts were there to check
