"""Access matrix entries of the participants: list, register, page, status flow, codes.

Everything about a resident is the coordinators' work (issue 3: "Participants (coordinator)");
facilitators see who is present on the register, never the participant pages; the steering
group never sees a person. See tests/security/harness.py for the format.
"""

from datetime import date

from netvaerk.extensions import db

from ..factories import make_participant
from ..security.harness import DONE, XSS, allow

COORDINATOR = allow("coordinator")
COORDINATOR_POST = allow("coordinator", answer=DONE)

ACCESS = {
    "netvaerk.participants.index": COORDINATOR,
    "netvaerk.participants.create": COORDINATOR,
    "netvaerk.participants.show": COORDINATOR,
    "netvaerk.participants.edit": COORDINATOR,
    "netvaerk.participants.left": COORDINATOR,
    "netvaerk.participants.places": COORDINATOR,
    "netvaerk.participants.intake": COORDINATOR_POST,
    "netvaerk.participants.start": COORDINATOR_POST,
    "netvaerk.participants.come_back": COORDINATOR_POST,
    "netvaerk.participants.leave": COORDINATOR_POST,
    "netvaerk.participants.set_code": COORDINATOR_POST,
    "netvaerk.participants.remove_code": COORDINATOR_POST,
}


def _person(net):
    return {"participant_id": participant_of(net).id}


URL_ARGS = {
    "netvaerk.participants.show": _person,
    "netvaerk.participants.edit": _person,
    "netvaerk.participants.leave": _person,
    "netvaerk.participants.set_code": _person,
    "netvaerk.participants.remove_code": _person,
    "netvaerk.participants.intake": lambda net: {"participant_id": net.interested.id},
    "netvaerk.participants.start": lambda net: {"participant_id": net.after_intake.id},
    "netvaerk.participants.come_back": lambda net: {"participant_id": net.former.id},
    "netvaerk.participants.left": lambda net: {"participant_id": net.former.id},
}

POST_DATA = {
    "netvaerk.participants.set_code": lambda net: {"code": "1234"},
}


def participant_of(net):
    """The network's active participant (created once; other capabilities' rows use it)."""
    if getattr(net, "participant", None) is None:
        net.participant = make_participant(
            net.network,
            first_name=f"{net.person_marker} {XSS}",
            last_name=f"{net.marker} Nielsen",
            phone="12345678",
            email=f"{net.person_marker.lower()}@example.org",
            intake_date=date(2025, 12, 1),
            intake_note=f"Samtale {net.person_marker} {XSS}",
            consent_date=date(2025, 12, 1),
            consent_text=f"Samtykke {net.marker} {XSS}",
        )
    return net.participant


def populate(net):
    """An active participant, one just interested, one after intake and one who left."""
    participant_of(net)
    net.interested = make_participant(
        net.network,
        first_name=f"{net.person_marker} Interesseret {XSS}",
        last_name=f"{net.marker} Larsen",
        status="interested",
    )
    net.after_intake = make_participant(
        net.network,
        first_name=f"{net.person_marker} Samtale {XSS}",
        last_name=f"{net.marker} Holm",
        status="intake",
        intake_date=date(2026, 1, 5),
    )
    net.former = make_participant(
        net.network,
        first_name=f"{net.person_marker} Tidligere {XSS}",
        last_name=f"{net.marker} Berg",
        status="left",
        start=date(2025, 6, 1),
    )
    net.former.periods[0].end_date = date(2025, 12, 15)
    net.former.periods[0].outcome = "ordinary_job"
    db.session.commit()
