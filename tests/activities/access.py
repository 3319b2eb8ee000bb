"""Access matrix entries of activities: programme, sign-ups, planning, invitations, feeds.

See tests/security/harness.py for the format. Facilitators and coordinators plan and run
activities; the overview of unfilled places, cancelling, giving places, activity types and
inviting facilitators are the coordinator's. The steering group sees activities only as
figures in the monthly report, and the kiosk never leaves its screen.

The invitation link and the calendar feed are secret-token links: the token is the only key,
so they open for anyone holding it (anonymous or logged in to any network). What such a link
shows of its network is therefore created here without the network's markers (the leak check
would otherwise flag the link's own network as "foreign" when another network's coordinator
tries it); `test_security.py` checks unknown, used and expired tokens.
"""

from datetime import timedelta
from decimal import Decimal

from netvaerk import timeutil
from netvaerk.activities.models import ActivityType, Cancellation, Invitation, Wish
from netvaerk.activities.services import renew_feed, token_hash
from netvaerk.extensions import db

from ..factories import make_activity, make_signup
from ..security.harness import DONE, FORBIDDEN, NOT_FOUND, OK, XSS, allow, everyone

PLANNERS = ("coordinator", "facilitator")
# A token link works for whoever holds it; the kiosk stays confined to its screen.
TOKEN_LINK = everyone(OK, kiosk=FORBIDDEN)

ACCESS = {
    "netvaerk.activities.programme": allow(*PLANNERS),
    "netvaerk.activities.new": allow(*PLANNERS),
    # Facilitators edit only what they planned or run; `open_activity` is neither for the
    # matrix's facilitator (test_planning.py tests their own activities).
    "netvaerk.activities.edit": allow("coordinator"),
    "netvaerk.activities.detail": allow(*PLANNERS),
    "netvaerk.activities.withdraw": allow(*PLANNERS),
    "netvaerk.activities.calendar": allow(*PLANNERS),
    "netvaerk.activities.wishes": allow(*PLANNERS),
    "netvaerk.activities.signup": allow(*PLANNERS, answer=DONE),
    "netvaerk.activities.leave_waitlist": allow(*PLANNERS, answer=DONE),
    # The facilitator confirms the hours of their own place (the probe uses theirs).
    "netvaerk.activities.confirm_hours": allow(*PLANNERS, answer=DONE),
    "netvaerk.activities.wish_status": allow(*PLANNERS, answer=DONE),
    "netvaerk.activities.overview": allow("coordinator"),
    "netvaerk.activities.types": allow("coordinator"),
    "netvaerk.activities.settings": allow("coordinator"),
    "netvaerk.activities.edit_type": allow("coordinator"),
    "netvaerk.activities.facilitator_list": allow("coordinator"),
    "netvaerk.activities.cancel": allow("coordinator", answer=DONE),
    "netvaerk.activities.assign": allow("coordinator", answer=DONE),
    "netvaerk.activities.acknowledge": allow("coordinator", answer=DONE),
    "netvaerk.activities.not_held": allow("coordinator", answer=DONE),
    "netvaerk.activities.revoke": allow("coordinator", answer=DONE),
    "netvaerk.activities.accept": TOKEN_LINK,
    "netvaerk.activities.feed": TOKEN_LINK,
}

URL_ARGS = {
    "netvaerk.activities.edit": lambda net: {"activity_id": net.open_activity.id},
    "netvaerk.activities.detail": lambda net: {"activity_id": net.activity.id},
    "netvaerk.activities.withdraw": lambda net: {"activity_id": net.activity.id},
    "netvaerk.activities.signup": lambda net: {"activity_id": net.open_activity.id},
    "netvaerk.activities.leave_waitlist": lambda net: {"activity_id": net.activity.id},
    "netvaerk.activities.cancel": lambda net: {"activity_id": net.open_activity.id},
    "netvaerk.activities.assign": lambda net: {"activity_id": net.open_activity.id},
    "netvaerk.activities.not_held": lambda net: {"activity_id": net.past_activity.id},
    "netvaerk.activities.confirm_hours": lambda net: {
        "activity_id": net.past_activity.id,
        "signup_id": net.past_signup.id,
    },
    "netvaerk.activities.acknowledge": lambda net: {"cancellation_id": net.cancellation.id},
    "netvaerk.activities.edit_type": lambda net: {"type_id": net.activity_type.id},
    "netvaerk.activities.revoke": lambda net: {"invitation_id": net.invitation.id},
    "netvaerk.activities.wish_status": lambda net: {"wish_id": net.wish.id},
    "netvaerk.activities.accept": lambda net: {"token": net.invitation_token},
    "netvaerk.activities.feed": lambda net: {"token": net.feed_token},
}

