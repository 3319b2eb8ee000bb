"""Data rights: the answer to a request for access, erasure, and the retention clean-up."""

import json
from datetime import date, timedelta

import pytest

from netvaerk.audit.models import AuditEvent
from netvaerk.audit.services import record
from netvaerk.core import registry
from netvaerk.core.models import Network
from netvaerk.extensions import db
from netvaerk.meetings.models import Attendance
from netvaerk.participants.models import Participant, ParticipationPeriod
from netvaerk.privacy.retention import months_before
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
    # Dates in Danish format and codes as words, in the reader's language.
    assert data["participants"]["periods"][0]["start"] == "1.1.2026"
    assert data["participants"]["status"] == "Aktiv"
    assert "participant" not in data  # the participant's fields are listed once
    assert data["wheel"] == {"scores": [3, 7], "goal": "arbejde"}
    uses = data["uses_of_the_data"]
    assert uses[0]["purpose"] == "Så en deltagers side" and " kl. " in uses[0]["date"]
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


def test_purge_erases_people_who_never_started_after_six_months(app, runner, network, hooks):
    today = date.today()
    long_ago = utcnow() - timedelta(days=400)
    interested = make_participant(network, first_name="Ida", status="interested")
    intake = make_participant(network, first_name="Ib", status="intake")
    recent = make_participant(network, first_name="Ulla", status="interested")
    for person in (interested, intake):
        person.created_at = long_ago
    intake.intake_date = months_before(today, 7)
    db.session.commit()
    ids = sorted([interested.id, intake.id])
    recent_id, network_id = recent.id, network.id

    dry = runner.invoke(args=["purge"])
    assert f"would erase 2 participant(s) (ids: {ids[0]}, {ids[1]})" in dry.output
    assert db.session.query(Participant).count() == 3
    applied = runner.invoke(args=["purge", "--apply"])
    assert applied.exit_code == 0, applied.output
    db.session.expunge_all()
    assert {p.id for p in db.session.query(Participant)} == {recent_id}
    # Every purge is audited: the clean-up itself and each erasure with its reason.
    actions = [e.action for e in db.session.query(AuditEvent).order_by(AuditEvent.id)]
    assert actions.count("participant.erase") == 2 and "privacy.purge" in actions
    reasons = {e.detail for e in db.session.query(AuditEvent).filter_by(action="participant.erase")}
    assert reasons == {"Startede aldrig, og perioden for at gemme sådanne data var udløbet"}

    # The setting: with 12 months, a 7-month-old intake is kept.
    app.config["NETVAERK_NEVER_STARTED_MONTHS"] = 12
    network = db.session.get(Network, network_id)
    late = make_participant(
        network, first_name="Bo", status="intake", intake_date=months_before(today, 7)
    )
    late.created_at = long_ago
    db.session.commit()
    assert "would erase 0 participant(s)" in runner.invoke(args=["purge"]).output


def test_retention_is_set_on_a_page_and_by_the_command_line(app, client, runner, network, login_as):
    login_as("coordinator")
    url = "/privacy/retention"
    page = client.get(url)
    assert page.status_code == 200 and 'value="12"' in page.get_data(as_text=True)
    token = csrf_token_from(page.get_data(as_text=True))
    form = {"network_id": network.id, "csrf_token": token}
    refused = client.post(url, data={**form, "months": "0"})
    assert refused.status_code == 200 and "1 til 120" in refused.get_data(as_text=True)
    other = make_network("Andet netværk")
    foreign = client.post(url, data={**form, "network_id": other.id, "months": "24"})
    assert foreign.status_code == 404  # a coordinator sets only their own network's
    assert client.post(url, data={**form, "months": "24"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Network, network.id).retention_months == 24
    changed = db.session.query(AuditEvent).filter_by(action="privacy.retention_changed").one()
    assert changed.network_id == network.id and changed.detail == "12 → 24"

    result = runner.invoke(args=["retention", str(network.id), "--months", "6"])
    assert result.exit_code == 0 and "keeps data 6 month(s)" in result.output
    db.session.expire_all()
    assert db.session.get(Network, network.id).retention_months == 6
    assert runner.invoke(args=["retention", str(network.id), "--months", "500"]).exit_code != 0
    assert runner.invoke(args=["retention", "99999"]).exit_code != 0


def test_a_site_administrator_sets_retention_for_every_network(app, client, network, login_as):
    other = make_network("Andet netværk")
    login_as("admin")
    page = client.get("/privacy/retention").get_data(as_text=True)
    assert network.name in page and "Andet netværk" in page
    token = csrf_token_from(page)
    data = {"network_id": other.id, "months": "36", "csrf_token": token}
    assert client.post("/privacy/retention", data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(Network, other.id).retention_months == 36


def test_the_wheel_is_stored_only_with_consent_and_withdrawing_deletes_it(
    app, client, network, login_as
):
    from netvaerk.wheel import services as wheel
    from netvaerk.wheel.models import WheelConsent, WheelScoring

    login_as("facilitator")
    person = make_participant(network)
    url = f"/wheel/participants/{person.id}/new"
    page = client.get(url).get_data(as_text=True)
    assert "samtykke" in page.lower()
    areas = wheel.active_areas(network.id)
    assert "Sundhed" in [a.name_da for a in areas]  # seed 001's health area stays
    data = {f"area_{a.id}": "6" for a in areas}
    data.update({"scored_on": date.today().isoformat(), "csrf_token": csrf_token_from(page)})

    refused = client.post(url, data=data)
    assert refused.status_code == 200
    assert db.session.query(WheelScoring).count() == 0
    assert db.session.query(WheelConsent).count() == 0

    assert client.post(url, data={**data, "consent": "y"}).status_code == 302
    assert db.session.query(WheelConsent).one().participant_id == person.id
    # Later scorings rest on the consent given once.
    later = {**data, "scored_on": (date.today() - timedelta(days=1)).isoformat()}
    assert client.post(url, data=later).status_code == 302
    assert db.session.query(WheelScoring).count() == 2

    wheel_page = client.get(f"/wheel/participants/{person.id}").get_data(as_text=True)
    withdraw = f"/wheel/participants/{person.id}/consent/withdraw"
    response = client.post(withdraw, data={"csrf_token": csrf_token_from(wheel_page)})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.query(WheelScoring).count() == 0
    assert db.session.query(WheelConsent).count() == 0
    assert db.session.query(AuditEvent).filter_by(action="wheel.consent_withdrawn").count() == 1
