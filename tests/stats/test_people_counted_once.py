"""Issue 27: the monthly figures count a person once, however many periods they have in the
month (a return within the month; periods duplicated by a double click before 0020)."""

from datetime import date, datetime

import pytest

from netvaerk.extensions import db
from netvaerk.participants.models import ParticipationPeriod
from netvaerk.stats import services

from ..factories import make_participant


@pytest.fixture(autouse=True)
def april_2026(monkeypatch):
    monkeypatch.setattr("netvaerk.timeutil.local_now", lambda: datetime(2026, 4, 15, 10, 0))


def test_someone_who_left_and_came_back_in_the_month_is_one_person(app, network):
    person = make_participant(network, status="active", start=date(2026, 3, 2))
    person.periods[0].end_date, person.periods[0].outcome = date(2026, 3, 10), "stopped"
    db.session.add(
        ParticipationPeriod(
            participant_id=person.id, network_id=network.id, start_date=date(2026, 3, 20)
        )
    )
    db.session.commit()
    report = services.build_report([network], 2026, 3, exact=True)
    assert report.counts["participants.active"] == 1
    assert report.counts["participants.new"] == 1
    assert report.counts["participants.left"] == 1
