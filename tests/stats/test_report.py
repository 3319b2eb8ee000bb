"""The monthly report: figures, closing, reopening, sums over networks and the queries used."""

import threading
from datetime import date, datetime

import pytest
from sqlalchemy import event

from netvaerk import labels
from netvaerk.core.errors import UserError
from netvaerk.extensions import db
from netvaerk.meetings.models import Attendance
from netvaerk.participants.models import Participant
from netvaerk.stats import closing, services
from netvaerk.stats.models import MonthlyReport
from netvaerk.stats.people_sections import AGE_BAND_ROWS, age_band_sql

from ..conftest import log_in
from ..factories import make_network, make_participant, make_user
from .helpers import close


@pytest.fixture(autouse=True)
def april_2026(monkeypatch):
    """Today is 15 April 2026, so March 2026 is complete."""
    monkeypatch.setattr("netvaerk.timeutil.local_now", lambda: datetime(2026, 4, 15, 10, 0))


def _figure(report, key):
    value, state, _kind = report.value(key)
    return value, state


def test_march_figures_add_up(people, network):
    report = services.build_report([network], 2026, 3, exact=True)
    assert report.counts["participants.active"] == 20
    assert report.counts["participants.left"] == 6
    assert report.counts["participants.new"] == sum(
        1 for p in people if p.periods[0].start_date.month == 3
    )
    assert report.counts["attendance.meetings_held"] == 9
    assert report.counts["attendance.meetings_cancelled"] == 1
    present = db.session.scalar(
        db.select(db.func.count(Attendance.id)).where(Attendance.status == "present")
    )
    assert report.counts["attendance.checkins"] == present
    # Exact for the coordinator, rounded once as the page shows it (one decimal).
    assert _figure(report, "attendance.avg_present") == (round(present / 9, 1), "shown")
    # Six leavers, one in each of six outcomes: the coordinator sees them exactly.
    assert report.counts["outcomes.by_outcome\x1fordinary_job\x1fmonth"] == 1
    into_work = report.counts["outcomes.by_outcome\x1f+work_or_education\x1fmonth"]
    share = round(into_work / 6, 2)  # a whole percent, as shown
    assert _figure(report, "outcomes.work_or_education_share_month") == (share, "shown")
    # The steering group sees the same month perturbed, headline figures only.
    protected = services.build_report([network], 2026, 3, exact=False)
    assert protected.protection.hidden_tables >= {"outcomes.by_outcome"}
    assert abs(protected.published["participants.active"] - 20) <= 2


def test_age_band_in_sql_matches_the_label_rule(app, network):
    for age in range(10, 80):
        birth_year = 2026 - age
        sql = db.session.scalar(db.select(age_band_sql(db.literal(birth_year, db.Integer), 2026)))
        assert sql == labels.age_band(birth_year, 2026)
        assert sql in AGE_BAND_ROWS


def test_a_closed_month_does_not_change_after_corrections(people, network):
    user = make_user("coordinator", network)
    close(network, 2026, 3, user)
    before = services.build_report([network], 2026, 3, exact=True)
    before_counts = dict(before.counts)
    # An attendance is corrected and a resident is erased after closing.
    attendance = db.session.scalars(db.select(Attendance).where(Attendance.status == "present"))
    attendance.first().status = "absent"
    db.session.delete(db.session.get(Participant, people[7].id))
    db.session.commit()
    db.session.expire_all()
    after = services.build_report([network], 2026, 3, exact=True)
    assert after.counts == before_counts
    live = services.compute_figures([network.id], 2026, 3)[network.id]
    assert live != after.snapshot.figures  # the live data did change


def test_reopening_recomputes_and_shows_the_revision(people, network, client):
    coordinator = make_user("coordinator", network)
    close(network, 2026, 3, coordinator)
    db.session.delete(db.session.get(Participant, people[10].id))
    db.session.commit()
    with pytest.raises(UserError):
        closing.reopen_month(network, 2026, 3, coordinator, "Fremmøde rettet")
    closing.reopen_month(network, 2026, 3, coordinator, "correction", "Fremmøde rettet")
    db.session.commit()
    report = services.build_report([network], 2026, 3, exact=True)
    assert report.counts["participants.active"] == 19
    assert report.snapshot.revision == 2
    log_in(client, coordinator.email)
    page = client.get("/stats/2026/3").get_data(as_text=True)
    assert "Fremmøde rettet" in page  # the coordinator's note
    assert "Correction of an error" in page or "Rettelse af en fejl" in page
    assert "revision 2" in page or "revision 2" in page.lower()


def test_closing_needs_a_finished_month_and_happens_once(people, network):
    with pytest.raises(UserError):
        close(network, 2026, 4, None)
    close(network, 2026, 3, None)
    with pytest.raises(UserError):
        close(network, 2026, 3, None)


@pytest.mark.commits
def test_two_coordinators_closing_at_once_make_one_snapshot(app, people, network):
    coordinators = [make_user("coordinator", network) for _ in range(2)]
    clients = []
    for coordinator in coordinators:
        client = app.test_client()
        log_in(client, coordinator.email)
        page = client.get("/stats/2026/3").get_data(as_text=True)
        token = page.split('name="csrf_token" value="')[1].split('"')[0]
        clients.append((client, token))
    barrier = threading.Barrier(2)
    statuses = []

    def close(client, token):
        barrier.wait()
        statuses.append(client.post("/stats/2026/3/close", data={"csrf_token": token}).status_code)

    threads = [threading.Thread(target=close, args=pair) for pair in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302, 302]
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(MonthlyReport.id))) == 1


def test_cross_network_report_adds_up_and_hides_what_one_network_hides(app, people, network):
    other = make_network()
    for i in range(8):
        make_participant(other, first_name=f"Navn{i}", start=date(2026, 2, 1 + i))
    report = services.build_report([network, other], 2026, 3, exact=True)
    assert report.counts["participants.active"] == 28
    one = services.build_report([network], 2026, 3, exact=True)
    single = services.build_report([other], 2026, 3, exact=True)
    for key, value in report.counts.items():
        assert value == one.counts.get(key, 0) + single.counts.get(key, 0)


@pytest.mark.commits
def test_the_number_of_queries_does_not_grow_with_the_data(app, network):
    def queries_for(network_ids):
        statements = []

        def count(*args):
            statements.append(1)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            services.compute_figures(network_ids, 2026, 3)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    empty = queries_for([network.id])
    networks = [make_network() for _ in range(5)]
    for n in networks:
        for i in range(6):
            make_participant(n, first_name=f"P{i}", start=date(2026, 3, 1 + i))
    ids = [n.id for n in networks]
    assert queries_for(ids) == empty + 1  # the new periods' record keys, written once
    assert queries_for(ids) == empty


def test_months_without_data_show_dashes_not_errors(app, network, login_as, client):
    login_as("coordinator")
    response = client.get("/stats/2026/1")
    assert response.status_code == 200
    assert "–" in response.get_data(as_text=True)
