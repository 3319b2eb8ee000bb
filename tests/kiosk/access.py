"""Access matrix entries of the kiosk: the check-in grid and the check-in itself.

The kiosk account reaches only these pages, and nobody else reaches them (issue 3: "The kiosk
cannot reach any other page"; staff check people in on the register). Today's open meeting
and the participant come from tests/meetings/access.py and tests/participants/access.py.
See tests/security/harness.py for the format.
"""

from ..participants.access import participant_of
from ..security.harness import DONE, allow

ACCESS = {
    "netvaerk.kiosk.index": allow("kiosk"),
    "netvaerk.kiosk.check_in": allow("kiosk", answer=DONE),
}

URL_ARGS = {
    "netvaerk.kiosk.check_in": lambda net: {"participant_id": participant_of(net).id},
}

FUZZ = {
    # A check-in answers with the confirmation page (200), not a redirect: the resident sees
    # it on the tablet. The code field appears only after the first tap.
    "netvaerk.kiosk.check_in": {"success": (200,), "fields": ["code"]},
}
