"""Recording audit events from anywhere in the app."""

from dataclasses import dataclass

from flask import has_request_context, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func

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


# Labels of the recorded actions, shown on the audit pages; capabilities add theirs with
# `action_label_for`.
ACTION_LABELS: dict[str, object] = {
    "login.success": _l("Logged in"),
    "login.failure": _l("Failed login"),
    "logout": _l("Logged out"),
    "password.change": _l("Changed password"),
    "role.grant": _l("Role given"),
    "role.change": _l("Role changed"),
    "role.remove": _l("Role removed"),
    "account.disable": _l("Account disabled"),
    "account.enable": _l("Account enabled"),
    "participant.view": _l("Viewed a participant"),
    "participant.change": _l("Changed a participant"),
    "participant.export": _l("Exported a participant's data"),
    "participant.erase": _l("Erased a participant"),
}
SUBJECT_LABELS: dict[str, object] = {
    "user": _l("Account"),
    "participant": _l("Participant"),
}


def action_label_for(action: str, label) -> None:
    """Register the label of a capability's audit action (e.g. "rota.change")."""
    ACTION_LABELS.setdefault(action, label)


def action_label(action: str) -> str:
    """The translated label of an action, or the action's own name."""
    from ..core.registry import current_registry

    label = ACTION_LABELS.get(action) or current_registry().audit_actions.get(action, action)
    return str(label)


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
