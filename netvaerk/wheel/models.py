"""Wheel-of-life areas per network, and each participant's dated scorings with goal and plans."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow

SCORE_MIN, SCORE_MAX = 0, 10


class WheelArea(db.Model):
    """One area of life on the network's wheel (e.g. family, language, health)."""

    __tablename__ = "netvaerk_wheel_area"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_network.id"), index=True)
    name_da: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True)

    __table_args__ = (UniqueConstraint("network_id", "name_da", name="uq_wheel_area_name"),)

    def name(self, locale: str) -> str:
        """The area's name in the given language."""
        return self.name_en if locale == "en" else self.name_da


class WheelScoring(db.Model):
    """One filling-in of the wheel: a score per area, the person's goal and plans A, B, C."""

    __tablename__ = "netvaerk_wheel_scoring"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_network.id"), index=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("netvaerk_participant.id", ondelete="CASCADE"), index=True
    )
    scored_on: Mapped[date]
    goal: Mapped[str] = mapped_column(Text, default="")
    plan_a: Mapped[str] = mapped_column(Text, default="")
    plan_b: Mapped[str] = mapped_column(Text, default="")
    plan_c: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("netvaerk_user.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    scores: Mapped[list[WheelScore]] = relationship(
        back_populates="scoring", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (UniqueConstraint("participant_id", "scored_on", name="uq_wheel_scoring_day"),)

    def score_by_area(self) -> dict[int, int]:
        """{area id: score} of this scoring."""
        return {s.area_id: s.score for s in self.scores}


class WheelScore(db.Model):
    """The score 0-10 one scoring gives one area."""

    __tablename__ = "netvaerk_wheel_score"

    id: Mapped[int] = mapped_column(primary_key=True)
    scoring_id: Mapped[int] = mapped_column(
        ForeignKey("netvaerk_wheel_scoring.id", ondelete="CASCADE"), index=True
    )
    area_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_wheel_area.id"))
    score: Mapped[int]

    scoring: Mapped[WheelScoring] = relationship(back_populates="scores")
    area: Mapped[WheelArea] = relationship()

    __table_args__ = (
        UniqueConstraint("scoring_id", "area_id", name="uq_wheel_score_area"),
        CheckConstraint("score >= 0 AND score <= 10", name="score_range"),
    )


class WheelConsent(db.Model):
    """The participant's explicit, separate consent to storing their wheel (it holds how they
    rate their own health: GDPR art. 9(2)(a)). Withdrawing it deletes the wheel."""

    __tablename__ = "netvaerk_wheel_consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_network.id"))
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("netvaerk_participant.id", ondelete="CASCADE"), unique=True
    )
    given_on: Mapped[date]
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("netvaerk_user.id", ondelete="SET NULL")
    )
