"""Steering pages and exports: who sees what, no person ever, and the files open."""

import csv
import io
import re
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from netvaerk.core.models import HousingArea, Membership
from netvaerk.extensions import db
from netvaerk.stats import closing, services
from netvaerk.stats.models import AreaReference, PlanTarget

from ..conftest import count_queries, csrf_token_from, log_in
from ..factories import make_network, make_participant, make_user
from .helpers import close


@pytest.fixture(autouse=True)
def april_2026(monkeypatch):
    """Today is 15 April 2026."""
    monkeypatch.setattr("netvaerk.timeutil.local_now", lambda: datetime(2026, 4, 15, 10, 0))


def _crawl(client, start: str) -> dict[str, bytes]:
    """Every page and export reachable from `start` under /stats (GET links only)."""
    seen: dict[str, bytes] = {}
    queue = [start]
    while queue:
        url = queue.pop()
        if url in seen or len(seen) > 300:
            continue
        # A PDF takes long to render and is made from the same HTML as the print view, which is
        # crawled for every month: render the PDFs of a few months, closed and open.
        if ".pdf" in url and not any(f"/{m}/export" in url for m in ("2026/2", "2026/3", "2025/6")):
            continue
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        seen[url] = response.get_data()
        if response.mimetype == "text/html":
            for link in re.findall(r'href="([^"]+)"', response.get_data(as_text=True)):
                link = link.replace("&amp;", "&")
                if link.startswith("/stats") and link not in seen:
                    queue.append(link)
    return seen


def _text_of(url: str, body: bytes) -> str:
    if url.split("?")[0].endswith(".xlsx"):
        workbook = load_workbook(io.BytesIO(body))
        return " ".join(
            str(c) for sheet in workbook for row in sheet.iter_rows(values_only=True) for c in row
        )
    if url.split("?")[0].endswith(".pdf"):
        return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    return body.decode("utf-8-sig")


def test_steering_crawl_shows_no_person(app, client, people, network):
    close(network, 2026, 2, None)
    close(network, 2026, 3, None)
    steering = make_user("steering", network)
    log_in(client, steering.email)
    pages = _crawl(client, "/stats/")
    assert any(".pdf" in url for url in pages) and any(".xlsx" in url for url in pages)
    assert len(pages) > 8
    for url, body in pages.items():
        text = _text_of(url, body)
        for person in people:
            for secret in (person.last_name, person.email, person.phone, person.full_name):
                assert secret not in text, (url, secret)
            assert str(person.birth_year) not in text, url


def test_exports_open_in_their_libraries_with_the_same_figures(app, client, people, network):
    close(network, 2026, 3, None)
    log_in(client, make_user("steering", network).email)
    csv_body = client.get("/stats/2026/3/export.csv").get_data()
    rows = list(csv.reader(io.StringIO(csv_body.decode("utf-8-sig")), delimiter=";"))
    assert rows[3] == ["Sektion", "Tabel", "Række", "Kolonne", "Værdi", "Tegn"]
    data = [r for r in rows if len(r) == 6][1:]
    # Meetings are not people: "1 meeting cancelled" may show; a count of people is never 1 or 2.
    meetings = {"Afholdte møder", "Aflyste møder"}
    assert [r for r in data if r[4] in {"1", "2"} and r[2] not in meetings] == []
    assert any("justeret en smule" in " ".join(r) for r in rows)  # the plain sentence
    workbook = load_workbook(io.BytesIO(client.get("/stats/2026/3/export.xlsx").get_data()))
    lines = [row for row in workbook.active.iter_rows(values_only=True) if len(row) >= 5]
    in_xlsx = {(r[0], r[2]): r[4] for r in lines[4:] if r[4] is not None}
    for section, _table, row, _column, value, _mark in data:
        if value.isdigit():
            assert in_xlsx[(section, row)] == int(value)  # the same figure in both exports
    pdf = PdfReader(io.BytesIO(client.get("/stats/2026/3/export.pdf").get_data()))
    assert "justeret" in " ".join(page.extract_text() for page in pdf.pages)


def test_english_reader_gets_english_month_names_and_numbers(app, client, people, network):
    close(network, 2026, 3, None)
    user = make_user("steering", network)
    user.locale = "en"
    db.session.commit()
    log_in(client, user.email)
    page = client.get("/stats/2026/3").get_data(as_text=True)
    assert "March 2026" in page and "Outcomes of those who left" in page
    client.post("/language", data={"lang": "da", "csrf_token": _token(client)})
    page = client.get("/stats/2026/3").get_data(as_text=True)
    assert "marts 2026" in page


