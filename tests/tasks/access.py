"""Access matrix entries of the outbox: the site administrator's page, for no one else.

Each network gets a failed message (the resend probe uses it) whose subject carries XSS;
recipients and subjects name no network marker, as the administrator sees every network's."""

from netvaerk.extensions import db
from netvaerk.tasks.models import OutboxMessage

from ..security.harness import DONE, XSS, allow

ACCESS = {
    "netvaerk.outbox.messages": allow("admin"),
    "netvaerk.outbox.resend": allow("admin", answer=DONE),
}

URL_ARGS = {
    "netvaerk.outbox.resend": lambda net: {"message_id": net.failed_message.id},
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
