"""A network with two residents and something of each on every part of the resident's page."""

from datetime import date, datetime, timedelta

import pytest

from netvaerk.extensions import db
from netvaerk.followup.models import Commitment
from netvaerk.participants.services import set_code
from netvaerk.rota.models import Chore, ChoreAssignment
from netvaerk.wheel import services as wheel
from netvaerk.wheel.areas import active_areas

from ..conftest import log_in
from ..factories import make_activity, make_attendance, make_meeting, make_participant, make_user
from ..meetings.util import freeze_local_now

NOW = datetime(2026, 3, 4, 9, 15)  # Wednesday, the 9-12 meeting is on


def _chore(network, meeting, participant, name):
    chore = Chore(network_id=network.id, name=name)
    db.session.add(chore)
    db.session.flush()
    db.session.add(
        ChoreAssignment(
            network_id=network.id,
            meeting_id=meeting.id,
            chore_id=chore.id,
            participant_id=participant.id,
        )
    )


def fill(network, amina, lone, today: date):
    """Attendance, chores, an activity, commitments and a wheel for Amina; others for Lone."""
    monday = today - timedelta(days=today.weekday())
    past = [make_meeting(network, monday - timedelta(days=7 * w)) for w in (1, 2)]
    past += [
        make_meeting(network, monday - timedelta(days=7 * w) + timedelta(days=2)) for w in (1, 2)
    ]
    for meeting in past[:3]:
        make_attendance(meeting, amina)
    make_attendance(past[3], lone)
    today_meeting = make_meeting(network, today)
    tomorrow = make_meeting(network, today + timedelta(days=2))
    _chore(network, today_meeting, amina, "Kaffe")
    _chore(network, tomorrow, amina, "Opvask")
    _chore(network, today_meeting, lone, "LONESOPGAVE")
    make_activity(network, today + timedelta(days=1), title="Jobcafé")
    db.session.add_all(
        [
            Commitment(
                network_id=network.id,
                participant_id=amina.id,
                text="Ring til jobcentret",
                due_on=today + timedelta(days=5),
            ),
            Commitment(
                network_id=network.id,
                participant_id=lone.id,
                text="LONESAFTALE",
                due_on=today + timedelta(days=5),
            ),
        ]
    )
    areas = active_areas(network.id)
    wheel.record_scoring(
        amina,
        today - timedelta(days=30),
        {area.id: 4 for area in areas},
        today=today,
        goal="Et job i en butik",
        consent_now=True,
    )
    wheel.record_scoring(
        lone,
        today - timedelta(days=30),
        {area.id: 2 for area in areas},
        today=today,
        goal="LONESMÅL",
        consent_now=True,
    )
    db.session.commit()
    return today_meeting


@pytest.fixture
def residents(app, network, monkeypatch):
    """Amina (with a kiosk code 1234) and Lone, each with data; today's meeting is open."""
    freeze_local_now(monkeypatch, NOW)
    amina = make_participant(network, "Amina", "Hassan", start=date(2025, 11, 1))
    lone = make_participant(network, "Lone", "Kristensen", start=date(2025, 11, 1))
    set_code(amina, "1234", None)
    db.session.commit()
    meeting = fill(network, amina, lone, NOW.date())
    return {"network": network, "amina": amina, "lone": lone, "meeting": meeting}


@pytest.fixture
def kiosk_client(app, residents):
    """A logged-in kiosk tablet."""
    user = make_user("kiosk", residents["network"])
    client = app.test_client()
    log_in(client, user.email)
    return client
