"""Access matrix entries of the reminders: the network's settings and a resident's consent are
the coordinators'; the resident's stop link is a signed-token link that works for whoever holds
it (a resident has no account), like the staff's unsubscribe link. See
tests/security/harness.py for the format."""

from netvaerk.reminders import residents

from ..participants.access import participant_of
from ..security.harness import DONE, FORBIDDEN, OK, allow, everyone

ACCESS = {
    "netvaerk.reminders.settings": allow("coordinator"),
    "netvaerk.reminders.consent": allow("coordinator", answer=DONE),
    "netvaerk.reminders.stop": everyone(OK, kiosk=FORBIDDEN),
}

URL_ARGS = {
    "netvaerk.reminders.consent": lambda net: {"participant_id": participant_of(net).id},
    "netvaerk.reminders.stop": lambda net: {"token": residents.stop_token(participant_of(net).id)},
}

POST_DATA = {"netvaerk.reminders.consent": lambda net: {"wanted": "1"}}

CSRF_EXEMPT = {
    "netvaerk.reminders.stop": "RFC 8058: the resident's mail program POSTs the link itself; "
    "the signed token is the proof (tests/reminders/test_pages.py)",
}

# Another network's resident's link is still the key to it.
FOREIGN_ACCESS = {
    "netvaerk.reminders.stop": {
        "facilitator": OK,
        "coordinator": OK,
        "steering": OK,
        "other_coordinator": OK,
    }
}
