"""Quarterly and yearly reports: built from the closed months, shown to the steering group
only when every month is closed, with the breakdowns only where enough people are behind
them, the same people giving the same figure in a month, a quarter and a year."""

from datetime import date, datetime

import pytest

from netvaerk.core.models import Membership
from netvaerk.extensions import db
from netvaerk.participants.models import ParticipationPeriod
from netvaerk.stats import audit, periods, services
from netvaerk.stats.figures import column_total_id, personal_ids, table_values
from netvaerk.stats.protection import NOT_HEADLINE_COLUMNS, shown_columns

from ..conftest import log_in
from ..factories import make_network, make_participant, make_user
from .helpers import close, page_without_token

AGE = "participants.age_band"


@pytest.fixture(autouse=True)
def april_2026(monkeypatch):
    """Today is 15 April 2026: the first quarter is complete."""
    monkeypatch.setattr("netvaerk.timeutil.local_now", lambda: datetime(2026, 4, 15, 10, 0))


def _close(network, months):
    for month in months:
        close(network, 2026, month)


def _quarter(networks, exact=False, quarter=1, year=2026):
    return periods.build_period_report(networks, year, quarter, exact=exact)


def _table(report, key):
    return next(t for s in report.sections for t in s.get("tables", ()) if t["key"] == key)


def test_a_quarter_answers_steering_only_when_every_month_is_closed(client, people, network):
    _close(network, (1, 2))
    log_in(client, make_user("steering", network).email)
    open_quarter = client.get("/stats/2026/q1")
    unknown = client.get("/stats/2026/q5")
    future = client.get("/stats/2026/q3")
    assert open_quarter.status_code == unknown.status_code == future.status_code == 404
    same = page_without_token(open_quarter).replace(b"/stats/2026/q1", b"/stats/2026/q5")
    assert same == page_without_token(unknown)
    for fmt in ("csv", "xlsx", "pdf"):
        assert client.get(f"/stats/2026/q1/export.{fmt}").status_code == 404
    assert client.get("/stats/2026").status_code == 404
    assert client.get("/stats/1999").status_code == 404
    close(network, 2026, 3)
    page = client.get("/stats/2026/q1")
    assert page.status_code == 200
    for fmt, kind in (("csv", "text/csv"), ("xlsx", "spreadsheet"), ("pdf", "pdf")):
        answer = client.get(f"/stats/2026/q1/export.{fmt}")
        assert answer.status_code == 200 and kind in answer.content_type
    # The year is not closed: its page and exports are unknown to the steering group.
    assert client.get("/stats/2026").status_code == 404
    assert client.get("/stats/2026/export.csv").status_code == 404
    # The start page links to the closed quarter, not to the open year.
    start = client.get("/stats/").get_data(as_text=True)
    assert "/stats/2026/q1" in start and 'href="/stats/2026?' not in start


def test_steering_of_another_network_gets_404(client, people, network):
    _close(network, (1, 2, 3))
    other = make_network()
    log_in(client, make_user("steering", other).email)
    assert client.get(f"/stats/2026/q1?network={network.id}").status_code == 404
    assert client.get(f"/stats/2026/q1/export.csv?network={network.id}").status_code == 404
    # Their own network has closed nothing.
    assert client.get("/stats/2026/q1").status_code == 404


def test_a_late_change_does_not_show_in_a_closed_quarter(client, people, network):
    _close(network, (1, 2, 3))
    log_in(client, make_user("steering", network).email)
    before = page_without_token(client.get("/stats/2026/q1"))
    period = db.session.scalars(db.select(ParticipationPeriod)).all()[12]
    period.end_date, period.outcome = date(2026, 2, 20), "ordinary_job"
    db.session.commit()
    assert page_without_token(client.get("/stats/2026/q1")) == before


def test_coordinators_see_their_networks_exact_quarter_open_months_included(
    client, people, network
):
    log_in(client, make_user("coordinator", network).email)
    assert client.get("/stats/2026/q1").status_code == 200
    assert client.get("/stats/2026").status_code == 200
    assert client.get("/stats/2026/q3").status_code == 404  # not begun
    report = _quarter([network], exact=True)
    assert report.exact and report.published == report.counts
    # All 20 started in the quarter and were active in March; 6 left.
    assert report.counts["participants.new"] == 20
    assert report.counts["participants.active"] == 20
    assert report.counts["participants.left"] == 6
    assert sum(report.counts[f"{AGE}\x1f{row}\x1fnew"] for row in _table(report, AGE)["rows"]) == 20


