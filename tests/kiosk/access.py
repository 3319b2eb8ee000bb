"""Access matrix entries of the kiosk: the check-in grid and the check-in itself.

The kiosk account reaches only these pages, and nobody else reaches them (issue 3: "The kiosk
cannot reach any other page"; staff check people in on the register). Today's open meeting
and the participant come from tests/meetings/access.py and tests/participants/access.py.
See tests/security/harness.py for the format.
"""

from ..participants.access import participant_of
from ..security.harness import DONE, REDIRECT, allow

ACCESS = {
    "netvaerk.kiosk.index": allow("kiosk"),
    "netvaerk.kiosk.check_in": allow("kiosk", answer=DONE),
    # Without a check-in just made (or a code to type) these lead back to the names.
    "netvaerk.kiosk.code": allow("kiosk", answer=REDIRECT),
    "netvaerk.kiosk.confirmation": allow("kiosk", answer=REDIRECT),
    # "That wasn't me": without a check-in just made on this tablet it changes nothing and
    # leads back to the names (another network's resident: 404).
    "netvaerk.kiosk.undo": allow("kiosk", answer=DONE),
    # The tap of the cached grid (JSON), a tap stored offline and sent later (JSON; an empty
    # body is refused with 422 and changes nothing) and the kiosk's service worker.
    "netvaerk.kiosk.api_tap": allow("kiosk", answer=DONE),
    "netvaerk.kiosk.offline_tap": allow("kiosk", answer=DONE),
    "netvaerk.kiosk.service_worker": allow("kiosk"),
}

URL_ARGS = {
    "netvaerk.kiosk.check_in": lambda net: {"participant_id": participant_of(net).id},
    "netvaerk.kiosk.code": lambda net: {"participant_id": participant_of(net).id},
    "netvaerk.kiosk.confirmation": lambda net: {"participant_id": participant_of(net).id},
    "netvaerk.kiosk.undo": lambda net: {"participant_id": participant_of(net).id},
    "netvaerk.kiosk.api_tap": lambda net: {"participant_id": participant_of(net).id},
}

FUZZ = {
    # A check-in answers with the confirmation (200), or redirects to the code step (303, a
    # wrong code counts a try). The code field appears only after the first tap.
    "netvaerk.kiosk.check_in": {"success": (200, 303), "fields": ["code"]},
}
