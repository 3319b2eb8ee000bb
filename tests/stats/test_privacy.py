"""Closed monthly reports survive the data rights: erasing a participant and the purge."""

from datetime import datetime

import pytest

from netvaerk.extensions import db
from netvaerk.participants.models import Participant
from netvaerk.stats import services
from netvaerk.stats.models import MonthlyReport

from ..conftest import csrf_token_from, log_in
from ..factories import make_user


@pytest.fixture(autouse=True)
def april_2026(monkeypatch):
    """Today is 15 April 2026, so March 2026 is complete."""
    monkeypatch.setattr("netvaerk.timeutil.local_now", lambda: datetime(2026, 4, 15, 10, 0))


def _close_march(client, network):
    coordinator = make_user("coordinator", network)
    log_in(client, coordinator.email)
    page = client.get("/stats/2026/3").get_data(as_text=True)
    response = client.post("/stats/2026/3/close", data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 302
    report = db.session.execute(db.select(MonthlyReport)).scalar_one()
    csv = client.get("/stats/2026/3/export.csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    return coordinator, dict(report.figures), csv.data


def _closed_march(client):
    db.session.expire_all()
    report = db.session.execute(db.select(MonthlyReport)).scalar_one()
    csv = client.get("/stats/2026/3/export.csv")
    assert csv.status_code == 200
    return dict(report.figures), csv.data


def test_erasing_participants_leaves_a_closed_month_unchanged(people, network, client):
    _coordinator, figures, csv = _close_march(client, network)
    # One who left in March (an outcome) and one still active (attendance).
    for person in (people[0], people[10]):
        url = f"/privacy/participants/{person.id}/erase"
        token = csrf_token_from(client.get(url).get_data(as_text=True))
        response = client.post(
            url, data={"csrf_token": token, "reason": "Anmodning om sletning", "confirm": "y"}
        )
        assert response.status_code == 302
    assert db.session.query(Participant).count() == len(people) - 2
    assert _closed_march(client) == (figures, csv)
    # The live figures did change: the closed report is what keeps the month as it was.
    assert services.compute_figures([network.id], 2026, 3)[network.id] != figures


def test_the_purge_leaves_a_closed_month_unchanged(people, network, client, runner, monkeypatch):
    _coordinator, figures, csv = _close_march(client, network)
    # More than the default 12 months after the six March leavers left.
    monkeypatch.setattr("netvaerk.timeutil.local_now", lambda: datetime(2027, 6, 1, 10, 0))
    result = runner.invoke(args=["purge", "--apply"])
    assert result.exit_code == 0, result.output
    assert "Erased 6 participant(s)" in result.output
    assert db.session.query(Participant).count() == len(people) - 6
    assert _closed_march(client) == (figures, csv)
    assert services.compute_figures([network.id], 2026, 3)[network.id] != figures
