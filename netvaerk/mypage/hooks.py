"""What the resident's page adds to the app: the "Min side" button after a check-in, the
personal link's part of the participant page, personal data, audit labels, the link's mail,
and losing the link on leaving."""

from flask import g, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from ..core.registry import (
    KIOSK_CONFIRMATION,
    PARTICIPANT_LEFT_EVENT,
    PARTICIPANT_PAGE,
    WISHES,
    Registry,
)


def kiosk_button(participant, meeting=None, **_ignored) -> dict | None:
    """ "Min side" on the kiosk's confirmation, for a resident with a personal code: the
    template's button, and as "link" the same button for the confirmation kiosk.js shows
    after a tap sent as data (called in the resident's language)."""
    from .links import may_have_page

    if g.get("role") != "kiosk" or not participant.checkin_code_hash:
        return None
    if not may_have_page(participant):
        return None
    link = {"url": url_for("netvaerk.mypage.kiosk_code"), "label": gettext("My page")}
    return {"participant": participant, "link": link}


def link_part(participant) -> dict | None:
    """The personal link on the participant's page: make, renew, revoke, send (coordinators)."""
    from .links import link_of, may_have_page

    if g.get("role") != "coordinator" or g.network is None:
        return None
    if participant.network_id != g.network.id:
        return None
    return {
        "participant": participant,
        "link": link_of(participant),
        "allowed": may_have_page(participant),
    }


def waiting_wishes(network, **_ignored) -> dict | None:
    """On the staff's list of wishes: how many wishes from residents' pages wait in the pool."""
    from .wishes import WISH_K, waiting_count

    if network is None:
        return None
    waiting = waiting_count(network.id)
    return {"waiting": waiting, "k": WISH_K} if waiting else None


def register(registry: Registry) -> None:
    """Register the resident's page's hooks."""
    from . import links

    registry.page_part(KIOSK_CONFIRMATION, "netvaerk/mypage/_kiosk_button.html", kiosk_button, 80)
    registry.page_part(PARTICIPANT_PAGE, "netvaerk/mypage/_participant_part.html", link_part, 85)
    registry.page_part(WISHES, "netvaerk/mypage/_waiting_wishes.html", waiting_wishes, 50)
    registry.personal_data("mypage", export=links.export_link, erase=links.erase_link)
    registry.on(PARTICIPANT_LEFT_EVENT, links.on_participant_left)
    registry.message_kind("mypage.link", _l("Personal link"), "the resident")
    for action, label in (
        ("mypage.link_created", _l("Made a resident's personal link")),
        ("mypage.link_renewed", _l("Renewed a resident's personal link")),
        ("mypage.link_revoked", _l("Revoked a resident's personal link")),
        ("mypage.link_sent", _l("Sent a resident's personal link by e-mail")),
        ("mypage.visit_link", _l("The resident opened their own page (personal link)")),
        ("mypage.visit_kiosk", _l("The resident opened their own page (kiosk)")),
    ):
        registry.audit_action(action, label)
