"""Fixtures for the rota tests: a fixed clock, participants, meetings and chores."""

from datetime import date, datetime, timedelta

import pytest

from netvaerk.extensions import db
from netvaerk.rota.models import Chore

from ..factories import make_meeting, make_participant

# Monday 2 March 2026, 08:00 in Copenhagen: the week's meetings are Mon, Wed and Thu 9-12.
MONDAY = date(2026, 3, 2)


@pytest.fixture
def clock(monkeypatch):
    """Set the local time the rota sees; returns a setter."""
    now = {"value": datetime(2026, 3, 2, 8, 0)}
    monkeypatch.setattr("netvaerk.timeutil.local_now", lambda: now["value"])

    def set_now(value: datetime) -> None:
        now["value"] = value

    return set_now


@pytest.fixture
def people(network):
    """Four active participants."""
    return [
        make_participant(network, first, last)
        for first, last in (
            ("Amina", "Hassan"),
            ("Bo", "Jensen"),
            ("Camilla", "Olsen"),
            ("Dariusz", "Nowak"),
        )
    ]


@pytest.fixture
def week_meetings(network):
    """The week's meetings: Monday, Wednesday and Thursday."""
    return [make_meeting(network, MONDAY + timedelta(days=d)) for d in (0, 2, 3)]


def make_chore(network, name, needed=1, weekdays="0,1,2,3,4", active=True) -> Chore:
    """A chore of the network."""
    chore = Chore(
        network_id=network.id,
        name=name,
        people_needed=needed,
        weekdays=weekdays,
        is_active=active,
    )
    db.session.add(chore)
    db.session.commit()
    return chore


@pytest.fixture
def chores(network):
    """Coffee (1), dishes (2) on every day, and the garden (1) on Mondays."""
    return [
        make_chore(network, "Kaffe og te"),
        make_chore(network, "Opvask", 2),
        make_chore(network, "Have", 1, "0"),
    ]
