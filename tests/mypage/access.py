"""Access matrix entries of the resident's own page (issue 30). See tests/security/harness.py.

The kiosk's pages take the resident from the kiosk session, never from the URL: without a
check-in just made they lead back to the names, and nobody but the kiosk reaches them. The
personal link is a secret-token link for the resident's own phone: it opens for whoever holds
it when nobody is logged in on the browser; every logged-in account (staff, admin, the
kiosk) gets 403, whatever the token. Each network's link belongs to its participant from
tests/participants/access.py, so another network's link is tried too (403 as well). A
resident's link used to reach another resident is tested in test_access.py.
"""

from netvaerk import timeutil
from netvaerk.mypage import links

from ..participants.access import participant_of
from ..security.harness import DONE, FORBIDDEN, OK, REDIRECT, allow, everyone

ACCESS = {
    "netvaerk.mypage.kiosk_code": allow("kiosk", answer=REDIRECT),
    "netvaerk.mypage.kiosk_page": allow("kiosk", answer=REDIRECT),
    "netvaerk.mypage.kiosk_done": allow("kiosk", answer=REDIRECT),
    "netvaerk.mypage.kiosk_wish": allow("kiosk", answer=DONE),
    "netvaerk.mypage.link_page": everyone(FORBIDDEN, anonymous=OK),
    "netvaerk.mypage.link_wish": everyone(FORBIDDEN, anonymous=DONE),
    "netvaerk.mypage.make_link": allow("coordinator", answer=DONE),
    "netvaerk.mypage.revoke_link": allow("coordinator", answer=DONE),
    "netvaerk.mypage.send_link": allow("coordinator", answer=DONE),
}

URL_ARGS = {
    "netvaerk.mypage.link_page": lambda net: {"token": net.mypage_token},
    "netvaerk.mypage.link_wish": lambda net: {"token": net.mypage_token},
    "netvaerk.mypage.make_link": lambda net: {"participant_id": participant_of(net).id},
    "netvaerk.mypage.revoke_link": lambda net: {"participant_id": participant_of(net).id},
    "netvaerk.mypage.send_link": lambda net: {"participant_id": participant_of(net).id},
}

POST_DATA = {
    "netvaerk.mypage.link_wish": lambda net: {"text": "Et ønske"},
    "netvaerk.mypage.kiosk_wish": lambda net: {"text": "Et ønske"},
}

# Another network's token is as good as any other for an anonymous phone; logged-in accounts
# get 403 for every token.
FOREIGN_ACCESS = {
    "netvaerk.mypage.link_page": everyone(FORBIDDEN, anonymous=OK),
    "netvaerk.mypage.link_wish": everyone(FORBIDDEN, anonymous=DONE),
}


def populate(net) -> None:
    """The network's participant gets a personal link."""
    net.mypage_token = links.make_link(participant_of(net), None, timeutil.utcnow())


FUZZ = {
    # Making the link answers with the printable page itself (200): the link is shown once.
    "netvaerk.mypage.make_link": {"success": (200, 303)},
}
