"""Recording audit events from anywhere in the app."""

from dataclasses import dataclass

from flask import has_request_context, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func

from ..core.models import User
from ..extensions import db
from .models import AuditEvent


def record(
    action: str,
    *,
    network_id: int | None = None,
    subject_type: str | None = None,
    subject_id: int | None = None,
    detail: str | None = None,
    user_id: int | None = None,
) -> AuditEvent:
    """Add an audit event to the session; it is committed with the change it records."""
    if user_id is None and has_request_context() and current_user.is_authenticated:
        user_id = current_user.id
    event = AuditEvent(
        action=action,
        network_id=network_id,
        subject_type=subject_type,
        subject_id=subject_id,
        detail=(detail or None) and detail[:500],
        user_id=user_id,
        ip_address=request.remote_addr if has_request_context() else None,
    )
    db.session.add(event)
    return event


def record_about_participant(
    action: str, participant, *, detail: str | None = None, user_id: int | None = None
) -> AuditEvent:
    """Add an audit event whose subject is a participant (ids only, never names).

    `participant` is the participant, or a row of theirs with `network_id` and
    `participant_id` (a period, a submission, a conversation)."""
    return record(
        action,
        network_id=participant.network_id,
        subject_type="participant",
        subject_id=getattr(participant, "participant_id", participant.id),
        detail=detail,
        user_id=user_id,
    )


SUBJECT_LABELS: dict[str, object] = {
    "user": _l("Account"),
    "participant": _l("Participant"),
}


def action_label(action: str) -> str:
    """The translated label of an action (registered by its capability), or the action's name."""
    from ..core.registry import current_registry

    return str(current_registry().audit_actions.get(action, action))


def subject_label(subject_type: str | None) -> str:
    """The translated name of a kind of subject."""
    if not subject_type:
        return ""
    return str(SUBJECT_LABELS.get(subject_type, subject_type))


@dataclass
class EventPage:
    """One page of audit events with what the pager needs."""

    events: list[AuditEvent]
    page: int
    pages: int
    total: int
    actions: list[str]


def events_page(
    network_id: int | None, action: str | None, page: int, per_page: int, *, everything=False
) -> EventPage:
    """The newest events first, one page: of one network, or (`everything`) of the whole site,
    optionally narrowed to one network."""
    query = db.select(AuditEvent)
    actions_query = db.select(AuditEvent.action).distinct()
    if not everything or network_id is not None:
        query = query.where(AuditEvent.network_id == network_id)
        actions_query = actions_query.where(AuditEvent.network_id == network_id)
    if action:
        query = query.where(AuditEvent.action == action)
    total = db.session.execute(db.select(func.count()).select_from(query.subquery())).scalar_one()
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    events = (
        db.session.execute(
            query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
        .scalars()
        .all()
    )
    actions = sorted(db.session.execute(actions_query).scalars())
    return EventPage(events=list(events), page=page, pages=pages, total=total, actions=actions)


def users_of(events: list[AuditEvent]) -> dict[int, User]:
    """The accounts that made the events, by id."""
    user_ids = {event.user_id for event in events if event.user_id}
    if not user_ids:
        return {}
    users = db.session.execute(db.select(User).where(User.id.in_(user_ids))).scalars()
    return {user.id: user for user in users}
