"""Recording audit events from anywhere in the app."""

from flask import has_request_context, request
from flask_login import current_user

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
