"""Meetings, closures and attendance (check-ins and notified absence)."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import User
from ..extensions import db
from ..participants.models import Participant
from ..timeutil import utcnow

ABSENCE_REASONS = ("personal", "job_interview", "internship", "course", "other")


class Meeting(db.Model):
    """One meeting of the network. `pattern_date` is the date the weekly pattern gave it."""

    __tablename__ = "netvaerk_meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_network.id"))
    date: Mapped[date]
    start_time: Mapped[time]
    end_time: Mapped[time]
    # Generation is keyed on the pattern date, so moving a meeting never makes a duplicate.
    pattern_date: Mapped[date | None]
    is_cancelled: Mapped[bool] = mapped_column(default=False)
    cancel_reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    attendances: Mapped[list[Attendance]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )

    __table_args__ = (
        UniqueConstraint("network_id", "pattern_date", name="uq_meeting_network_pattern_date"),
        CheckConstraint("end_time > start_time", name="end_after_start"),
        Index("ix_netvaerk_meeting_network_date", "network_id", "date"),
        # At most one meeting held per network and day, whoever adds, moves or generates it.
        Index(
            "uq_meeting_network_day_held",
            "network_id",
            "date",
            unique=True,
            sqlite_where=text("NOT is_cancelled"),
            postgresql_where=text("NOT is_cancelled"),
        ),
    )


class Closure(db.Model):
    """A period the centre is closed (e.g. summer break): no meetings are generated in it."""

    __tablename__ = "netvaerk_closure"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_network.id"), index=True)
    start_date: Mapped[date]
    end_date: Mapped[date]
    reason: Mapped[str] = mapped_column(String(200), default="")

    __table_args__ = (CheckConstraint("end_date >= start_date", name="end_after_start"),)


class Attendance(db.Model):
    """A participant's attendance at one meeting: present (checked in), absent or notified."""

    __tablename__ = "netvaerk_attendance"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_meeting.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("netvaerk_participant.id", ondelete="CASCADE")
    )
    status: Mapped[str] = mapped_column(String(20), default="present")
    absence_reason: Mapped[str | None] = mapped_column(String(20))
    checked_in_at: Mapped[datetime | None]
    source: Mapped[str] = mapped_column(String(20), default="kiosk")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("netvaerk_user.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="attendances")
    participant: Mapped[Participant] = relationship()
    # Who recorded it on the register (loaded with the register's rows, see register_rows).
    recorded_by: Mapped[User | None] = relationship()

    __table_args__ = (
        # One record per person per meeting: two taps at once cannot double a check-in.
        UniqueConstraint("meeting_id", "participant_id", name="uq_attendance_meeting_participant"),
        # A person's history, read without the table (participant list, follow-up list).
        Index(
            "ix_netvaerk_attendance_participant_meeting",
            "participant_id",
            "meeting_id",
            postgresql_include=["status"],
        ),
        CheckConstraint("status IN ('present', 'absent', 'notified')", name="status_known"),
        CheckConstraint("source IN ('kiosk', 'register')", name="source_known"),
    )


KIOSK_TAP_OUTCOMES = ("counted", "already", "late", "wrong_code")


class KioskTap(db.Model):
    """A tap the kiosk stored while offline and sent later, by the key the tablet made for it.

    The unique (network, key) lets a tap count once, however often it is sent. "counted" and
    "already" taps are in the register as check-ins; "late" (arrived after the meeting's end
    plus the grace period) and "wrong_code" ones are refused and shown on the register.
    """

    __tablename__ = "netvaerk_kiosk_tap"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_network.id"))
    key: Mapped[str] = mapped_column(String(64))
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("netvaerk_participant.id", ondelete="CASCADE"), index=True
    )
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("netvaerk_meeting.id", ondelete="CASCADE"), index=True
    )
    tapped_at: Mapped[datetime]  # on the tablet (naive UTC)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    outcome: Mapped[str] = mapped_column(String(20))

    participant: Mapped[Participant] = relationship()

    __table_args__ = (
        UniqueConstraint("network_id", "key", name="uq_kiosk_tap_network_key"),
        CheckConstraint(
            "outcome IN ('counted', 'already', 'late', 'wrong_code')", name="outcome_known"
        ),
    )
