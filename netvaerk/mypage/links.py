"""The resident's personal link and the kiosk's short grant to their page.

The link's token is long and random (`secrets.token_urlsafe(32)`), shown once (printed as a QR
code or sent by e-mail) and kept only as its SHA-256. Renewing replaces the hash, so the old
link stops working; revoking deletes the row. A link opens the page only while its resident is
active in the network; leaving deletes it (PARTICIPANT_LEFT_EVENT), erasing too (cascade and
the personal-data hook). A link that is unknown, expired, revoked or whose resident is no
longer active is refused alike: the page that says so cannot tell the cases apart.

The kiosk's grant is a small dict in the kiosk's (signed) session: the resident whose code
was just typed, the network and the time; it opens that resident's page for GRANT_SECONDS and
no one else's, and only while the kiosk's last check-in is still that resident's.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from ..audit.services import record_about_participant
from ..core.errors import UserError
from ..core.locks import lock_for_update
from ..extensions import db
from ..participants.models import Participant
from ..tasks.outbox import queue_mail
from .models import ResidentLink

# How long a personal link works after it was made or renewed (days).
LINK_DAYS = 365
# How long the kiosk's grant opens the page after the code was typed (seconds).
GRANT_SECONDS = 90
# Who may have a page: residents in the course.
OPEN_STATUSES = ("active",)


def token_hash(token: str) -> str:
    """The SHA-256 of a token, as stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def link_of(participant: Participant) -> ResidentLink | None:
    """The resident's link, if they have one."""
    return db.session.scalar(
        select(ResidentLink).where(ResidentLink.participant_id == participant.id)
    )


def may_have_page(participant: Participant) -> bool:
    """True when the resident is in the course (their page may be opened)."""
    return participant.status in OPEN_STATUSES


def make_link(participant: Participant, user_id: int | None, now: datetime) -> str:
    """Create the resident's link, or renew it (the old one stops working); returns the new
    token, the only time it exists in clear. Audited."""
    if not may_have_page(participant):
        raise UserError(_l("Only an active resident can have a personal link."))
    # Two renewals at once run one after the other: the second replaces the first's hash.
    lock_for_update(Participant, Participant.id == participant.id, column="status")
    token = secrets.token_urlsafe(32)
    link = link_of(participant)
    action = "mypage.link_renewed" if link is not None else "mypage.link_created"
    if link is None:
        link = ResidentLink(network_id=participant.network_id, participant_id=participant.id)
        db.session.add(link)
    link.token_hash = token_hash(token)
    link.created_at = now
    link.expires_at = now + timedelta(days=LINK_DAYS)
    link.created_by_id = user_id
    record_about_participant(action, participant, user_id=user_id)
    db.session.flush()
    return token


def revoke_link(participant: Participant, user_id: int | None) -> bool:
    """Delete the resident's link (it stops working at once); False when there was none."""
    gone = db.session.execute(
        delete(ResidentLink).where(ResidentLink.participant_id == participant.id)
    ).rowcount
    if gone:
        record_about_participant("mypage.link_revoked", participant, user_id=user_id)
    db.session.flush()
    return bool(gone)


def send_link(participant: Participant, url_of, user_id: int | None, now: datetime) -> str:
    """Make a new link and write it to the outbox for the resident's e-mail address (the old
    link stops working). `url_of(token)` gives the full link. Returns the address."""
    if not participant.email:
        raise UserError(_l("The resident has no e-mail address. Add one first, or print the link."))
    token = make_link(participant, user_id, now)
    url = url_of(token)
    if not is_absolute(url):
        raise UserError(NO_BASE_URL)
    message = queue_mail(
        "mypage.link",
        [participant.email],
        "Din egen side i netværket",
        link_mail_body(participant.first_name, url),
        network_id=participant.network_id,
    )
    if message is None:
        raise UserError(_l("E-mail is not set up. Print the link instead."))
    record_about_participant("mypage.link_sent", participant, user_id=user_id)
    db.session.flush()
    return participant.email


NO_BASE_URL = _l(
    "Netvaerk does not know its own web address, so the link would not work on a phone. "
    "Ask the administrator to set NETVAERK_BASE_URL."
)


def is_absolute(url: str) -> bool:
    """True for a whole address a phone can open (not just a path)."""
    return url.startswith(("https://", "http://"))


def link_mail_body(first_name: str, url: str) -> str:
    """The e-mail with the link, in plain Danish with English after it."""
    return (
        f"Hej {first_name}\n\n"
        "Her er linket til din egen side i netværket.\n"
        "Du kan se dine gange, dine opgaver og dine aftaler.\n\n"
        f"{url}\n\n"
        "Linket er kun til dig. Giv det ikke til andre.\n"
        "Mister du det, så spørg os. Så får du et nyt.\n\n"
        "---\n"
        "This is the link to your own page in the network. It is only for you.\n"
    )


@dataclass(frozen=True)
class Opened:
    """A link that opens a page: the resident and their link."""

    participant: Participant
    link: ResidentLink


# What `secrets.token_urlsafe(32)` makes: 43 characters of the URL-safe alphabet.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")


def could_be_token(token: str) -> bool:
    """False for a value no link ever had (checked before anything else is asked)."""
    return TOKEN_SHAPE.fullmatch(token or "") is not None


def open_link(token: str, now: datetime) -> Opened | None:
    """The resident a token opens the page of, or None (unknown, expired, revoked, or the
    resident no longer active: the caller answers the same page for all)."""
    if not could_be_token(token):
        return None
    row = db.session.execute(
        select(ResidentLink, Participant)
        .join(Participant, Participant.id == ResidentLink.participant_id)
        .where(ResidentLink.token_hash == token_hash(token))
    ).first()
    if row is None:
        return None
    link, participant = row
    if link.expires_at <= now or not may_have_page(participant):
        return None
    if participant.network_id != link.network_id:
        return None
    return Opened(participant, link)


def record_visit(participant: Participant, way: str) -> None:
    """Note the visit in the resident's access log ("link" or "kiosk")."""
    record_about_participant(f"mypage.visit_{way}", participant, detail=way)
    db.session.flush()


def on_participant_left(participant, **_ignored) -> None:
    """A resident who leaves loses their link."""
    db.session.execute(delete(ResidentLink).where(ResidentLink.participant_id == participant.id))
    db.session.flush()


def export_link(participant: Participant) -> dict:
    """What is kept about the resident's link (never the token or its hash)."""
    link = link_of(participant)
    if link is None:
        return {"personal_link": None}
    return {
        "personal_link": {
            "made_on": link.created_at.date().isoformat(),
            "works_until": link.expires_at.date().isoformat(),
        }
    }


def erase_link(participant: Participant) -> None:
    """Delete the resident's link."""
    on_participant_left(participant)


# --- the kiosk's grant -----------------------------------------------------------------------


def make_grant(participant: Participant, now_ts: float) -> dict:
    """The kiosk session's grant to open this resident's page for GRANT_SECONDS."""
    return {"participant": participant.id, "network": participant.network_id, "at": now_ts}


def granted_id(grant, network_id: int, last_checked_in: int | None, now_ts: float) -> int | None:
    """The resident a kiosk grant opens the page of now, or None: the grant must be this
    network's, young, and for the resident the kiosk checked in last."""
    if not isinstance(grant, dict):
        return None
    participant_id, at = grant.get("participant"), grant.get("at")
    if not isinstance(participant_id, int) or not isinstance(at, int | float):
        return None
    if grant.get("network") != network_id or participant_id != last_checked_in:
        return None
    return participant_id if 0 <= now_ts - at <= GRANT_SECONDS else None
