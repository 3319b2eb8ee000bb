"""A resident's personal link to their own page: only a hash of its token is kept."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import utcnow


class ResidentLink(db.Model):
    """The one working personal link of a resident (renewing replaces the hash; revoking
    deletes the row). The token itself is never stored, only its SHA-256."""

    __tablename__ = "netvaerk_resident_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_network.id"), index=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("netvaerk_participant.id", ondelete="CASCADE")
    )
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("netvaerk_user.id", ondelete="SET NULL")
    )

    __table_args__ = (
        UniqueConstraint("participant_id", name="uq_resident_link_participant"),
        UniqueConstraint("token_hash", name="uq_resident_link_token_hash"),
    )
