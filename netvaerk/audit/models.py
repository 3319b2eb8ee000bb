"""Audit events. Append-only: no view in the app edits or deletes them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import utcnow


class AuditEvent(db.Model):
    """One recorded action: who, what, when, from which address, on which subject."""

    __tablename__ = "netvaerk_audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    network_id: Mapped[int | None] = mapped_column(ForeignKey("netvaerk_network.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("netvaerk_user.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(60))
    # The purpose shown in an access request answer, e.g. "participant.view".
    subject_type: Mapped[str | None] = mapped_column(String(40))
    subject_id: Mapped[int | None]
    ip_address: Mapped[str | None] = mapped_column(String(45))
    detail: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (
        Index("ix_netvaerk_audit_event_network_created", "network_id", "created_at"),
        Index("ix_netvaerk_audit_event_subject", "subject_type", "subject_id"),
    )
