"""Follow-up conversations, the resident's commitments and options, and status checks after
leaving into work or education, with the network's follow-up settings."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow

DEFAULT_INTERVAL_DAYS = 14
DEFAULT_CHECK_MONTHS = (1, 3, 6, 12)
# Days after a check's date within which it can be done; after that it counts as not reached.
CHECK_WINDOW_DAYS = 30
# The statuses a coordinator can record at a check, in the order of the list.
CHECK_STATUSES = (
    "same_job",
    "other_job",
    "education",
    "internship",
    "benefits",
    "other_programme",
    "moved_away",
    "not_reached",
)
# Statuses that count as "still in work or education" for retention.
IN_WORK_OR_EDUCATION = ("same_job", "other_job", "education", "internship")
PLANS = ("A", "B", "C")
# What a facilitator named to follow a resident is to them.
FOLLOWER_ROLES = ("mentor", "job_consultant", "contact")


class FollowUpSettings(db.Model):
    """A network's follow-up rhythm; a network without a row uses the defaults."""

    __tablename__ = "netvaerk_followup_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_network.id"), unique=True)
    interval_days: Mapped[int] = mapped_column(default=DEFAULT_INTERVAL_DAYS)
    # Months after leaving at which status is checked, comma separated ("1,3,6,12").
    check_months: Mapped[str] = mapped_column(String(40), default="1,3,6,12")

    __table_args__ = (CheckConstraint("interval_days BETWEEN 1 AND 365", name="interval_range"),)

    @property
    def months(self) -> list[int]:
        """The check months as sorted ints."""
        return sorted({int(m) for m in self.check_months.split(",") if m.strip()})


class Conversation(db.Model):
    """A follow-up conversation with a resident: who was there, what was agreed, next date."""

    __tablename__ = "netvaerk_followup_conversation"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_network.id"), index=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("netvaerk_participant.id", ondelete="CASCADE"), index=True
    )
    held_on: Mapped[date]
    present: Mapped[str] = mapped_column(String(300), default="")
    agreed: Mapped[str] = mapped_column(Text, default="")
    next_due_on: Mapped[date]
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("netvaerk_user.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    commitments: Mapped[list[Commitment]] = relationship(
        back_populates="conversation", order_by="Commitment.id"
    )

    __table_args__ = (CheckConstraint("next_due_on >= held_on", name="next_after_held"),)


class Commitment(db.Model):
    """Something the resident committed to, with a due date; done or not done."""

    __tablename__ = "netvaerk_followup_commitment"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_network.id"), index=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("netvaerk_participant.id", ondelete="CASCADE"), index=True
    )
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("netvaerk_followup_conversation.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(String(500))
    due_on: Mapped[date]
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    done_on: Mapped[date | None]

    conversation: Mapped[Conversation | None] = relationship(back_populates="commitments")


class Follower(db.Model):
    """A facilitator a coordinator named to follow a resident (need to know): only they, and
    the coordinators, see that resident's follow-up."""

    __tablename__ = "netvaerk_followup_follower"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_network.id"), index=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("netvaerk_participant.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("netvaerk_user.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20), default="contact")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user = relationship("User")

    __table_args__ = (
        CheckConstraint("role IN ('mentor', 'job_consultant', 'contact')", name="role_known"),
        UniqueConstraint("participant_id", "user_id", name="uq_followup_follower"),
    )


class Option(db.Model):
    """One of the resident's options (the seed's 50 ideas); up to three chosen as plan A-C."""

    __tablename__ = "netvaerk_followup_option"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_network.id"), index=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("netvaerk_participant.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(String(300))
    # The wheel's plan this option is chosen as: "A", "B", "C", or None (not chosen).
    plan: Mapped[str | None] = mapped_column(String(1))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        CheckConstraint("plan IS NULL OR plan IN ('A', 'B', 'C')", name="plan_known"),
        UniqueConstraint("participant_id", "plan", name="uq_followup_option_plan"),
    )


class StatusCheck(db.Model):
    """A status check 1, 3, 6 or 12 months after someone left into work or education.

    After erasure the row stays without the person (participant and period set to NULL,
    dates coarsened to the month), so retention figures still add up.
    """

    __tablename__ = "netvaerk_followup_check"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_network.id"), index=True)
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("netvaerk_participant.id", ondelete="SET NULL"), index=True
    )
    period_id: Mapped[int | None] = mapped_column(
        ForeignKey("netvaerk_participation_period.id", ondelete="SET NULL")
    )
    left_on: Mapped[date]
    exit_outcome: Mapped[str] = mapped_column(String(30))
    months_after: Mapped[int]
    due_on: Mapped[date]
    status: Mapped[str | None] = mapped_column(String(30))
    reached_on: Mapped[date | None]
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("netvaerk_user.id", ondelete="SET NULL")
    )
    recorded_at: Mapped[datetime | None]

    __table_args__ = (
        UniqueConstraint("period_id", "months_after", name="uq_followup_check_period_months"),
        CheckConstraint("months_after BETWEEN 1 AND 60", name="months_range"),
        CheckConstraint("due_on >= left_on", name="due_after_left"),
        CheckConstraint(
            "status IS NULL OR status IN ('same_job', 'other_job', 'education', 'internship', "
            "'benefits', 'other_programme', 'moved_away', 'not_reached')",
            name="status_known",
        ),
        Index("ix_netvaerk_followup_check_open", "network_id", "status", "due_on"),
    )
