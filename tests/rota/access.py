"""Access matrix entries of the rota: the week, the printable week, chores, swaps.

See tests/security/harness.py for the format. The rota names residents, so only the staff of
the network (coordinators and facilitators) see it; the steering group and the kiosk never do
(the kiosk shows a resident's own task through the check-in confirmation, not these pages).
Facilitators run the day (tick chores off, re-assign, swap); the chores themselves and
generating the rota are the coordinator's.
"""

from datetime import timedelta

from netvaerk import timeutil
from netvaerk.extensions import db
from netvaerk.meetings.models import Meeting
from netvaerk.rota.models import Chore, ChoreAssignment, ChoreChange

from ..factories import make_meeting, make_participant
from ..security.harness import DONE, XSS, allow

STAFF = ("coordinator", "facilitator")

ACCESS = {
    "netvaerk.rota.index": allow(*STAFF),
    "netvaerk.rota.print_week": allow(*STAFF),
    "netvaerk.rota.meeting": allow(*STAFF),
    "netvaerk.rota.swap": allow(*STAFF),
    "netvaerk.rota.mark_done": allow(*STAFF, answer=DONE),
    "netvaerk.rota.reassign": allow(*STAFF, answer=DONE),
    "netvaerk.rota.chores": allow("coordinator"),
    "netvaerk.rota.edit_chore": allow("coordinator"),
    "netvaerk.rota.generate": allow("coordinator"),
    "netvaerk.rota.deactivate_chore": allow("coordinator", answer=DONE),
    "netvaerk.rota.activate_chore": allow("coordinator", answer=DONE),
}

URL_ARGS = {
    # The week of the populated meeting, so the week and print pages show its names.
    "netvaerk.rota.index": lambda net: {"week": net.rota_meeting.date.isoformat()},
    "netvaerk.rota.print_week": lambda net: {"week": net.rota_meeting.date.isoformat()},
    "netvaerk.rota.meeting": lambda net: {"meeting_id": net.rota_meeting.id},
    "netvaerk.rota.swap": lambda net: {"assignment_id": net.rota_assignment.id},
    "netvaerk.rota.mark_done": lambda net: {"assignment_id": net.rota_assignment.id},
    "netvaerk.rota.reassign": lambda net: {"assignment_id": net.rota_open_assignment.id},
    "netvaerk.rota.edit_chore": lambda net: {"chore_id": net.chore.id},
    "netvaerk.rota.deactivate_chore": lambda net: {"chore_id": net.chore.id},
    "netvaerk.rota.activate_chore": lambda net: {"chore_id": net.retired_chore.id},
}

POST_DATA = {
    "netvaerk.rota.mark_done": lambda net: {"done": "1"},
}


def meeting_on(net, day):
    """The network's meeting on `day` (another capability may have made it already)."""
    found = db.session.execute(
        db.select(Meeting).where(
            Meeting.network_id == net.network.id,
            Meeting.date == day,
            Meeting.is_cancelled.is_(False),
        )
    ).scalar_one_or_none()
    return found or make_meeting(net.network, day)


def populate(net):
    """Two chores (one retired), a coming meeting with a held, an open and a swappable chore,
    and a hand change in its history; residents' names carry the markers and markup."""
    network = net.network
    people = [
        make_participant(
            network,
            first_name=f"{net.person_marker} Rota{n} {XSS}",
            last_name=f"{net.marker} Olsen",
        )
        for n in (1, 2)
    ]
    net.chore = Chore(network_id=network.id, name=f"Kaffe {net.marker} {XSS}", people_needed=3)
    net.retired_chore = Chore(
        network_id=network.id, name=f"Have {net.marker} {XSS}", is_active=False
    )
    db.session.add_all([net.chore, net.retired_chore])
    db.session.flush()
    net.rota_meeting = meeting_on(net, timeutil.local_today() + timedelta(days=15))
    held, other, empty = (
        ChoreAssignment(
            network_id=network.id,
            meeting_id=net.rota_meeting.id,
            chore_id=net.chore.id,
            slot_no=slot,
            participant_id=person.id if person else None,
        )
        for slot, person in ((1, people[0]), (2, people[1]), (3, None))
    )
    db.session.add_all([held, other, empty])
    db.session.flush()
    db.session.add(
        ChoreChange(
            network_id=network.id,
            assignment_id=held.id,
            action="swap",
            from_participant_id=people[1].id,
            to_participant_id=people[0].id,
            changed_by_id=net.users["facilitator"].id,
        )
    )
    db.session.commit()
    net.rota_people = people
    net.rota_assignment = held
    net.rota_open_assignment = empty
