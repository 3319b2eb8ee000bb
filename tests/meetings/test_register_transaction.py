"""The register saves in the request's one transaction: every row of a "Save all" or none."""

from datetime import datetime

import pytest

from netvaerk.extensions import db
from netvaerk.meetings import services
from netvaerk.meetings.models import Attendance
from netvaerk.participants.models import Participant

from ..factories import make_meeting, make_participant, make_user
from .util import freeze_local_now, post_form

NOW = datetime(2026, 3, 4, 10, 0)  # Wednesday, during the 9-12 meeting


@pytest.fixture
def today_meeting(network, monkeypatch):
    freeze_local_now(monkeypatch, NOW)
    return make_meeting(network, NOW.date())


def _saved(meeting) -> dict[int, str]:
    """What the register holds for the meeting, read fresh from the database."""
    db.session.expire_all()
    rows = db.session.execute(db.select(Attendance).filter_by(meeting_id=meeting.id)).scalars()
    return {row.participant_id: row.status for row in rows}


def test_mark_attendance_leaves_the_commit_to_its_caller(network, today_meeting):
    """The service only flushes: what its caller rolls back is not saved."""
    amina = make_participant(network, "Amina", "Hassan")
    staff = make_user("facilitator", network)
    services.mark_attendance(today_meeting, amina, "present", None, staff.id, NOW.date())
    assert _saved(today_meeting) == {amina.id: "present"}  # flushed, in this transaction
    db.session.rollback()
    assert _saved(today_meeting) == {}


def test_a_row_the_database_refuses_leaves_no_row_saved(
    client, network, login_as, today_meeting, monkeypatch
):
    """ "Save all" with a row the database refuses (its person erased at the same moment):
    the user is told, and the rows before it are not saved either."""
    amina = make_participant(network, "Amina", "Hassan")
    gone = Participant(id=999_999, network_id=network.id, first_name="Gone", last_name="Away")
    real_rows = services.register_rows
    monkeypatch.setattr(
        services, "register_rows", lambda meeting: [*real_rows(meeting), (gone, None)]
    )
    login_as("facilitator")
    url = f"/meetings/{today_meeting.id}/register"
    response = post_form(
        client, url, url, {f"status-{amina.id}": "present", f"status-{gone.id}": "present"}
    )
    assert response.status_code in (303, 409)
    assert _saved(today_meeting) == {}
    page = client.get(url).get_data(as_text=True)
    assert "intet blev gemt" in page.lower()


def test_save_all_still_saves_every_row(client, network, login_as, today_meeting):
    amina = make_participant(network, "Amina", "Hassan")
    lone = make_participant(network, "Lone", "Kristensen")
    login_as("facilitator")
    url = f"/meetings/{today_meeting.id}/register"
    data = {f"status-{amina.id}": "present", f"status-{lone.id}": "absent"}
    assert post_form(client, url, url, data).status_code == 302
    assert _saved(today_meeting) == {amina.id: "present", lone.id: "absent"}