POST_DATA = {
    "netvaerk.activities.assign": lambda net: {"user_id": net.users["facilitator"].id},
    "netvaerk.activities.confirm_hours": lambda net: {f"s{net.past_signup.id}-hours": "2"},
    "netvaerk.activities.wish_status": lambda net: {"status": "planned"},
}

# Another network's token is still the key to its link (404 is only for unknown tokens).
FOREIGN_ACCESS = {
    endpoint: {"facilitator": OK, "coordinator": OK, "steering": OK, "other_coordinator": OK}
    for endpoint in ("netvaerk.activities.accept", "netvaerk.activities.feed")
}
# Another network's activity is not found before anyone asks whose it is.
FOREIGN_ACCESS["netvaerk.activities.edit"] = {"facilitator": NOT_FOUND}

FUZZ = {
    # Renewing the calendar link answers with the page that shows the new link.
    "netvaerk.activities.calendar": {"success": (200,)},
}


def populate(net):
    """A type, a coming activity run by the facilitator, an open one, a past one to confirm,
    a late cancellation, an invitation, a wish and a calendar feed; all with markup."""
    network = net.network
    today = timeutil.local_today()
    facilitator = net.users["facilitator"]
    net.activity_type = ActivityType(
        network_id=network.id,
        name_da=f"Værksted {net.marker} {XSS}",
        name_en=f"Workshop {net.marker} {XSS}",
    )
    db.session.add(net.activity_type)
    db.session.commit()
    net.activity = make_activity(
        network,
        today + timedelta(days=10),
        needed=1,
        has_waitlist=True,
        type_id=net.activity_type.id,
        title=f"CV {net.marker} {XSS}",
        description=f"Beskrivelse {net.marker} {XSS}",
        place=f"Lokale {net.marker} {XSS}",
    )
    make_signup(net.activity, facilitator)
    net.open_activity = make_activity(
        network, today + timedelta(days=12), needed=2, title=f"Walk {net.marker} {XSS}"
    )
    net.past_activity = make_activity(
        network, today - timedelta(days=3), needed=1, title=f"Forbi {net.marker} {XSS}"
    )
    net.past_signup = make_signup(net.past_activity, facilitator)
    net.cancellation = Cancellation(
        network_id=network.id,
        activity_id=net.open_activity.id,
        user_id=facilitator.id,
        reason=f"Syg {net.marker} {XSS}",
        is_late=True,
    )
    net.wish = Wish(network_id=network.id, text=f"Mere motion {net.marker} {XSS}")
    net.invitation_token = f"invitation-{net.marker.lower()}-{'x' * 32}"
    net.invitation = Invitation(
        network_id=network.id,
        email=f"ny.{net.marker.lower()}@example.org",
        name=f"Ny frivillig {XSS}",  # shown on the token page: no marker (see the docstring)
        token_hash=token_hash(net.invitation_token),
        created_by_id=net.users["coordinator"].id,
        expires_at=timeutil.utcnow() + timedelta(days=7),
    )
    db.session.add_all([net.cancellation, net.wish, net.invitation])
    db.session.commit()
    # The feed belongs to the coordinator, whose only place is on an activity without the
    # network's marker (the feed is a token link, see the docstring).
    feed_activity = make_activity(
        network, today + timedelta(days=11), needed=1, title=f"Kalender {XSS}", place=XSS
    )
    make_signup(feed_activity, net.users["coordinator"], hours=Decimal("1.5"))
    net.feed_token = renew_feed(net.users["coordinator"].id, network.id)
    db.session.commit()  # services only flush
