"""Closed months (frozen report snapshots) and the reference figures beside the report."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Numeric,
    SmallInteger,
    String,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import HousingArea, User
from ..extensions import db
from ..timeutil import utcnow


class MonthlyReport(db.Model):
    """A closed month: the frozen, exact counts of one network's monthly report, each with
    its cell key.

    The snapshot holds aggregate counts only (never a person); the perturbation is applied
    each time it is read for the steering group, so sums over networks stay consistent.
    """

    __tablename__ = "netvaerk_monthly_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_network.id"), index=True)
    year: Mapped[int]
    month: Mapped[int]
    figures: Mapped[dict] = mapped_column(JSON)
    closed_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("netvaerk_user.id", ondelete="SET NULL")
    )
    # 1 when first closed; each reopening recomputes the figures and adds one.
    revision: Mapped[int] = mapped_column(default=1)
    revised_at: Mapped[datetime | None]
    revised_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("netvaerk_user.id", ondelete="SET NULL")
    )
    # Why it was reopened: one of REOPEN_REASONS (shown to the steering group); the note
    # beside it is for coordinators only.
    revision_reason: Mapped[str | None] = mapped_column(String(500))
    revision_note: Mapped[str | None] = mapped_column(String(500))

    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])
    revised_by: Mapped[User | None] = relationship(foreign_keys=[revised_by_id])

    __table_args__ = (
        UniqueConstraint("network_id", "year", "month", name="uq_monthly_report_network_month"),
        CheckConstraint("month BETWEEN 1 AND 12", name="month_valid"),
        CheckConstraint("year BETWEEN 2000 AND 2200", name="year_valid"),
        CheckConstraint("revision >= 1", name="revision_positive"),
    )

    @property
    def first_day(self) -> date:
        """The first day of the report's month."""
        return date(self.year, self.month, 1)


class MonthlyReportVersion(db.Model):
    """A version of a closed month the steering group has seen and that a reopening replaced:
    its frozen figures as they were, kept unchanged (the disclosure audit attacks every
    version together). The current version stays in `MonthlyReport`."""

    __tablename__ = "netvaerk_monthly_report_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("netvaerk_monthly_report.id", ondelete="CASCADE"), index=True
    )
    network_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_network.id"), index=True)
    year: Mapped[int]
    month: Mapped[int]
    revision: Mapped[int]
    figures: Mapped[dict] = mapped_column(JSON)
    # When this version was frozen (closed, or the reopening that made it) and replaced.
    frozen_at: Mapped[datetime]
    replaced_at: Mapped[datetime] = mapped_column(default=utcnow)
    revision_reason: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (
        UniqueConstraint(
            "network_id", "year", "month", "revision", name="uq_monthly_report_version"
        ),
        CheckConstraint("revision >= 1", name="revision_positive"),
    )


@event.listens_for(MonthlyReportVersion, "before_update")
def _versions_never_change(mapper, connection, target) -> None:
    """A version the steering group has seen is never changed."""
    raise ValueError(f"monthly report version {target.id} is immutable")


class RecordKey(db.Model):
    """The random record key (0..255) of one participation period, drawn once and kept.

    A cell's key is the sum of its contributors' record keys modulo 256 (see `ckm`), so the
    same people give the same perturbed count everywhere and every time.
    """

    __tablename__ = "netvaerk_record_key"

    period_id: Mapped[int] = mapped_column(
        ForeignKey("netvaerk_participation_period.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[int] = mapped_column(SmallInteger)

    __table_args__ = (CheckConstraint("key >= 0 AND key < 256", name="key_range"),)


class AreaReference(db.Model):
    """The housing area's official share of 18–64-year-olds outside work and education.

    Published once a year, counted on 1 December (`as_of`).
    """

    __tablename__ = "netvaerk_area_reference"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_network.id"), index=True)
    housing_area_id: Mapped[int] = mapped_column(
        ForeignKey("netvaerk_housing_area.id", ondelete="CASCADE")
    )
    as_of: Mapped[date]
    percent: Mapped[float] = mapped_column(Numeric(5, 2, asdecimal=False))
    entered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("netvaerk_user.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    housing_area: Mapped[HousingArea] = relationship()

    __table_args__ = (
        UniqueConstraint("housing_area_id", "as_of", name="uq_area_reference_area_date"),
        CheckConstraint("percent >= 0 AND percent <= 100", name="percent_range"),
    )


class PlanTarget(db.Model):
    """A target of the social plan for one report figure in one year (e.g. 40 % into work)."""

    __tablename__ = "netvaerk_plan_target"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_network.id"), index=True)
    metric: Mapped[str] = mapped_column(String(60))
    year: Mapped[int]
    value: Mapped[float] = mapped_column(Numeric(10, 2, asdecimal=False))
    entered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("netvaerk_user.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("network_id", "metric", "year", name="uq_plan_target_metric_year"),
        CheckConstraint("value >= 0", name="value_non_negative"),
        CheckConstraint("year BETWEEN 2000 AND 2200", name="year_valid"),
    )
