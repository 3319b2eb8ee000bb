"""The steering group reads the report without a manual (issue 29): the adjustment said at the
top with a link to the method, period words on quarters and years, charts on their own page with
their numbers, and exports whose value column holds numbers only."""

import csv
import io
import re
from datetime import datetime

import pytest
from openpyxl import load_workbook

from netvaerk.stats import presentation
from netvaerk.stats.sections import REPORT_SECTIONS, TREND_METRICS

from ..conftest import log_in
from ..factories import make_user
from .helpers import close

MARKS = {"n<5", "<20", "×", "–"}


@pytest.fixture(autouse=True)
def april_2026(monkeypatch):
    """Today is 15 April 2026."""
    monkeypatch.setattr("netvaerk.timeutil.local_now", lambda: datetime(2026, 4, 15, 10, 0))


@pytest.fixture
def steering(client, people, network):
    """A steering member logged in, with January to March 2026 closed."""
    for month in (1, 2, 3):
        close(network, 2026, month, None)
    log_in(client, make_user("steering", network).email)
    return client


def _csv(client, url: str) -> list[list[str]]:
    body = client.get(url).get_data().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body), delimiter=";"))


def _danish_number(text: str) -> float:
    return float(text.replace(",", "."))


def test_the_adjustment_is_said_beside_the_first_table_with_a_link_to_the_method(steering):
    page = steering.get("/stats/2026/3").get_data(as_text=True)
    note = page.index('class="stats-protection"')
    assert "justeret en smule" in page[note : note + 400]
    first_table = min(page.index("<table", page.index('class="stats-section"')), len(page))
    first_heading = page.index('id="section-')
    assert first_heading < note < first_table  # under the first heading, before its table
    link = re.search(r'<a href="#stats-method">([^<]+)</a>', page[note:])
    assert link and link.group(1) == "Sådan justeres tallene"
    method = page[page.index('id="stats-method"') :]
    assert "<h2" in method.split("</section>")[0] and "cellenøgle" in method.split("</section>")[0]
    # The report never marks which figures were changed: no figure carries a footnote.
    assert "<sup>" not in page


def test_a_coordinator_reading_exact_figures_gets_no_adjustment_note(client, people, network):
    close(network, 2026, 3, None)
    log_in(client, make_user("coordinator", network).email)
    page = client.get("/stats/2026/3").get_data(as_text=True)
    assert "stats-protection" not in page and 'id="stats-method"' not in page


def test_every_label_that_names_the_month_has_a_period_wording(app):
    """A label that says "this month" or "during the month" is reworded on a quarter's or a
    year's page (issue 29: "Aktive i måneden" on a quarter)."""
    missing = []
    for section in REPORT_SECTIONS:
        for key, label in section.labels.items():
            text = str(label).lower()
            if re.search(r"\b(this|the) month\b", text):
                if (section.key, key) not in presentation.PERIOD_LABELS:
                    missing.append((section.key, key, str(label)))
    assert missing == []


def test_the_quarter_and_its_exports_are_named_as_a_quarter(steering):
    rows = _csv(steering, "/stats/2026/q1/export.csv")
    assert rows[0][0] == "Kvartalsstatistik"
    assert not any("måneden" in cell.lower() for row in rows for cell in row[:4])
    workbook = load_workbook(io.BytesIO(steering.get("/stats/2026/q1/export.xlsx").get_data()))
    assert workbook.active["A1"].value == "Kvartalsstatistik"
    assert _csv(steering, "/stats/2026/3/export.csv")[0][0] == "Månedsstatistik"


def test_the_danish_csv_keeps_numbers_and_marks_in_columns_of_their_own(steering):
    rows = _csv(steering, "/stats/2026/3/export.csv")
    assert rows[3] == ["Sektion", "Tabel", "Række", "Kolonne", "Værdi", "Tegn"]
    data = [row for row in rows[4:] if len(row) == 6]
    assert len(data) > 20
    for _section, _table, label, _column, value, mark in data:
        # Exactly one of the two: a number, or the mark that stands in its place.
        assert (value == "") != (mark == ""), (label, value, mark)
        if value:
            assert re.fullmatch(r"-?\d+(,\d+)?", value), (label, value)  # no "%", no "n<5"
        else:
            assert mark in MARKS, (label, mark)
    assert any(mark == "n<5" or mark == "×" for *_, mark in data)
    shares = [row for row in data if row[2].endswith("(%)")]
    assert shares, "the shares say in their label that they are percentages"
    for *_, value, _mark in shares:
        if value:
            assert 0 <= _danish_number(value) <= 100 and "," not in value


def test_the_csv_shares_are_the_percent_the_page_shows(steering):
    page = steering.get("/stats/2026/3").get_data(as_text=True)
    rows = _csv(steering, "/stats/2026/3/export.csv")
    shown = [row for row in rows[4:] if len(row) == 6 and row[2].endswith("(%)") and row[4]]
    assert shown
    for row in shown:
        label = row[2].removesuffix(" (%)")
        assert re.search(
            re.escape(label) + r"</th>\s*<td[^>]*>" + row[4] + r"[ \xa0\u202f]%", page
        ), label


def test_the_spreadsheet_holds_numbers_in_the_value_column_and_marks_beside_it(steering):
    workbook = load_workbook(io.BytesIO(steering.get("/stats/2026/3/export.xlsx").get_data()))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[3][:6] == ("Sektion", "Tabel", "Række", "Kolonne", "Værdi", "Tegn")
    csv_rows = [r for r in _csv(steering, "/stats/2026/3/export.csv")[4:] if len(r) == 6]
    data = rows[4 : 4 + len(csv_rows)]
    for (section, _table, label, _column, value, mark), line in zip(csv_rows, data, strict=True):
        assert (line[0], line[2]) == (section, label)
        if value:
            assert isinstance(line[4], int | float) and line[5] is None, line
            assert line[4] == pytest.approx(_danish_number(value))
        else:
            assert line[4] is None and line[5] == mark, line
    percent = [line for line in data if str(line[2]).endswith("(%)") and line[4] is not None]
    cells = {c.value: c for c in workbook.active["E"] if c.value is not None}
    assert percent and all(cells[line[4]].number_format for line in percent)


def test_a_chart_opens_on_its_own_page_with_the_reports_numbers(steering):
    month = steering.get("/stats/2026/3").get_data(as_text=True)
    key = TREND_METRICS[0].key.replace(".", "-")
    link = f"/stats/2026/3/chart/{key}"
    assert f'href="{link}' in month
    answer = steering.get(link)
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    assert "stats-chart--large" in page and "<svg" in page
    assert 'width="480"' not in page  # the SVG is scaled to the page, not drawn at 480 px
    assert "justeret en smule" in page and "#stats-method" in page

    def table(html: str) -> list[tuple[str, str]]:
        caption = f'id="chart-{key}-caption"'
        figure = html[html.index(caption) : html.index("</figure>", html.index(caption))]
        return re.findall(r'<th scope="row">([^<]+)</th>\s*<td class="num">([^<]*)<', figure)

    assert len(table(page)) == 12 and table(page) == table(month)  # the same published values


def test_a_chart_page_answers_like_the_month_for_unknown_charts_and_open_months(steering):
    assert steering.get("/stats/2026/3/chart/no-such-chart").status_code == 404
    key = TREND_METRICS[0].key.replace(".", "-")
    assert steering.get(f"/stats/2026/4/chart/{key}").status_code == 404  # not closed
    assert steering.get(f"/stats/2026/3/chart/{key}").status_code == 200
