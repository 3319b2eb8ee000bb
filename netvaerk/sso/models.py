"""Links between netvaerk's staff accounts and the identities an intranet vouches for."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import utcnow


class Identity(db.Model):
    """A user as an intranet knows them: an OpenID provider's `sub`, a proxy's user name or
    the host's own user id, linked to one netvaerk staff account."""

    __tablename__ = "netvaerk_identity"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("netvaerk_user.id", ondelete="CASCADE"), index=True
    )
    # The OpenID issuer URL, "proxy" or "host".
    issuer: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    __table_args__ = (UniqueConstraint("issuer", "subject", name="uq_identity_issuer_subject"),)


class ManagedMembership(db.Model):
    """Marks a role that came from the intranet's groups: it goes when the group goes.
    Roles an administrator granted by hand are left alone."""

    __tablename__ = "netvaerk_managed_membership"

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("netvaerk_membership.id", ondelete="CASCADE"), unique=True
    )
