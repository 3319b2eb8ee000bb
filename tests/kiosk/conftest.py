"""Fixtures shared by the participant, meeting and kiosk tests."""

from datetime import datetime

import pytest

from ..conftest import log_in
from ..factories import make_meeting, make_participant, make_user
from ..meetings.util import (
    freeze_local_now,
    slot_part,  # noqa: F401
)

NOW = datetime(2026, 3, 4, 9, 15)  # Wednesday, the 9-12 meeting is on


@pytest.fixture
def kiosk(app, network, monkeypatch):
    """A logged-in kiosk client, today's meeting and two active residents."""
    freeze_local_now(monkeypatch, NOW)
    meeting = make_meeting(network, NOW.date())
    amina = make_participant(network, "Amina", "Hassan")
    lone = make_participant(network, "Lone", "Kristensen")
    make_participant(network, "Gitte", "Poulsen", status="intake")
    make_participant(network, "Bo", "Rasmussen", status="left")
    user = make_user("kiosk", network)
    client = app.test_client()
    log_in(client, user.email)
    return {
        "client": client,
        "meeting": meeting,
        "amina": amina,
        "lone": lone,
        "user": user,
        "network": network,
    }