def _token(client) -> str:
    page = client.get("/stats/").get_data(as_text=True)
    return page.split('name="csrf_token" value="')[1].split('"')[0]


def test_who_may_do_what(app, client, browser, people, network, login_as):
    login_as("facilitator")
    assert client.get("/stats/").status_code == 403
    client.post("/logout", data={"csrf_token": _token_any(client)})
    steering = make_user("steering", network)
    log_in(client, steering.email)
    assert client.get("/stats/").status_code == 200
    response = browser.post("/stats/2026/3/close", token_from="/stats/2026/3")
    assert response.status_code == 403
    assert client.get("/stats/references").status_code == 403
    other = make_network()
    assert client.get(f"/stats/2026/3?network={other.id}").status_code == 404
    assert client.get("/stats/2026/3?network=all").status_code == 404
    assert client.get("/stats/2026/5").status_code == 404  # the future
    assert client.get("/stats/2026/13").status_code == 404


def _token_any(client) -> str:
    page = client.get("/").get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    return match.group(1) if match else ""


def test_steering_member_of_two_networks_sees_the_sum(app, client, people, network):
    other = make_network()
    for i in range(7):
        make_participant(other, first_name=f"Navn{i}", last_name=f"Efternavn{i}")
    close(network, 2026, 3, None)
    close(other, 2026, 3, None)
    steering = make_user("steering", network)
    db.session.add(Membership(user_id=steering.id, network_id=other.id, role="steering"))
    db.session.commit()
    log_in(client, steering.email)
    page = client.get("/stats/?network=all").get_data(as_text=True)
    assert "2 netværk i alt" in page
    assert client.get(f"/stats/2026/3?network={other.id}").status_code == 200


def test_admin_sees_every_network(app, client, people, network):
    other = make_network()
    for each in (network, other):
        close(each, 2026, 3, None)
    log_in(client, make_user("admin").email)
    page = client.get("/stats/2026/3").get_data(as_text=True)
    assert "2 netværk i alt" in page


def test_coordinator_closes_from_the_page_and_enters_references(
    app, client, browser, people, network, login_as
):
    login_as("coordinator")
    page = client.get("/stats/2026/3").get_data(as_text=True)
    assert "Luk måneden" in page
    response = browser.post("/stats/2026/3/close", token_from="/stats/2026/3")
    assert response.status_code == 302
    page = client.get("/stats/2026/3").get_data(as_text=True)
    assert "Genåbn og beregn igen" in page
    response = browser.post(
        "/stats/references",
        data={
            "area-housing_area": network.housing_areas[0].id,
            "area-year": "2025",
            "area-percent": "34,6",
            "area-submit": "1",
        },
        token_from="/stats/references",
    )
    assert response.status_code == 302
    row = db.session.scalar(db.select(AreaReference))
    assert row.percent == pytest.approx(34.6)
    response = browser.post(
        "/stats/references",
        data={
            "target-metric": "outcomes.work_or_education_share_cumulative",
            "target-year": "2026",
            "target-value": "40",
            "target-submit": "1",
        },
        token_from="/stats/references",
    )
    assert response.status_code == 302
    assert db.session.scalar(db.select(PlanTarget)).value == 40
    page = client.get("/stats/2026/3").get_data(as_text=True)
    assert "34,6" in page or "35" in page
    assert "Mål:" in page
    bad = browser.post(
        "/stats/references",
        data={
            "area-housing_area": "999999",
            "area-year": "20",
            "area-percent": "120",
            "area-submit": "1",
        },
        token_from="/stats/references",
    )
    assert bad.status_code == 200
    assert "Ret venligst" in bad.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(AreaReference.id))) == 1


def test_reopen_needs_a_reason(app, client, browser, people, network, login_as):
    login_as("coordinator")
    close(network, 2026, 3, None)
    response = browser.post(
        "/stats/2026/3/reopen", data={"reason": ""}, token_from="/stats/2026/3/reopen"
    )
    assert response.status_code == 200
    db.session.expire_all()
    assert services.closed_reports([network.id], [(2026, 3)])[(network.id, 2026, 3)].revision == 1


