"""Access matrix entries of follow-up.

Conversations, commitments and options are kept by coordinators and by the facilitators a
coordinator named to follow the resident (issue 15; need to know, issue 27). The matrix's
facilitator follows nobody, so every page about a resident answers 403 to them and their due
list is empty; another facilitator of the network follows the resident
(`test_followers.py` tests the named facilitator's side). The status checks after leaving
show the person's phone and e-mail and are the coordinators' only, as are the settings and
naming followers. The steering group and the kiosk never see a person. See
tests/security/harness.py for the format.
"""

from datetime import date, timedelta

from netvaerk import timeutil
from netvaerk.extensions import db
from netvaerk.followup import conversations
from netvaerk.followup.models import Follower
from netvaerk.participants import services as participants

from ..factories import make_participant, make_user
from ..participants.access import participant_of
from ..security.harness import DONE, NOT_FOUND, XSS, allow

STAFF = allow("coordinator", "facilitator")
# Pages about one resident: coordinators, and facilitators only when named to follow them.
FOLLOWERS = allow("coordinator")
FOLLOWERS_POST = allow("coordinator", answer=DONE)

ACCESS = {
    "netvaerk.followup.index": STAFF,
    "netvaerk.followup.person": FOLLOWERS,
    "netvaerk.followup.new_conversation": FOLLOWERS,
    "netvaerk.followup.commitment": FOLLOWERS_POST,
    "netvaerk.followup.add_option": FOLLOWERS_POST,
    "netvaerk.followup.choose_option": FOLLOWERS_POST,
    "netvaerk.followup.remove_option": FOLLOWERS_POST,
    "netvaerk.followup.add_follower": allow("coordinator", answer=DONE),
    "netvaerk.followup.remove_follower": allow("coordinator", answer=DONE),
    "netvaerk.followup.check": allow("coordinator"),
    "netvaerk.followup.settings": allow("coordinator"),
}


def _person(net):
    return {"participant_id": participant_of(net).id}


URL_ARGS = {
    "netvaerk.followup.person": _person,
    "netvaerk.followup.new_conversation": _person,
    "netvaerk.followup.add_option": _person,
    "netvaerk.followup.add_follower": _person,
    "netvaerk.followup.remove_follower": lambda net: {"follower_id": net.follower.id},
    "netvaerk.followup.commitment": lambda net: {"commitment_id": net.commitment.id},
    "netvaerk.followup.choose_option": lambda net: {"option_id": net.option.id},
    "netvaerk.followup.remove_option": lambda net: {"option_id": net.spare_option.id},
    "netvaerk.followup.check": lambda net: {"participant_id": net.worker.id, "months": 3},
}

# Another network's resident is not found before anyone asks who follows them.
FOREIGN_ACCESS = {
    endpoint: {"facilitator": NOT_FOUND}
    for endpoint in (
        "netvaerk.followup.person",
        "netvaerk.followup.new_conversation",
        "netvaerk.followup.commitment",
        "netvaerk.followup.add_option",
        "netvaerk.followup.choose_option",
        "netvaerk.followup.remove_option",
    )
}

POST_DATA = {
    "netvaerk.followup.add_option": lambda net: {"text": f"Idé {net.person_marker}"},
    "netvaerk.followup.choose_option": lambda net: {"plan": "B"},
    # Names the facilitator who already follows: refused as a clash, nothing changes.
    "netvaerk.followup.add_follower": lambda net: {
        "user_id": net.follower.user_id,
        "role": "mentor",
    },
}


def populate(net):
    """A conversation with a commitment and options for the active participant, and someone
    who left into a job (with status checks), all with markup in the free text."""
    person = participant_of(net)
    today = timeutil.local_today()
    start = person.current_period.start_date if person.current_period else today
    conversation = conversations.log_conversation(
        person,
        max(start, today),
        f"Deltog {net.person_marker} {XSS}",
        f"Aftalt {net.person_marker} {XSS}",
        None,
        [(f"Aftale {net.person_marker} {XSS}", today)],
        net.users["coordinator"].id,
        today,
    )
    net.commitment = conversation.commitments[0]
    net.option = conversations.add_option(person, f"Mulighed {net.person_marker} {XSS}", None)
    net.spare_option = conversations.add_option(person, f"Reserve {net.person_marker}", None)
    net.worker = make_participant(
        net.network,
        first_name=f"{net.person_marker} Arbejder {XSS}",
        last_name=f"{net.marker} Lund",
        start=date(2025, 3, 3),
        phone="87654321",
    )
    participants.leave(net.worker, today - timedelta(days=95), "ordinary_job", None, today)
    mentor = make_user("facilitator", net.network, email=f"mentor.{net.marker.lower()}@example.org")
    net.follower = Follower(
        network_id=net.network.id, participant_id=person.id, user_id=mentor.id, role="mentor"
    )
    db.session.add(net.follower)
    db.session.commit()
