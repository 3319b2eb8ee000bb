"""Access matrix entries of the outbox: the site administrator's page, for no one else.

Each network gets a failed message (the resend probe uses it) whose subject carries XSS;
recipients and subjects name no network marker, as the administrator sees every network's."""

from netvaerk.extensions import db
from netvaerk.reminders.rules import COORDINATOR_MORNING
from netvaerk.tasks.models import OutboxMessage
from netvaerk.tasks.preferences import unsubscribe_token

from ..security.harness import DONE, FORBIDDEN, OK, XSS, allow, everyone

ACCESS = {
    "netvaerk.outbox.messages": allow("admin"),
    "netvaerk.outbox.resend": allow("admin", answer=DONE),
    # Every staff account chooses its own mail; the kiosk has none.
    "netvaerk.mail.choices": allow("coordinator", "facilitator", "steering", "admin"),
    # The unsubscribe link is a signed-token link: it works for whoever holds it.
    "netvaerk.mail.unsubscribe": everyone(OK, kiosk=FORBIDDEN),
}

URL_ARGS = {
    "netvaerk.outbox.resend": lambda net: {"message_id": net.failed_message.id},
    "netvaerk.mail.unsubscribe": lambda net: {
        "token": unsubscribe_token(net.users["coordinator"].id, COORDINATOR_MORNING)
    },
}

# Turning the mail off answers with the page that says so.
FUZZ = {"netvaerk.mail.unsubscribe": {"success": (200,)}}

CSRF_EXEMPT = {
    "netvaerk.mail.unsubscribe": "RFC 8058: the mail program POSTs the link itself; the signed "
    "token is the proof (tests/tasks/test_preferences.py)",
}

# Another network's coordinator's link is still the key to it.
FOREIGN_ACCESS = {
    "netvaerk.mail.unsubscribe": {
        "facilitator": OK,
        "coordinator": OK,
        "steering": OK,
        "other_coordinator": OK,
    }
}


def populate(net):
    """A failed message of the network."""
    net.failed_message = OutboxMessage(
        kind="activities.invitation",
        network_id=net.network.id,
        message_id=f"<{net.network.id}.test@example.org>",
        sender="netvaerk@example.org",
        recipients="someone@example.org",
        subject=f"Invitation {XSS}",
        body="Hello",
        status="failed",
        last_error=f"550 no such user {XSS}",
    )
    db.session.add(net.failed_message)
    db.session.commit()