def test_a_breakdown_column_is_shown_only_over_the_population(app, people, network):
    _close(network, (1, 2, 3))
    month = services.build_report([network], 2026, 3, exact=False)
    assert AGE in month.protection.hidden_tables  # a single network's month: headline only
    for population in (5, 20, 1000):
        app.config["NETVAERK_MIN_POPULATION"] = population
        report = _quarter([network])
        protection = report.protection
        for section in report.sections:
            for table in section.get("tables", ()):
                if not table.get("personal", True):
                    continue
                shown, _headline = shown_columns(table, protection)
                for column in table["columns"]:
                    total = protection.published[column_total_id(table, column)]
                    visible = total >= population and column not in NOT_HEADLINE_COLUMNS
                    assert (column in shown) == visible, (table["key"], column, population)
        for key, value in protection.published.items():
            if key in personal_ids(report.sections) and key not in protection.derived:
                assert (key in protection.few) == (value < population)
        if population == 5:
            assert "active" in shown_columns(_table(report, AGE), protection)[0]
        if population == 1000:
            assert AGE in protection.hidden_tables


def test_the_same_people_give_the_same_figure_in_a_month_a_quarter_and_a_year(
    monkeypatch, client, people, network
):
    monkeypatch.setattr("netvaerk.timeutil.local_now", lambda: datetime(2027, 1, 15, 10, 0))
    _close(network, range(1, 13))
    log_in(client, make_user("steering", network).email)
    assert client.get("/stats/2026").status_code == 200  # every month closed
    assert client.get("/stats/2026/export.xlsx").status_code == 200
    months = {m: services.build_report([network], 2026, m, exact=False) for m in (1, 2, 3, 12)}
    q1, q4 = _quarter([network]), _quarter([network], quarter=4)
    year = _quarter([network], quarter=None)
    table = _table(q1, AGE)
    exact = {m: table_values(_table(r, AGE)) for m, r in months.items()}
    for row in table["rows"]:
        active, new = f"{AGE}\x1f{row}\x1factive", f"{AGE}\x1f{row}\x1fnew"
        # At the period's end: the last month's people, so its figure.
        assert q1.published[active] == months[3].published[active]
        assert year.published[active] == q4.published[active] == months[12].published[active]
        # Everyone started in the first quarter: the year's starters are the quarter's.
        assert year.published[new] == q1.published[new]
        contributing = [m for m in (1, 2, 3) if exact[m].get(new)]
        if len(contributing) == 1:
            assert q1.published[new] == months[contributing[0]].published[new]
    # A headline flow is the sum of the months' published values, never a second measurement.
    started = sum(months[m].published["participants.new"] for m in (1, 2, 3))
    assert q1.published["participants.new"] == started


def test_the_sum_over_networks_of_a_quarter(client, people, network):
    other = make_network()
    for i in range(3):
        make_participant(other, first_name=f"Ny{i}", start=date(2026, 2, 2 + i))
    db.session.commit()
    _close(network, (1, 2, 3))
    _close(other, (1, 2, 3))
    steering = make_user("steering", network)
    db.session.add(Membership(user_id=steering.id, network_id=other.id, role="steering"))
    db.session.commit()
    log_in(client, steering.email)
    assert client.get("/stats/2026/q1?network=all").status_code == 200
    both = _quarter([network, other])
    alone = [_quarter([network]), _quarter([other])]
    key = "participants.active"
    assert both.published[key] == sum(r.published[key] for r in alone)


def test_the_audit_attacks_the_quarters_with_the_months(people, network):
    _close(network, (1, 2, 3))
    steering = make_user("steering", network)
    release = audit.account_release(steering, date(2026, 4, 15))
    quarter_vars = {v for terms, _low, _high in release.published for v in terms if v[2] == -1}
    assert (network.id, 2026, -1, "participants.new") in quarter_vars
    # The quarter's flow is the sum of its months' flows, an identity the attack uses.
    linked = {(network.id, 2026, m, "participants.new") for m in (-1, 1, 2, 3)}
    assert any(set(e) == linked for e in release.equalities)
    result = audit.attack(release)
    assert result.pinned_small == []
    assert result.share_pinned < 0.05


def test_a_quarter_page_speaks_of_the_period_not_the_month(client, people, network):
    """Issue 29: the quarter said "Aktive i måneden" and "(Denne måned)"."""
    log_in(client, make_user("coordinator", network).email)
    page = client.get("/stats/2026/q1").get_data(as_text=True)
    assert "Aktive i perioden" in page
    assert "måneden" not in page.lower().replace("lukkede måneder", "")
    assert "Denne måned" not in page
    month = client.get("/stats/2026/3").get_data(as_text=True)
    assert "Aktive i måneden" in month  # the month page keeps its words
