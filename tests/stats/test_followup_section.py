"""Status after leaving in the steering group's report: the retention and cohort tables from
follow-up, counted by follow-up and protected by the cell key method like every other count
of people, on generated data."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from netvaerk.core.models import Membership, Network
from netvaerk.extensions import db
from netvaerk.followup.figures import settled_on
from netvaerk.followup.models import StatusCheck
from netvaerk.generate import generate
from netvaerk.stats import ckm, periods, services
from netvaerk.stats.figures import report_keys, report_system
from netvaerk.stats.followup_sections import COHORT_TABLE, RETENTION_TABLE
from netvaerk.stats.protection import shown_columns

from ..conftest import log_in
from ..factories import make_user

END = date(2026, 2, 20)
POPULATION = 10  # the setting, lowered: three generated networks are small


@pytest.fixture
def generated(app):
    """Three generated networks, every month of 2025 closed."""
    app.config["NETVAERK_MIN_POPULATION"] = POPULATION
    generate(3, 1.2, seed=11, end=END)
    return db.session.execute(select(Network).order_by(Network.id)).scalars().all()


def _tables(report) -> dict:
    return {t["key"]: t for s in report.sections for t in s.get("tables", ())}


def _settled_in(network_ids, first: date, last: date) -> dict[tuple[str, str], int]:
    """The true counts, straight from the status checks (months after, status column)."""
    counted: dict[tuple[str, str], int] = {}
    checks = db.session.execute(
        select(StatusCheck).where(
            StatusCheck.network_id.in_(network_ids), StatusCheck.cancelled.is_(False)
        )
    ).scalars()
    for check in checks:
        if first <= settled_on(check) <= last:
            status = check.status or "not_reached"
            column = (
                "in_work"
                if status in ("same_job", "other_job", "education", "internship")
                else "not_reached"
                if status == "not_reached"
                else "not_in_work"
            )
            key = (str(check.months_after), column)
            counted[key] = counted.get(key, 0) + 1
    return counted


@pytest.mark.parametrize("quarter", [4, None])
def test_a_quarter_and_a_year_have_the_tables_exact_for_follow_up_and_protected(generated, quarter):
    ids = [n.id for n in generated]
    year = periods.build_period_report(generated, 2025, quarter, exact=False)
    exact = periods.build_period_report(generated, 2025, quarter, exact=True)
    retention = _tables(exact)[RETENTION_TABLE]
    first = date(2025, 10, 1) if quarter else date(2025, 1, 1)
    truth = _settled_in(ids, first, date(2025, 12, 31))
    assert sum(truth.values()) > 20, truth
    for r, row in enumerate(retention["rows"]):
        for c, column in enumerate(retention["columns"]):
            assert retention["cells"][r][c] == truth.get((row, column), 0), (row, column)
    # The cohort table's totals are the retention table's cells (one id, the same count).
    cohorts = _tables(exact)[COHORT_TABLE]
    assert cohorts["rows"] and all("-Q" in row for row in cohorts["rows"])
    values = report_system(exact.sections)[0]
    six = next(i for i, row in enumerate(retention["rows"]) if row == "6")
    in_work_6 = sum(line[cohorts["columns"].index("in_work_6")] for line in cohorts["cells"])
    assert in_work_6 == retention["cells"][six][0] == values[f"{RETENTION_TABLE}\x1f6\x1fin_work"]
    # Protected: every shown count is its true value perturbed by its cell key, and a column
    # is shown only where its published total reaches the population.
    keys = report_keys(year.sections)
    protected = _tables(year)[RETENTION_TABLE]
    shown, _headline = shown_columns(protected, year.protection)
    assert shown, "three networks have enough checks to show the table"
    changed = 0
    for key, value in report_system(year.sections)[0].items():
        if not key.startswith(("followup.", f"{RETENTION_TABLE}")):
            continue
        if key in year.protection.derived:
            continue
        assert year.published[key] == ckm.perturb(value, keys[key]), key
        changed += year.published[key] != value
    assert changed > 0
    for column in shown:
        total = f"{RETENTION_TABLE}\x1f*\x1f{column}"
        assert year.published[total] >= year.protection.min_population


def test_a_single_network_month_never_shows_the_breakdown(generated):
    report = services.build_report(generated[:1], 2025, 11, exact=False)
    assert "followup" in report.protection.hidden_sections
    over_all = services.build_report(generated, 2025, 11, exact=False)
    assert "followup" not in over_all.protection.hidden_sections


def test_the_steering_pages_and_exports_show_the_tables_and_say_what_they_mean(generated, client):
    steering = make_user("steering", generated[0])
    for network in generated[1:]:
        db.session.add(Membership(user_id=steering.id, network_id=network.id, role="steering"))
    db.session.commit()
    log_in(client, steering.email)
    for url in ("/stats/2025", "/stats/2025/q4", "/stats/2025/11?network=all"):
        page = client.get(url).get_data(as_text=True)
        assert "Status efter stop" in page, url
        assert "“I arbejde efter 6 måneder”" in page, url
    one = client.get(f"/stats/2025/11?network={generated[0].id}").get_data(as_text=True)
    assert "Status efter stop" not in one
    csv = client.get("/stats/2025/q4/export.csv").get_data(as_text=True)
    assert "Status efter stop" in csv and "I arbejde efter 6 måneder" in csv
    workbook = load_workbook(io.BytesIO(client.get("/stats/2025/q4/export.xlsx").get_data()))
    cells = {str(c.value) for row in workbook.active.iter_rows() for c in row if c.value}
    assert "Status efter stop" in cells and any("I arbejde efter 6 måneder" in c for c in cells)
    pdf = client.get("/stats/2025/q4/export.pdf")
    assert pdf.status_code == 200 and pdf.get_data().startswith(b"%PDF")
