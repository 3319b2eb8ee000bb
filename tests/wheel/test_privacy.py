"""The wheel of life in the access-request export, gone after erasure, and its look-ups audited."""

from datetime import date

from netvaerk.audit.models import AuditEvent
from netvaerk.extensions import db
from netvaerk.wheel import services
from netvaerk.wheel.models import WheelScore, WheelScoring

from ..conftest import csrf_token_from
from ..factories import make_participant


def _score(participant, goal):
    areas = services.active_areas(participant.network_id)
    scoring = services.record_scoring(
        participant,
        date(2026, 1, 10),
        {a.id: 6 for a in areas},
        today=date(2026, 1, 10),
        goal=goal,
        plan_a="Praktik",
        consent_now=True,
    )
    db.session.commit()  # the service only flushes; the caller commits
    return scoring


def _actions(participant_id):
    return list(
        db.session.execute(
            db.select(AuditEvent.action).where(
                AuditEvent.subject_type == "participant", AuditEvent.subject_id == participant_id
            )
        ).scalars()
    )


def test_export_holds_the_wheel_and_its_look_ups(client, network, login_as):
    login_as("coordinator")
    participant = make_participant(network)
    _score(participant, "Et job i detailhandlen")
    client.get(f"/wheel/participants/{participant.id}")
    client.get(f"/wheel/participants/{participant.id}/new")  # shows the goal and plans
    # the scoring itself is audited by the service that saves it, the two look-ups by the pages
    assert sorted(_actions(participant.id)) == ["wheel.record", "wheel.view", "wheel.view"]
    data = client.get(f"/privacy/participants/{participant.id}/export.json").get_json()
    (scoring,) = data["wheel"]["scorings"]
    assert scoring["goal"] == "Et job i detailhandlen" and scoring["plan_a"] == "Praktik"
    assert scoring["scores"]["Familie"] == 6
    purposes = [use["purpose"] for use in data["uses_of_the_data"]]
    assert purposes.count("Så en deltagers livshjul") == 2 and "Udfyldte et livshjul" in purposes


def test_erasure_removes_the_wheel(client, network, login_as):
    login_as("coordinator")
    participant = make_participant(network)
    other = make_participant(network, first_name="Jonas")
    _score(participant, "Et job")
    kept = _score(other, "Uddannelse").id
    url = f"/privacy/participants/{participant.id}/erase"
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    response = client.post(
        url, data={"csrf_token": token, "reason": "Anmodning om sletning", "confirm": "y"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert [s.id for s in db.session.query(WheelScoring)] == [kept]
    assert {s.scoring_id for s in db.session.query(WheelScore)} == {kept}
