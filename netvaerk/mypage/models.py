"""A resident's personal link to their own page (only a hash of its token is kept), and the
sealed pool of the wishes sent from the page."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint
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


class PendingWish(db.Model):
    """A wish from a resident's own page, waiting sealed until wishes of at least `WISH_K`
    different residents of the network can be released together (see `wishes.py`). No person,
    no time, a random key; the content is encrypted with a key that is not in the database and
    padded to one size, so that neither a reader of the database nor the row's size tells it."""

    __tablename__ = "netvaerk_resident_wish_pending"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    network_id: Mapped[int] = mapped_column(
        ForeignKey("netvaerk_network.id", ondelete="CASCADE"), index=True
    )
    sealed: Mapped[bytes] = mapped_column(LargeBinary)

    __table_args__ = ({"sqlite_with_rowid": False},)
