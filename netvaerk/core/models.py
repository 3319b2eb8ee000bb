"""Networks, staff accounts and the roles they hold per network."""

from __future__ import annotations

from datetime import datetime, time

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow

ROLES = ("coordinator", "facilitator", "steering", "kiosk")


class Network(db.Model):
    """One local job network: the owner of every person-level row."""

    __tablename__ = "netvaerk_network"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    # Weekly meeting pattern: ISO weekday numbers (0 = Monday), comma separated.
    meeting_weekdays: Mapped[str] = mapped_column(String(20), default="0,2,3")
    meeting_start: Mapped[time] = mapped_column(default=time(9, 0))
    meeting_end: Mapped[time] = mapped_column(default=time(12, 0))
    places_group1: Mapped[int] = mapped_column(default=7)
    places_group3: Mapped[int] = mapped_column(default=1)
    group1_label: Mapped[str] = mapped_column(String(60), default="")
    group3_label: Mapped[str] = mapped_column(String(60), default="")
    checkin_code_required: Mapped[bool] = mapped_column(default=False)
    retention_months: Mapped[int] = mapped_column(default=12)
    # Days closed every year besides the public holidays, as "MM-DD,MM-DD" (editable).
    closed_days: Mapped[str] = mapped_column(String(200), default="12-24,12-31")
    # Hours before an activity within which a facilitator's cancellation is late.
    cancel_notice_hours: Mapped[int] = mapped_column(default=48)
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    housing_areas: Mapped[list[HousingArea]] = relationship(
        back_populates="network", order_by="HousingArea.name", cascade="all, delete-orphan"
    )

    __table_args__ = (
        CheckConstraint("places_group1 >= 0 AND places_group3 >= 0", name="places_non_negative"),
        CheckConstraint("meeting_end > meeting_start", name="meeting_end_after_start"),
        CheckConstraint("retention_months >= 1", name="retention_positive"),
        CheckConstraint("cancel_notice_hours BETWEEN 0 AND 720", name="notice_hours_range"),
    )

    @property
    def weekdays(self) -> list[int]:
        """The meeting weekdays as a sorted list of ints (0 = Monday)."""
        return sorted(int(d) for d in self.meeting_weekdays.split(",") if d.strip() != "")


class HousingArea(db.Model):
    """A housing area (boligområde) served by a network."""

    __tablename__ = "netvaerk_housing_area"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_network.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))

    network: Mapped[Network] = relationship(back_populates="housing_areas")

    __table_args__ = (UniqueConstraint("network_id", "name", name="uq_housing_area_name"),)


class User(UserMixin, db.Model):
    """A staff account: coordinator, facilitator, steering member, kiosk or site administrator."""

    __tablename__ = "netvaerk_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    locale: Mapped[str | None] = mapped_column(String(5))
    is_admin: Mapped[bool] = mapped_column(default=False)
    is_enabled: Mapped[bool] = mapped_column(default=True)
    # Bumped on logout-everywhere, password change or disabling: old cookies stop working.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    def get_id(self) -> str:
        """Flask-Login's id carries the session version, so a bumped version logs out."""
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        """Disabled accounts cannot log in or keep a session."""
        return self.is_enabled


class Membership(db.Model):
    """The one role a user holds in one network."""

    __tablename__ = "netvaerk_membership"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_user.id"), index=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_network.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))

    user: Mapped[User] = relationship(back_populates="memberships")
    network: Mapped[Network] = relationship()

    __table_args__ = (
        UniqueConstraint("user_id", "network_id", name="uq_membership_user_network"),
        CheckConstraint(
            "role IN ('coordinator', 'facilitator', 'steering', 'kiosk')", name="role_known"
        ),
    )


class EndedSession(db.Model):
    """A browser session that logged out: its random id (hashed), refused if a copy of its
    cookie comes back. Kept until the session would have expired anyway."""

    __tablename__ = "netvaerk_ended_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_hash: Mapped[str] = mapped_column(String(64), unique=True)
    ended_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
