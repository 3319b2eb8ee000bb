"""Access matrix entries of the meetings: the weekly pattern, closures, the register.

Planning meetings (pattern, closures, cancelling, moving) is the coordinators' work; the
register of today is also the facilitators' ("see who is present today; record attendance
corrections", DESIGN.md). See tests/security/harness.py for the format.
"""

from datetime import time, timedelta

from netvaerk import timeutil
from netvaerk.extensions import db
from netvaerk.meetings.models import Closure

from ..factories import make_attendance, make_meeting
from ..participants.access import participant_of
from ..security.harness import DONE, XSS, allow

COORDINATOR = allow("coordinator")
COORDINATOR_POST = allow("coordinator", answer=DONE)
REGISTER = allow("coordinator", "facilitator")

ACCESS = {
    "netvaerk.meetings.index": COORDINATOR,
    "netvaerk.meetings.generate": COORDINATOR_POST,
    "netvaerk.meetings.add_extra": COORDINATOR_POST,
    "netvaerk.meetings.cancel": COORDINATOR,
    "netvaerk.meetings.reinstate": COORDINATOR_POST,
    "netvaerk.meetings.move": COORDINATOR,
    "netvaerk.meetings.settings": COORDINATOR,
    "netvaerk.meetings.closures": COORDINATOR,
    "netvaerk.meetings.edit_closure": COORDINATOR,
    "netvaerk.meetings.delete_closure": COORDINATOR_POST,
    "netvaerk.meetings.follow_up": COORDINATOR,
    "netvaerk.meetings.today": REGISTER,
    "netvaerk.meetings.register": REGISTER,
    "netvaerk.meetings.mark": allow("coordinator", "facilitator", answer=DONE),
    "netvaerk.meetings.save_register": allow("coordinator", "facilitator", answer=DONE),
}

URL_ARGS = {
    "netvaerk.meetings.cancel": lambda net: {"meeting_id": net.future_meeting.id},
    "netvaerk.meetings.move": lambda net: {"meeting_id": net.future_meeting.id},
    "netvaerk.meetings.reinstate": lambda net: {"meeting_id": net.cancelled_meeting.id},
    "netvaerk.meetings.edit_closure": lambda net: {"closure_id": net.closure.id},
    "netvaerk.meetings.delete_closure": lambda net: {"closure_id": net.closure.id},
    "netvaerk.meetings.register": lambda net: {"meeting_id": net.meeting.id},
    "netvaerk.meetings.save_register": lambda net: {"meeting_id": net.meeting.id},
    "netvaerk.meetings.mark": lambda net: {
        "meeting_id": net.meeting.id,
        "participant_id": participant_of(net).id,
    },
}

POST_DATA = {
    "netvaerk.meetings.mark": lambda net: {"status": "present", "reason": ""},
    "netvaerk.meetings.save_register": lambda net: {f"status-{participant_of(net).id}": "present"},
}


def populate(net):
    """Today's meeting open all day (the kiosk can check in), past meetings with three
    unexplained absences (the follow-up list), an upcoming, a cancelled one and a closure."""
    today = timeutil.local_today()
    person = participant_of(net)
    # pattern_date None: extra meetings, whatever other capabilities put on today's date.
    net.meeting = make_meeting(
        net.network, today, start=time(0, 0), end=time(23, 59), pattern_date=None
    )
    make_attendance(net.meeting, person)
    for weeks in (1, 2, 3):
        past = make_meeting(net.network, today - timedelta(weeks=weeks), pattern_date=None)
        make_attendance(past, person, status="absent", source="register")
    net.future_meeting = make_meeting(net.network, today + timedelta(days=15), pattern_date=None)
    net.cancelled_meeting = make_meeting(
        net.network,
        today + timedelta(days=22),
        pattern_date=None,
        is_cancelled=True,
        cancel_reason=f"Aflyst {net.marker} {XSS}",
    )
    net.closure = Closure(
        network_id=net.network.id,
        start_date=today + timedelta(days=60),
        end_date=today + timedelta(days=70),
        reason=f"Sommerferie {net.marker} {XSS}",
    )
    db.session.add(net.closure)
    db.session.commit()
