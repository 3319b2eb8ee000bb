"""Residents' reminders: their consent (they are not staff accounts), and their own signed
link that stops the reminders with one click."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

from ..audit.services import record_about_participant
from ..core.errors import UserError
from ..extensions import db
from ..participants.models import Participant
from ..tasks.preferences import BadToken, absolute_url, sign, unsign

SALT = "netvaerk.reminders.resident"
STOP_DAYS = 180


def has_consent(participant: Participant) -> bool:
    """True when the resident agreed to reminders."""
    return participant.reminders_agreed_on is not None


def set_consent(participant: Participant, wanted: bool, today: date, user_id: int | None) -> None:
    """Record that the resident agreed to reminders by e-mail, or no longer wants them."""
    if wanted == has_consent(participant):
        return  # nothing changes (a second click)
    if wanted and not (participant.email or "").strip():
        raise UserError(_l("Add the resident's e-mail address first."))
    participant.reminders_agreed_on = today if wanted else None
    record_about_participant(
        "reminders.consent", participant, detail="on" if wanted else "off", user_id=user_id
    )
    db.session.flush()


def stop_token(participant_id: int) -> str:
    """A signed token naming the resident (valid for STOP_DAYS days)."""
    return sign({"p": participant_id}, SALT)


def stop_url(participant_id: int) -> str:
    """The link in the resident's mail that stops the reminders."""
    return absolute_url("netvaerk.reminders.stop", token=stop_token(participant_id))


def stop_headers(participant_id: int) -> dict[str, str]:
    """RFC 8058 one-click unsubscribe headers for a resident's reminder."""
    return {
        "List-Unsubscribe": f"<{stop_url(participant_id)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def resident_of(token: str) -> Participant | None:
    """The resident a token names, or None when it is forged, expired or they are gone."""
    try:
        payload = unsign(token, SALT, STOP_DAYS)
    except BadToken:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("p"), int):
        return None
    return db.session.get(Participant, payload["p"])


def stop(participant: Participant, today: date) -> None:
    """The resident clicked the link: no more reminders (audited, without a user)."""
    if has_consent(participant):
        set_consent(participant, False, today, None)


def export(participant: Participant) -> dict:
    """What the reminders hold about a resident (for an access request)."""
    agreed = participant.reminders_agreed_on
    return {"reminders_agreed_on": agreed.isoformat() if agreed else None}


def erase(participant: Participant) -> None:
    """Forget the resident's consent, and their row of the erasure forecast, with them."""
    from .panels import forget_forecast

    participant.reminders_agreed_on = None
    forget_forecast(participant)
