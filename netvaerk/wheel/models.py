"""Wheel-of-life areas per network, each resident's own choice of them and areas of their own,
and each participant's dated scorings with goal and plans."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow

SCORE_MIN, SCORE_MAX = 0, 10
OWN_NAME_MAX = 80  # the longest name of a resident's own area


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

    @property
    def key(self) -> str:
        """The area's key on a resident's wheel (and its score field's name)."""
        return f"area_{self.id}"

    is_own = False


class WheelPersonalArea(db.Model):
    """One area on one resident's own wheel ("Antallet af dele og valget af områder er op til
    den enkelte", seed 001): an area of the network's list they chose (`area_id`), or an area
    of their own that they named (`own_name`). A resident without rows has the network's
    active areas. Personal data: exported, erased, and never in the statistics."""

    __tablename__ = "netvaerk_wheel_personal_area"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_network.id"))
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("netvaerk_participant.id", ondelete="CASCADE"), index=True
    )
    area_id: Mapped[int | None] = mapped_column(
        ForeignKey("netvaerk_wheel_area.id", ondelete="CASCADE")
    )
    own_name: Mapped[str | None] = mapped_column(String(OWN_NAME_MAX))
    # The name folded (case, spaces), so that one person's wheel never holds it twice.
    own_key: Mapped[str | None] = mapped_column(String(255))
    # An own area taken off the wheel stays, with its earlier scores, until the wheel is deleted.
    in_use: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("participant_id", "area_id", name="uq_wheel_personal_area_chosen"),
        UniqueConstraint("participant_id", "own_key", name="uq_wheel_personal_area_own"),
        CheckConstraint(
            "(area_id IS NOT NULL AND own_name IS NULL AND own_key IS NULL) OR "
            "(area_id IS NULL AND own_name IS NOT NULL AND own_key IS NOT NULL)",
            name="one_kind",
        ),
    )

    def name(self, locale: str) -> str:
        """An own area's name, as the resident put it (in whatever language)."""
        return self.own_name or ""

    @property
    def key(self) -> str:
        """The own area's key on the resident's wheel (and its score field's name)."""
        return f"own_{self.id}"

    @property
    def is_own(self) -> bool:
        """Whether the resident named this area (else it is the network's, chosen)."""
        return self.area_id is None


class WheelScoring(db.Model):
    """One filling-in of the wheel: a score per area, the person's goal and plans A, B, C."""

    __tablename__ = "netvaerk_wheel_scoring"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_network.id"))
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

    __table_args__ = (
        UniqueConstraint("participant_id", "scored_on", name="uq_wheel_scoring_day"),
        # The month's scorings of the networks (the report's wheel of life), read without
        # every year of them; supersedes an index on the network alone.
        Index("ix_netvaerk_wheel_scoring_network_day", "network_id", "scored_on"),
    )

    def score_by_area(self) -> dict[int, int]:
        """{area id: score} of this scoring, for the network's areas."""
        return {s.area_id: s.score for s in self.scores if s.area_id is not None}

    def score_by_key(self) -> dict[str, int]:
        """{area key: score} of this scoring, the network's areas and the resident's own."""
        return {s.key: s.score for s in self.scores}


class WheelScore(db.Model):
    """The score 0-10 one scoring gives one area: one of the network's (`area_id`) or one of the
    resident's own (`personal_area_id`)."""

    __tablename__ = "netvaerk_wheel_score"

    id: Mapped[int] = mapped_column(primary_key=True)
    scoring_id: Mapped[int] = mapped_column(
        ForeignKey("netvaerk_wheel_scoring.id", ondelete="CASCADE"), index=True
    )
    area_id: Mapped[int | None] = mapped_column(ForeignKey("netvaerk_wheel_area.id"))
    personal_area_id: Mapped[int | None] = mapped_column(
        ForeignKey("netvaerk_wheel_personal_area.id", ondelete="CASCADE"), index=True
    )
    score: Mapped[int]

    scoring: Mapped[WheelScoring] = relationship(back_populates="scores")
    area: Mapped[WheelArea | None] = relationship()
    personal_area: Mapped[WheelPersonalArea | None] = relationship()

    __table_args__ = (
        UniqueConstraint("scoring_id", "area_id", name="uq_wheel_score_area"),
        UniqueConstraint("scoring_id", "personal_area_id", name="uq_wheel_score_personal_area"),
        CheckConstraint("score >= 0 AND score <= 10", name="score_range"),
        CheckConstraint(
            "(area_id IS NOT NULL AND personal_area_id IS NULL) OR "
            "(area_id IS NULL AND personal_area_id IS NOT NULL)",
            name="one_area",
        ),
    )

    @property
    def key(self) -> str:
        """The key of the area scored (see `WheelArea.key`, `WheelPersonalArea.key`)."""
        if self.area_id is not None:
            return f"area_{self.area_id}"
        return f"own_{self.personal_area_id}"


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
