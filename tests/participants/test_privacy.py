"""The participants' part of the data rights: consent at intake, no CPR number or health
field, and a participant's own data in the access-request export and gone after erasure."""

import re
from datetime import datetime

import pytest

from netvaerk.audit.models import AuditEvent
from netvaerk.extensions import db
from netvaerk.participants.models import Participant, ParticipationPeriod, StatusChange

from ..conftest import csrf_token_from
from ..factories import make_participant
from ..meetings.util import freeze_local_now

NOW = datetime(2026, 3, 4, 9, 15)
FORBIDDEN_FIELDS = re.compile(r"cpr|personnummer|health|helbred|diagnos|sygdom|illness", re.I)


@pytest.fixture
def coordinator(app, login_as, monkeypatch):
    freeze_local_now(monkeypatch, NOW)
    return login_as("coordinator")


def _post(client, url, data):
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


def _new_resident(network, **overrides):
    return {
        "first_name": "Amina",
        "last_name": "Hassan",
        "housing_area_id": str(network.housing_areas[0].id),
        "birth_year": "1985",
        "readiness_group": "1",
        "consent_date": "2026-03-01",
        **overrides,
    }


def test_the_intake_form_shows_what_the_resident_agrees_to(client, network, coordinator):
    html = client.get("/participants/new").get_data(as_text=True)
    textarea = re.search(r'<textarea[^>]*name="consent_text"[^>]*>(.*?)</textarea>', html, re.S)
    assert textarea is not None
    text = textarea.group(1).strip()
    assert text.startswith("Jeg giver samtykke til")
    assert "12 måneder" in text and "slettet" in text


def test_the_consent_text_is_recorded_with_who_and_when(client, network, coordinator):
    agreed = "Jeg giver samtykke til, at netværket gemmer mit navn og mit fremmøde."
    response = _post(client, "/participants/new", _new_resident(network, consent_text=agreed))
    assert response.status_code == 302
    participant = db.session.execute(db.select(Participant)).scalar_one()
    assert participant.consent_text == agreed
    assert participant.consent_date.isoformat() == "2026-03-01"
    assert participant.consent_recorded_by_id == coordinator.id
    page = client.get(f"/participants/{participant.id}").get_data(as_text=True)
    assert agreed in page


@pytest.mark.parametrize("consent_text", ["", "   "])
def test_no_resident_is_registered_without_what_they_agreed_to(
    client, network, coordinator, consent_text
):
    response = _post(client, "/participants/new", _new_resident(network, consent_text=consent_text))
    assert response.status_code == 200
    assert "Skriv, hvad deltageren har givet samtykke til." in response.get_data(as_text=True)
    assert db.session.query(Participant).count() == 0


def test_no_cpr_number_or_health_field_exists(app, client, network, coordinator):
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            assert not FORBIDDEN_FIELDS.search(column.name), f"{table.name}.{column.name}"
    participant = make_participant(network)
    for url in ("/participants/new", f"/participants/{participant.id}/edit"):
        html = client.get(url).get_data(as_text=True)
        names = re.findall(r'name="([^"]+)"', html)
        labels = re.findall(r"<label[^>]*>(.*?)</label>", html, re.S)
        assert names and labels
        for found in names + labels:
            assert not FORBIDDEN_FIELDS.search(found), (url, found)


def _export(client, participant):
    response = client.get(f"/privacy/participants/{participant.id}/export.json")
    assert response.status_code == 200
    return response.get_json()


def _erase(client, participant):
    response = _post(
        client,
        f"/privacy/participants/{participant.id}/erase",
        {"reason": "Anmodning om sletning", "confirm": "y"},
    )
    assert response.status_code == 302


def test_export_holds_the_participants_own_data(client, network, coordinator):
    participant = make_participant(
        network,
        phone="20304050",
        email="amina@example.net",
        intake_note="Vil gerne i praktik",
        consent_text="Samtykke til opbevaring",
    )
    client.get(f"/participants/{participant.id}")  # a look-up, listed with its purpose
    data = _export(client, participant)["participants"]
    assert data["first_name"] == "Amina" and data["phone"] == "20304050"
    assert data["email"] == "amina@example.net"
    assert data["intake_note"] == "Vil gerne i praktik"
    assert data["consent_text"] == "Samtykke til opbevaring"
    assert data["periods"] == [{"start": "1.1.2026", "end": None, "outcome": None}]  # Danish dates
    uses = _export(client, participant)["uses_of_the_data"]
    assert "Så en deltagers side" in [use["purpose"] for use in uses]


def test_erasure_removes_the_participants_own_data(client, network, coordinator):
    participant = make_participant(network, phone="20304050", intake_note="Vil gerne i praktik")
    other = make_participant(network, first_name="Jonas")
    client.get(f"/participants/{participant.id}")
    _post(client, f"/participants/{participant.id}/code", {"code": "1234"})
    participant_id, other_id = participant.id, other.id
    _erase(client, participant)
    db.session.expunge_all()
    assert db.session.get(Participant, participant_id) is None
    assert db.session.get(Participant, other_id) is not None
    for model in (ParticipationPeriod, StatusChange):
        assert db.session.query(model).filter_by(participant_id=participant_id).count() == 0
    events = db.session.execute(
        db.select(AuditEvent.action).where(
            AuditEvent.subject_type == "participant", AuditEvent.subject_id == participant_id
        )
    ).scalars()
    assert list(events) == ["participant.erase"]
