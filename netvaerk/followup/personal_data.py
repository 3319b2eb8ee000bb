"""A resident's follow-up data for access requests, and its erasure."""

from __future__ import annotations

from sqlalchemy import delete, select, update

from ..extensions import db
from ..participants.models import Participant
from .conversations import commitments_of, conversations_of, options_of
from .followers import followers_of
from .models import Commitment, Conversation, Follower, Option, StatusCheck


def _iso(value):
    return value.isoformat() if value is not None else None


def export_followup(participant: Participant) -> dict:
    """Conversations, commitments, options and status checks, JSON-able."""
    checks = db.session.execute(
        select(StatusCheck)
        .where(StatusCheck.participant_id == participant.id)
        .order_by(StatusCheck.due_on, StatusCheck.id)
    ).scalars()
    return {
        "conversations": [
            {
                "held_on": _iso(c.held_on),
                "present": c.present,
                "agreed": c.agreed,
                "next_due_on": _iso(c.next_due_on),
            }
            for c in reversed(conversations_of(participant.id))
        ],
        "commitments": [
            {"text": c.text, "due_on": _iso(c.due_on), "done": c.done, "done_on": _iso(c.done_on)}
            for c in commitments_of(participant.id)
        ],
        "options": [{"text": o.text, "plan": o.plan} for o in options_of(participant.id)],
        "followed_by": [
            {"name": f.user.name or f.user.email, "as": f.role}
            for f in followers_of(participant.id)
        ],
        "status_checks": [
            {
                "left_on": _iso(c.left_on),
                "months_after": c.months_after,
                "due_on": _iso(c.due_on),
                "status": c.status,
                "reached_on": _iso(c.reached_on),
                "cancelled": c.cancelled,
            }
            for c in checks
        ],
    }


def erase_followup(participant: Participant) -> None:
    """Delete conversations, commitments, options and who followed them; status checks stay
    as anonymous figures (no person, no period, no staff, no contact date, dates only to the
    month)."""
    for model in (Commitment, Conversation, Option, Follower):
        db.session.execute(delete(model).where(model.participant_id == participant.id))
    checks = db.session.execute(
        select(StatusCheck).where(StatusCheck.participant_id == participant.id)
    ).scalars()
    for check in checks:
        check.left_on = check.left_on.replace(day=1)
        check.due_on = check.due_on.replace(day=1)
    db.session.flush()
    db.session.execute(
        update(StatusCheck)
        .where(StatusCheck.participant_id == participant.id)
        .values(participant_id=None, period_id=None, recorded_by_id=None, reached_on=None)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
