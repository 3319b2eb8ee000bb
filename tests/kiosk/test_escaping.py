"""A resident named `<script>alert(1)</script>` is shown as text on every page that names them:
the kiosk grid, code step and confirmation, the register, the participant list and page, the
wheel, and the answer to a request for access (page and file)."""

import json
from datetime import datetime

import pytest

from netvaerk.extensions import db
from netvaerk.participants.services import set_code

from ..conftest import csrf_token_from, log_in
from ..factories import make_attendance, make_meeting, make_participant, make_user
from ..meetings.util import freeze_local_now
from ..security.harness import XSS

NOW = datetime(2026, 3, 4, 9, 15)  # Wednesday, the 9-12 meeting is on
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture
def world(app, network, monkeypatch):
    freeze_local_now(monkeypatch, NOW)
    meeting = make_meeting(network, NOW.date())
    person = make_participant(network, first_name=XSS, last_name=f"{XSS}Hansen")
    make_attendance(make_meeting(network, datetime(2026, 3, 2).date()), person)
    kiosk = app.test_client()
    log_in(kiosk, make_user("kiosk", network).email)
    staff = app.test_client()
    log_in(staff, make_user("coordinator", network).email)
    return {"meeting": meeting, "person": person, "kiosk": kiosk, "staff": staff}


def _as_text(response):
    assert response.status_code == 200, response.status_code
    html = response.get_data(as_text=True)
    assert XSS not in html
    assert ESCAPED in html
    return html


def _tap(client, person, **data):
    token = csrf_token_from(client.get("/kiosk/").get_data(as_text=True))
    return client.post(
        f"/kiosk/check-in/{person.id}", data={"csrf_token": token, **data}, follow_redirects=True
    )


def test_the_kiosk_shows_the_name_as_text(world):
    _as_text(world["kiosk"].get("/kiosk/"))
    confirmation = _as_text(_tap(world["kiosk"], world["person"]))
    assert 'class="kiosk-confirmation"' in confirmation


def test_the_kiosk_code_step_shows_the_name_as_text(world, network):
    network.checkin_code_required = True
    set_code(world["person"], "1234", None)
    db.session.commit()  # the service only flushes
    assert 'class="kiosk-code"' in _as_text(_tap(world["kiosk"], world["person"]))
    wrong = _as_text(_tap(world["kiosk"], world["person"], code="9999"))
    assert 'class="kiosk__error"' in wrong


def test_staff_pages_show_the_name_as_text(world):
    person, meeting, staff = world["person"], world["meeting"], world["staff"]
    for url in (
        f"/meetings/{meeting.id}/register",
        "/meetings/today",
        "/participants/",
        f"/participants/{person.id}",
        f"/participants/{person.id}/edit",
        f"/wheel/participants/{person.id}",
        f"/privacy/participants/{person.id}",
        f"/privacy/participants/{person.id}/erase",
    ):
        _as_text(staff.get(url))


def test_the_access_request_file_is_a_download_not_a_page(world):
    response = world["staff"].get(f"/privacy/participants/{world['person'].id}/export.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert json.loads(response.get_data(as_text=True))["participants"]["first_name"] == XSS
