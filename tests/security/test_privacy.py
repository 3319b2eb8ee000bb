"""Data rights: the answer to a request for access, erasure, and the retention clean-up."""

import json
from datetime import date, timedelta

import pytest

from netvaerk.audit.models import AuditEvent
from netvaerk.audit.services import record
from netvaerk.core import registry
from netvaerk.extensions import db
from netvaerk.meetings.models import Attendance
from netvaerk.participants.models import Participant, ParticipationPeriod
from netvaerk.privacy.services import months_before
from netvaerk.timeutil import utcnow

from ..conftest import csrf_token_from
from ..factories import make_attendance, make_meeting, make_network, make_participant
from .harness import XSS


@pytest.fixture
def hooks(monkeypatch):
    """A capability's personal-data hooks, as one would register them."""
    erased = []
    monkeypatch.setitem(
        registry.current_registry().exporters,
        "wheel",
        lambda p: {"scores": [3, 7], "goal": "arbejde"},
    )
    monkeypatch.setitem(registry.current_registry().erasers, "wheel", lambda p: erased.append(p.id))
    return erased


def _look_up(app, participant, staff):
    with app.test_request_context():
        record(
            "participant.view",
            network_id=participant.network_id,
            user_id=staff.id,
            subject_type="participant",
            subject_id=participant.id,
        )
    db.session.commit()


def test_export_holds_everything_and_the_uses_without_staff(app, client, network, login_as, hooks):
    coordinator = login_as("coordinator")
    participant = make_participant(network, first_name="Amina", intake_note="Vil gerne i praktik")
    _look_up(app, participant, coordinator)
    response = client.get(f"/privacy/participants/{participant.id}/export.json")
    assert response.headers["Content-Disposition"].startswith("attachment")
    data = json.loads(response.get_data(as_text=True))
    assert data["participants"]["first_name"] == "Amina"
    assert data["participants"]["intake_note"] == "Vil gerne i praktik"
    assert data["participants"]["periods"][0]["start"] == "2026-01-01"
    assert "participant" not in data  # the participant's fields are listed once
    assert data["wheel"] == {"scores": [3, 7], "goal": "arbejde"}
    uses = data["uses_of_the_data"]
    assert uses[0]["purpose"] == "Så en deltagers side" and uses[0]["date"][:4].isdigit()
    text = json.dumps(data)
    assert coordinator.email not in text and coordinator.name not in text
    assert "checkin_code_hash" not in text
    exports = (
        db.session.execute(db.select(AuditEvent).where(AuditEvent.action == "participant.export"))
        .scalars()
        .all()
    )
    assert [e.subject_id for e in exports] == [participant.id]


def test_export_page_is_readable_and_escaped(client, network, login_as, hooks):
    login_as("coordinator")
    participant = make_participant(network, first_name=XSS, last_name="Hansen")
    html = client.get(f"/privacy/participants/{participant.id}").get_data(as_text=True)
    assert "Fornavn" in html and "Forløb i Netværket" in html and "arbejde" in html
    assert XSS not in html and "&lt;script&gt;" in html


def _erase(client, participant, **data):
    url = f"/privacy/participants/{participant.id}/erase"
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


def test_erasure_needs_a_reason_and_a_confirmation(client, network, login_as, hooks):
    login_as("coordinator")
    participant = make_participant(network)
    for data in ({"reason": "Bedt om det", "confirm": ""}, {"reason": " ", "confirm": "y"}):
        response = _erase(client, participant, **data)
        assert response.status_code == 200
        assert "Ret venligst de markerede felter" in response.get_data(as_text=True)
    assert db.session.get(Participant, participant.id) is not None
    assert hooks == []


def test_erasure_removes_the_person_everywhere_and_is_recorded(
    app, client, network, login_as, hooks
):
    coordinator = login_as("coordinator")
    participant = make_participant(network)
    other = make_participant(network, first_name="Jonas")
    meeting = make_meeting(network, date(2026, 1, 5))
    make_attendance(meeting, participant)
    make_attendance(meeting, other)
    _look_up(app, participant, coordinator)
    _look_up(app, other, coordinator)
    other_id, coordinator_id = other.id, coordinator.id
    response = _erase(client, participant, reason="Anmodning om sletning", confirm="y")
    assert response.status_code == 302
    participant_id = participant.id
    db.session.expunge_all()
    assert db.session.get(Participant, participant_id) is None
    participant = type("Gone", (), {"id": participant_id})
    assert (
        db.session.query(ParticipationPeriod).filter_by(participant_id=participant.id).count() == 0
    )
    assert [a.participant_id for a in db.session.query(Attendance)] == [other_id]
    assert hooks == [participant.id]
    about = (
        db.session.execute(
            db.select(AuditEvent).where(
                AuditEvent.subject_type == "participant", AuditEvent.subject_id == participant.id
            )
        )
        .scalars()
        .all()
    )
    assert [(e.action, e.detail, e.user_id) for e in about] == [
        ("participant.erase", "Anmodning om sletning", coordinator_id)
    ]
    assert db.session.query(AuditEvent).filter_by(subject_id=other_id).count() == 1


def _left(network, months_ago: int, today: date):
    participant = make_participant(network, status="left", start=date(2020, 1, 1))
    participant.periods[0].end_date = months_before(today, months_ago) - timedelta(days=1)
    db.session.commit()
    return participant


def test_purge_is_a_dry_run_unless_applied(app, runner, network, hooks):
    today = date.today()
    short = make_network(retention_months=3)
    gone = _left(network, 13, today)
    kept = _left(network, 11, today)
    gone_short = _left(short, 4, today)
    active = make_participant(network)
    with app.test_request_context():
        old = record("login.failure")
        old.created_at = utcnow() - timedelta(days=800)
        fresh = record("participant.view", network_id=network.id)
    db.session.commit()

    dry = runner.invoke(args=["purge"])
    assert dry.exit_code == 0, dry.output
    assert f"would erase 2 participant(s) (ids: {gone.id}, {gone_short.id})" in dry.output
    assert "would delete 1 old audit event(s)" in dry.output
    assert db.session.query(Participant).count() == 4

    ids = {"kept": kept.id, "active": active.id, "old": old.id, "fresh": fresh.id}
    erased = sorted([gone.id, gone_short.id])
    applied = runner.invoke(args=["purge", "--apply"])
    assert applied.exit_code == 0, applied.output
    assert "Erased 2 participant(s)" in applied.output
    db.session.expunge_all()
    assert {p.id for p in db.session.query(Participant)} == {ids["kept"], ids["active"]}
    assert db.session.get(AuditEvent, ids["old"]) is None
    assert db.session.get(AuditEvent, ids["fresh"]) is not None
    assert sorted(hooks) == erased
    again = runner.invoke(args=["purge", "--apply"])
    assert "Erased 0 participant(s)" in again.output


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 3, 31), 1, date(2026, 2, 28)),
        (date(2026, 1, 15), 12, date(2025, 1, 15)),
        (date(2026, 1, 15), 13, date(2024, 12, 15)),
        (date(2024, 2, 29), 12, date(2023, 2, 28)),
    ],
)
def test_months_before(day, months, expected):
    assert months_before(day, months) == expected
