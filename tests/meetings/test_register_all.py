"""The register as one form: rows start "not registered", "save all", one row, "fill in present"."""

from datetime import datetime

import pytest

from netvaerk.extensions import db
from netvaerk.meetings.models import Attendance

from ..factories import make_attendance, make_meeting, make_participant
from .util import freeze_local_now, post_form

NOW = datetime(2026, 3, 4, 10, 0)  # Wednesday, during the 9-12 meeting


@pytest.fixture
def today_meeting(network, monkeypatch):
    freeze_local_now(monkeypatch, NOW)
    return make_meeting(network, NOW.date())


def _statuses(meeting):
    db.session.expire_all()
    rows = db.session.execute(db.select(Attendance).filter_by(meeting_id=meeting.id)).scalars()
    return {row.participant_id: row.status for row in rows}


def _save(client, meeting, data):
    url = f"/meetings/{meeting.id}/register"
    return post_form(client, url, url, data)


def test_rows_start_not_registered_and_a_stray_save_marks_nobody(
    client, network, login_as, today_meeting
):
    lone = make_participant(network, "Lone", "Kristensen")
    login_as("facilitator")
    html = client.get("/meetings/today").get_data(as_text=True)
    row = html[html.index(f'id="status-{lone.id}"') :]
    row = row[: row.index("</select>")]
    assert '<option value="" selected>– ikke registreret –</option>' in row
    assert 'value="present" selected' not in row
    # The form as the browser sends it when "Save" (or "Save all") is pressed untouched.
    response = _save(client, today_meeting, {f"status-{lone.id}": "", "only": str(lone.id)})
    assert response.status_code == 302
    assert _statuses(today_meeting) == {}


def test_save_all_saves_the_filled_in_rows_only(client, network, login_as, today_meeting):
    amina = make_participant(network, "Amina", "Hassan")
    lone = make_participant(network, "Lone", "Kristensen")
    bo = make_participant(network, "Bo", "Rasmussen")
    login_as("facilitator")
    data = {
        f"status-{amina.id}": "present",
        f"status-{lone.id}": "notified",
        f"reason-{lone.id}": "personal",
        f"status-{bo.id}": "",
    }
    response = _save(client, today_meeting, data)
    assert response.status_code == 302
    assert _statuses(today_meeting) == {amina.id: "present", lone.id: "notified"}


def test_one_rows_save_saves_that_row_only(client, network, login_as, today_meeting):
    amina = make_participant(network, "Amina", "Hassan")
    lone = make_participant(network, "Lone", "Kristensen")
    login_as("facilitator")
    data = {f"status-{amina.id}": "present", f"status-{lone.id}": "absent", "only": str(lone.id)}
    assert _save(client, today_meeting, data).status_code == 302
    assert _statuses(today_meeting) == {lone.id: "absent"}


def test_a_bad_row_saves_nothing(client, network, login_as, today_meeting):
    amina = make_participant(network, "Amina", "Hassan")
    lone = make_participant(network, "Lone", "Kristensen")
    login_as("facilitator")
    data = {f"status-{amina.id}": "present", f"status-{lone.id}": "notified"}  # no reason
    response = _save(client, today_meeting, data)
    assert response.status_code == 400
    assert "Vælg årsagen til fraværet" in response.get_data(as_text=True)
    assert _statuses(today_meeting) == {}


def test_fill_in_present_preselects_only_the_rows_nobody_registered(
    client, network, login_as, today_meeting
):
    amina = make_participant(network, "Amina", "Hassan")
    lone = make_participant(network, "Lone", "Kristensen")
    make_attendance(today_meeting, lone, status="absent", source="register")
    login_as("facilitator")
    html = client.get("/meetings/today?preset=present").get_data(as_text=True)
    amina_row = html[html.index(f'id="status-{amina.id}"') :]
    assert 'value="present" selected' in amina_row[: amina_row.index("</select>")]
    lone_row = html[html.index(f'id="status-{lone.id}"') :]
    assert 'value="absent" selected' in lone_row[: lone_row.index("</select>")]
    assert _statuses(today_meeting) == {lone.id: "absent"}  # nothing saved by looking


def test_the_kiosk_cannot_save_the_register(app, network, today_meeting):
    from ..conftest import log_in
    from ..factories import make_user

    person = make_participant(network, "Amina", "Hassan")
    client = app.test_client()
    log_in(client, make_user("kiosk", network).email)
    response = client.post(
        f"/meetings/{today_meeting.id}/register", data={f"status-{person.id}": "present"}
    )
    assert response.status_code in (400, 403)
    assert _statuses(today_meeting) == {}