def test_trend_chart_is_accessible_svg_with_a_table(app, client, people, network):
    for month in (1, 2, 3):
        close(network, 2026, month, None)
    log_in(client, make_user("steering", network).email)
    page = client.get("/stats/").get_data(as_text=True)
    assert page.count('role="img"') >= 6
    assert "<title>" in page.split("<svg", 1)[1]
    assert "aria-label=" in page.split("<svg", 1)[1]
    assert "marts 2026" in page
    assert "<script" not in page and 'style="' not in page


def test_coordinator_start_page_says_whether_last_month_is_closed(app, client, network, login_as):
    login_as("coordinator")
    page = client.get("/").get_data(as_text=True)
    assert "marts 2026 er ikke lukket endnu" in page
    close(network, 2026, 3, None)
    assert "marts 2026 er lukket" in client.get("/").get_data(as_text=True)


@pytest.mark.commits
def test_reference_figures_are_read_in_one_statement_whatever_their_number(
    app, client, network, login_as
):
    """The month page shows each area's latest share up to the month and the year's targets,
    with no statement per reference figure or per area."""
    login_as("coordinator")

    def statements() -> tuple[int, str]:
        client.get("/stats/2026/3")  # warm
        with count_queries() as executed:
            response = client.get("/stats/2026/3")
        assert response.status_code == 200
        return len(executed), response.get_data(as_text=True)

    without, _ = statements()
    extra = HousingArea(network_id=network.id, name="Østergården")
    db.session.add(extra)
    db.session.flush()
    for area, year, percent in (
        (network.housing_areas[0], 2024, 41.0),
        (network.housing_areas[0], 2025, 37.5),
        (network.housing_areas[0], 2026, 12.0),  # counted on 1 December 2026: after the month
        (extra, 2025, 28.0),
    ):
        db.session.add(
            AreaReference(
                network_id=network.id,
                housing_area_id=area.id,
                as_of=date(year, 12, 1),
                percent=percent,
            )
        )
    db.session.add(PlanTarget(network_id=network.id, metric="activities.held", year=2026, value=9))
    db.session.add(PlanTarget(network_id=network.id, metric="activities.held", year=2025, value=4))
    db.session.commit()
    with_references, page = statements()
    assert with_references == without
    references = page[page.find('id="section-references"') : page.find("stats-legend")]
    assert "1. december 2025</th>" in references and "Østergården" in references
    assert "38 %" in references and "28 %" in references  # the latest up to March 2026
    assert "41 %" not in references and "12 %" not in references
    assert page.count("Mål:") == 1


def test_csv_is_semicolon_separated_with_decimal_commas_in_danish_and_comma_in_english(
    app, client, people, network
):
    """Danish Excel splits on semicolons and reads "4,5"; the BOM keeps æ, ø and å."""
    closing.close_month(network, 2026, 3, None, date(2026, 11, 27))
    log_in(client, make_user("steering", network).email)
    danish = client.get("/stats/2026/3/export.csv").get_data()
    assert danish.startswith(b"\xef\xbb\xbf")
    text = danish.decode("utf-8-sig")
    assert text.splitlines()[3] == "Sektion;Tabel;Række;Kolonne;Værdi;Tegn"
    assert all(len(row) in (0, 1, 2, 6) for row in csv.reader(io.StringIO(text), delimiter=";"))
    token = csrf_token_from(client.get("/stats/").get_data(as_text=True))
    client.post("/language", data={"lang": "en", "next": "/stats/", "csrf_token": token})
    english = client.get("/stats/2026/3/export.csv").get_data()
    assert english.startswith(b"\xef\xbb\xbf")
    assert english.decode("utf-8-sig").splitlines()[3] == "Section,Table,Row,Column,Value,Sign"


def test_a_share_target_carries_its_percent_sign_even_when_the_share_is_not_shown(
    app, client, network, login_as
):
    """With too few people the share itself is withheld; its target of 40 still reads 40 %."""
    login_as("coordinator")
    metric = "outcomes.work_or_education_share_cumulative"
    db.session.add(PlanTarget(network_id=network.id, metric=metric, year=2026, value=40))
    db.session.commit()
    page = client.get("/stats/2026/3").get_data(as_text=True)
    (row,) = re.findall(r"Mål:.*?</tr>", page, flags=re.S)
    assert re.search(r">\s*40\s%", row), row
    references = client.get("/stats/references").get_data(as_text=True)
    (row,) = re.findall(r"<tr><td>[^<]*</td><td>2026</td>.*?</tr>", references, flags=re.S)
    assert re.search(r">\s*40\s%", row), row
