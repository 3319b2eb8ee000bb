"""Participants (residents), their periods in the network and their status history."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import HousingArea, User
from ..extensions import db
from ..timeutil import utcnow

STATUSES = ("interested", "intake", "active", "left")
OUTCOMES = (
    "ordinary_job",
    "flex_job",
    "wage_subsidy_job",
    "internship",
    "education",
    "other_programme",
    "moved_away",
    "stopped",
    "unknown",
)
# Outcomes the steering group counts as "left for work or education".
WORK_OR_EDUCATION = ("ordinary_job", "flex_job", "wage_subsidy_job", "internship", "education")
# Fields a coordinator edits on the participant form (the person's own data).
EDITABLE_FIELDS = (
    "first_name",
    "last_name",
    "housing_area_id",
    "birth_year",
    "readiness_group",
    "phone",
    "email",
    "intake_date",
    "intake_note",
    "consent_date",
    "consent_text",
    "preferred_locale",
)
READINESS_GROUPS = (1, 3)


class Participant(db.Model):
    """A resident taking part in the network. No CPR number and no health data, by design."""

    __tablename__ = "netvaerk_participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_network.id"))
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80))
    housing_area_id: Mapped[int | None] = mapped_column(ForeignKey("netvaerk_housing_area.id"))
    birth_year: Mapped[int | None]
    readiness_group: Mapped[int] = mapped_column(default=1)
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(254))
    preferred_locale: Mapped[str | None] = mapped_column(String(5))
    # The day the resident agreed to reminders by e-mail (None: no reminders; see reminders/).
    reminders_agreed_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(20), default="interested")
    intake_date: Mapped[date | None]
    intake_note: Mapped[str | None] = mapped_column(Text)
    consent_date: Mapped[date | None]
    consent_text: Mapped[str | None] = mapped_column(Text)
    consent_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("netvaerk_user.id"))
    # Optional personal four-digit kiosk code, stored hashed.
    checkin_code_hash: Mapped[str | None] = mapped_column(String(255))
    # Wrong kiosk codes in a row, and until when the code step is locked after too many.
    checkin_code_failures: Mapped[int] = mapped_column(default=0, server_default="0")
    checkin_code_locked_until: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    # Joined: every page showing a participant shows the area, so no extra query for it.
    housing_area: Mapped[HousingArea | None] = relationship(lazy="joined")
    consent_recorded_by: Mapped[User | None] = relationship()
    periods: Mapped[list[ParticipationPeriod]] = relationship(
        back_populates="participant",
        order_by="ParticipationPeriod.start_date",
        cascade="all, delete-orphan",
    )
    status_changes: Mapped[list[StatusChange]] = relationship(
        back_populates="participant",
        order_by="StatusChange.id",
        cascade="all, delete-orphan",
    )

    __table_args__ = (
        CheckConstraint(
            "status IN ('interested', 'intake', 'active', 'left')", name="status_known"
        ),
        CheckConstraint("readiness_group IN (1, 3)", name="readiness_group_known"),
        CheckConstraint(
            "birth_year IS NULL OR (birth_year >= 1900 AND birth_year <= 2100)",
            name="birth_year_range",
        ),
        Index("ix_netvaerk_participant_network_status", "network_id", "status"),
    )

    @property
    def display_name(self) -> str:
        """First name and last initial, as shown on the kiosk."""
        initial = self.last_name[:1] + "." if self.last_name else ""
        return f"{self.first_name} {initial}".strip()

    @property
    def full_name(self) -> str:
        """First and last name."""
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def current_period(self) -> ParticipationPeriod | None:
        """The open period, if any."""
        for period in self.periods:
            if period.end_date is None:
                return period
        return None


class ParticipationPeriod(db.Model):
    """One stretch of active participation; leaving closes it with an outcome."""

    __tablename__ = "netvaerk_participation_period"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("netvaerk_participant.id", ondelete="CASCADE"), index=True
    )
    network_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_network.id"), index=True)
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    outcome: Mapped[str | None] = mapped_column(String(30))

    participant: Mapped[Participant] = relationship(back_populates="periods")

    __table_args__ = (
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="end_after_start"),
        CheckConstraint(
            "outcome IS NULL OR outcome IN ('ordinary_job', 'flex_job', 'wage_subsidy_job', "
            "'internship', 'education', 'other_programme', 'moved_away', 'stopped', 'unknown')",
            name="outcome_known",
        ),
        # At most one open period per person: a second "start" or "return" sent at the same
        # moment is refused by the database even if it got past the row lock.
        Index(
            "uq_netvaerk_participation_period_open",
            "participant_id",
            unique=True,
            sqlite_where=text("end_date IS NULL"),
            postgresql_where=text("end_date IS NULL"),
        ),
    )


class StatusChange(db.Model):
    """A dated step in the status flow: interested → intake → active → left."""

    __tablename__ = "netvaerk_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("netvaerk_participant.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(20))
    changed_on: Mapped[date]
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("netvaerk_user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    participant: Mapped[Participant] = relationship(back_populates="status_changes")
