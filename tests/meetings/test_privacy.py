"""Attendance in the access-request export and gone after erasure; register changes audited."""

from datetime import date, datetime

from netvaerk.audit.models import AuditEvent
from netvaerk.extensions import db
from netvaerk.meetings.models import Attendance

from ..conftest import csrf_token_from
from ..factories import make_attendance, make_meeting, make_participant
from .util import freeze_local_now


def test_attendance_is_exported_erased_and_its_changes_audited(
    client, network, login_as, monkeypatch
):
    freeze_local_now(monkeypatch, datetime(2026, 3, 4, 10, 0))
    login_as("coordinator")
    participant = make_participant(network)
    other = make_participant(network, first_name="Jonas")
    earlier = make_meeting(network, date(2026, 3, 2))
    today = make_meeting(network, date(2026, 3, 4))
    make_attendance(earlier, participant, status="notified", absence_reason="personal")
    kept = make_attendance(today, other).id
    register = f"/meetings/{today.id}/register"
    token = csrf_token_from(client.get(register).get_data(as_text=True))
    response = client.post(
        f"{register}/{participant.id}",
        data={"csrf_token": token, "status": "present", "reason": ""},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    events = db.session.execute(
        db.select(AuditEvent).where(AuditEvent.action == "attendance.update")
    ).scalars()
    assert [e.subject_id for e in events] == [participant.id]

    data = client.get(f"/privacy/participants/{participant.id}/export.json").get_json()
    attendance = data["meetings"]["attendance"]
    assert [(a["meeting_date"], a["status"], a["absence_reason"]) for a in attendance] == [
        ("2.3.2026", "Meldt afbud", "Personlige årsager"),
        ("4.3.2026", "Til stede", None),
    ]
    assert "Registrerede fremmøde" in [use["purpose"] for use in data["uses_of_the_data"]]

    url = f"/privacy/participants/{participant.id}/erase"
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    response = client.post(
        url, data={"csrf_token": token, "reason": "Anmodning om sletning", "confirm": "y"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert [a.id for a in db.session.query(Attendance)] == [kept]
