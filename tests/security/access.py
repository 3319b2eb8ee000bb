"""Access matrix entries of the core: start page, language, networks, login, accounts, audit.

See tests/security/harness.py for the format.
"""

from ..factories import make_participant
from .harness import DONE, FORBIDDEN, LOGIN, NOT_FOUND, OK, REDIRECT, XSS, allow, either, everyone

ACCESS = {
    # Static files: for everyone, the kiosk included.
    "static": everyone(OK),
    "netvaerk.static": everyone(OK),
    # The start page: the kiosk and the steering group are sent to their own start pages
    # once those capabilities exist.
    "netvaerk.core.home": allow(
        "coordinator",
        "facilitator",
        "admin",
        kiosk=either(OK, REDIRECT),
        steering=either(OK, REDIRECT),
    ),
    "netvaerk.core.set_language": everyone(DONE),
    "netvaerk.core.switch_network": allow(
        "coordinator", "facilitator", "steering", answer=DONE, admin=NOT_FOUND
    ),
    # Logged-in staff are sent on to their start page; the kiosk stays confined to its screen.
    "netvaerk.auth.login": everyone(REDIRECT, anonymous=OK, kiosk=FORBIDDEN),
    # Logging out ends on the login page (test_hardening checks that it really logs out).
    "netvaerk.auth.logout": everyone(LOGIN),
    # Logging out everywhere too; the kiosk's tablet account has no such button (403).
    "netvaerk.auth.logout_everywhere": everyone(LOGIN, kiosk=FORBIDDEN),
    "netvaerk.auth.change_password": allow("coordinator", "facilitator", "steering", "admin"),
    # The site administrator's pages.
    "netvaerk.admin.users": allow("admin"),
    "netvaerk.admin.user": allow("admin"),
    "netvaerk.admin.set_role": allow("admin", answer=DONE),
    "netvaerk.admin.remove_role": allow("admin"),
    "netvaerk.admin.set_enabled": allow("admin", answer=DONE),
    # The audit trail: a coordinator's network, the whole site for the administrator.
    "netvaerk.audit.index": allow("coordinator"),
    "netvaerk.audit.site": allow("admin"),
    # Data rights: a participant's data on request, and erasure.
    "netvaerk.privacy.export_page": allow("coordinator"),
    "netvaerk.privacy.export_json": allow("coordinator"),
    "netvaerk.privacy.erase": allow("coordinator"),
    "netvaerk.privacy.retention_page": allow("coordinator", "admin"),
}

URL_ARGS = {
    "static": lambda net: {"filename": "netvaerk.css"},
    "netvaerk.static": lambda net: {"filename": "netvaerk.css"},
    "netvaerk.admin.user": lambda net: {"user_id": net.users["coordinator"].id},
    "netvaerk.admin.set_role": lambda net: {"user_id": net.users["facilitator"].id},
    "netvaerk.admin.remove_role": lambda net: {
        "user_id": net.users["steering"].id,
        "membership_id": net.memberships["steering"].id,
    },
    "netvaerk.admin.set_enabled": lambda net: {"user_id": net.users["steering"].id},
    "netvaerk.privacy.export_page": lambda net: {"participant_id": net.privacy_participant.id},
    "netvaerk.privacy.export_json": lambda net: {"participant_id": net.privacy_participant.id},
    "netvaerk.privacy.erase": lambda net: {"participant_id": net.privacy_participant.id},
}

POST_DATA = {
    # Switching to one's own network works; to another network answers 404.
    "netvaerk.core.switch_network": lambda net: {"network_id": net.network.id},
}

FUZZ = {
    # The network switch is shown only to staff of several networks.
    "netvaerk.core.switch_network": {"fields": ["network_id"]},
}


def populate(net):
    """A participant with markup in the name and an intake note, in each network."""
    net.privacy_participant = make_participant(
        net.network,
        first_name=f"{net.person_marker} {XSS}",
        last_name=f"{net.marker} Hansen",
        intake_note=f"Notat {net.person_marker} {XSS}",
    )
