"""The rota and data rights, the audit trail and hostile input (issue 8)."""

from datetime import date

from sqlalchemy import func, or_, select

from netvaerk.audit.models import AuditEvent
from netvaerk.extensions import db
from netvaerk.privacy.services import erase_participant, export_participant
from netvaerk.rota import services
from netvaerk.rota.models import ChoreAssignment, ChoreChange

from ..factories import make_meeting, make_participant
from ..security.harness import XSS
from .conftest import make_chore

DAY = date(2026, 3, 4)


def _assign(network, meeting, chore, person, slot=1, done=False):
    assignment = ChoreAssignment(
        network_id=network.id,
        meeting_id=meeting.id,
        chore_id=chore.id,
        slot_no=slot,
        participant_id=person.id if person else None,
        is_done=done,
    )
    db.session.add(assignment)
    db.session.commit()
    return assignment


def test_access_request_export_and_erasure_cover_the_rota(app, network):
    person = make_participant(network, "Amina", "Hassan")
    other = make_participant(network, "Bo", "Jensen")
    chore = make_chore(network, "Opvask", 2)
    meeting = make_meeting(network, DAY)
    done = _assign(network, meeting, chore, person, done=True)
    coming = _assign(network, make_meeting(network, date(2026, 3, 5)), chore, person)
    theirs = _assign(network, meeting, chore, other, slot=2)
    db.session.add(
        ChoreChange(
            network_id=network.id,
            assignment_id=done.id,
            action="swap",
            from_participant_id=other.id,
            to_participant_id=person.id,
        )
    )
    db.session.commit()

    exported = export_participant(person)["rota"]
    assert {(row["date"], row["chore"], row["done"]) for row in exported["assignments"]} == {
        ("2026-03-04", "Opvask", True),
        ("2026-03-05", "Opvask", False),
    }
    assert [change["action"] for change in exported["changes"]] == ["swap"]

    coming_id, person_id = coming.id, person.id
    erase_participant(person, "Anmodning om sletning")
    db.session.expire_all()
    assert db.session.get(ChoreAssignment, coming_id) is None  # the slot opens up again
    kept = db.session.get(ChoreAssignment, done.id)
    assert kept.is_done and kept.participant_id is None  # only the count per chore stays
    assert db.session.get(ChoreAssignment, theirs.id).participant_id == other.id
    left = db.session.execute(
        select(func.count(ChoreChange.id)).where(
            or_(
                ChoreChange.from_participant_id == person_id,
                ChoreChange.to_participant_id == person_id,
            )
        )
    ).scalar_one()
    assert left == 0


def test_changes_to_someones_chores_are_in_the_audit_trail(app, network, login_as):
    facilitator = login_as("facilitator")
    first = make_participant(network, "Amina", "Hassan")
    second = make_participant(network, "Bo", "Jensen")
    chore = make_chore(network, "Kaffe og te")
    meeting = make_meeting(network, DAY)
    a = _assign(network, meeting, chore, first)
    b = _assign(network, make_meeting(network, date(2026, 3, 5)), chore, second)
    services.swap(a, b, facilitator.id)
    events = (
        db.session.execute(select(AuditEvent).where(AuditEvent.action == "rota.change"))
        .scalars()
        .all()
    )
    assert sorted(e.subject_id for e in events) == sorted([first.id, second.id])
    assert {e.user_id for e in events} == {facilitator.id}
    assert all(e.subject_type == "participant" for e in events)


def test_printable_week_and_meeting_page_escape_names(app, client, network, login_as):
    login_as("facilitator")
    person = make_participant(network, XSS, "Hansen")
    chore = make_chore(network, f"Kaffe {XSS}")
    meeting = make_meeting(network, DAY)
    _assign(network, meeting, chore, person)
    for url in (f"/rota/print?week={DAY.isoformat()}", f"/rota/meeting/{meeting.id}"):
        html = client.get(url).get_data(as_text=True)
        assert XSS not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_ids_too_large_for_the_database_answer_404(app, client, network, login_as):
    login_as("coordinator")
    huge = "9" * 25
    assert client.get(f"/rota/meeting/{huge}").status_code == 404
    assert client.get(f"/rota/chores/{huge}").status_code == 404
    assert client.get(f"/rota/assignment/{huge}/swap").status_code == 404
