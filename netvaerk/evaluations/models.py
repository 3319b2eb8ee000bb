"""Evaluation forms, their versions and questions, answers, tablet sessions and answer links.

Anonymous answers first wait sealed (encrypted, no person, no time, a random key) in
`PendingAnswer`, and are released into `Submission` only in shuffled batches of at least k per
form version. A released answer holds only the network, the version, the month of its batch and
an outcome as coarse as its batch needs (see `answers.py` and the README's "Anonymity").
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..participants.models import OUTCOMES, WORK_OR_EDUCATION, Participant
from ..timeutil import utcnow

PURPOSES = ("exit", "activity", "midway", "other")
QUESTION_KINDS = ("scale", "yes_no", "single", "multiple", "text")
SCALE_MIN, SCALE_MAX = 1, 5

_OUTCOME_SQL = ", ".join(f"'{o}'" for o in OUTCOMES)
# The coarse outcome of an anonymous answer when its exact outcome would be too rare.
# "Work or education" is the statistics' own group (internship included), so the two agree.
OUTCOME_GROUPS = ("work_or_education", "other")


def outcome_group(outcome: str | None) -> str | None:
    """ "work_or_education" or "other" for an outcome (None for none)."""
    if outcome is None:
        return None
    return "work_or_education" if outcome in WORK_OR_EDUCATION else "other"


def random_id() -> str:
    """A random 32-character hex id (no order, no time in it)."""
    return uuid.uuid4().hex


class EvaluationForm(db.Model):
    """A form a network uses; its questions live in numbered versions."""

    __tablename__ = "netvaerk_evaluation_form"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_network.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(20), default="other")
    is_named: Mapped[bool] = mapped_column(default=False)
    title_da: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    intro_da: Mapped[str] = mapped_column(Text, default="")
    intro_en: Mapped[str] = mapped_column(Text, default="")
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    versions: Mapped[list[FormVersion]] = relationship(
        back_populates="form", order_by="FormVersion.number", cascade="all, delete-orphan"
    )

    __table_args__ = (
        CheckConstraint("purpose IN ('exit', 'activity', 'midway', 'other')", name="purpose_known"),
    )

    @property
    def current_version(self) -> FormVersion | None:
        """The newest version: the one that is answered from now on."""
        return self.versions[-1] if self.versions else None

    def title(self, locale: str) -> str:
        """The title in the given language."""
        return self.title_en if locale == "en" else self.title_da

    def intro(self, locale: str) -> str:
        """The introduction in the given language."""
        return self.intro_en if locale == "en" else self.intro_da


class FormVersion(db.Model):
    """One fixed set of questions. A version with answers is never changed again."""

    __tablename__ = "netvaerk_evaluation_form_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(
        ForeignKey("netvaerk_evaluation_form.id", ondelete="CASCADE"), index=True
    )
    network_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_network.id"))
    number: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    form: Mapped[EvaluationForm] = relationship(back_populates="versions")
    questions: Mapped[list[FormQuestion]] = relationship(
        back_populates="version",
        order_by="(FormQuestion.position, FormQuestion.id)",
        cascade="all, delete-orphan",
    )

    __table_args__ = (
        UniqueConstraint("form_id", "number", name="uq_evaluation_form_version_number"),
        CheckConstraint("number >= 1", name="number_positive"),
    )


class FormQuestion(db.Model):
    """A question of one version. `key` follows the question across versions while its
    meaning stays the same (so results can be added up across versions)."""

    __tablename__ = "netvaerk_evaluation_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("netvaerk_evaluation_form_version.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(32), default=random_id)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(20))
    required: Mapped[bool] = mapped_column(default=True)
    text_da: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text)
    low_label_da: Mapped[str] = mapped_column(String(120), default="")
    low_label_en: Mapped[str] = mapped_column(String(120), default="")
    high_label_da: Mapped[str] = mapped_column(String(120), default="")
    high_label_en: Mapped[str] = mapped_column(String(120), default="")
    # [{"value": "<random id>", "da": "...", "en": "..."}, ...] for single and multiple choice.
    choices: Mapped[list] = mapped_column(JSON, default=list)

    version: Mapped[FormVersion] = relationship(back_populates="questions")

    __table_args__ = (
        CheckConstraint(
            "kind IN ('scale', 'yes_no', 'single', 'multiple', 'text')", name="kind_known"
        ),
        UniqueConstraint("version_id", "key", name="uq_evaluation_question_key"),
    )

    def text(self, locale: str) -> str:
        """The wording in the given language."""
        return self.text_en if locale == "en" else self.text_da

    def low_label(self, locale: str) -> str:
        """The label of the scale's low end (1)."""
        return self.low_label_en if locale == "en" else self.low_label_da

    def high_label(self, locale: str) -> str:
        """The label of the scale's high end (5)."""
        return self.high_label_en if locale == "en" else self.high_label_da

    def choice_label(self, value: str, locale: str) -> str:
        """The label of one choice in the given language (the value when unknown)."""
        for choice in self.choices or []:
            if choice["value"] == value:
                return choice["en"] if locale == "en" else choice["da"]
        return value


class Submission(db.Model):
    """One whole answered form. Anonymous ones carry no participant, no date and no time."""

    __tablename__ = "netvaerk_evaluation_submission"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    network_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_network.id"))
    version_id: Mapped[int] = mapped_column(
        ForeignKey("netvaerk_evaluation_form_version.id"), index=True
    )
    year: Mapped[int]
    month: Mapped[int]
    outcome: Mapped[str | None] = mapped_column(String(30))
    outcome_group: Mapped[str | None] = mapped_column(String(20))
    # Only for named forms: who answered and on which day.
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("netvaerk_participant.id", ondelete="CASCADE"), index=True
    )
    answered_on: Mapped[date | None]

    version: Mapped[FormVersion] = relationship()
    participant: Mapped[Participant | None] = relationship()
    items: Mapped[list[AnswerItem]] = relationship(
        back_populates="submission", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        CheckConstraint("month >= 1 AND month <= 12", name="month_range"),
        CheckConstraint("year >= 2000 AND year <= 2200", name="year_range"),
        CheckConstraint(
            "(participant_id IS NULL AND answered_on IS NULL) OR "
            "(participant_id IS NOT NULL AND answered_on IS NOT NULL)",
            name="named_has_date",
        ),
        CheckConstraint(f"outcome IS NULL OR outcome IN ({_OUTCOME_SQL})", name="outcome_known"),
        CheckConstraint(
            "outcome_group IS NULL OR outcome_group IN ('work_or_education', 'other')",
            name="outcome_group_known",
        ),
        Index("ix_netvaerk_evaluation_submission_network_month", "network_id", "year", "month"),
        {"sqlite_with_rowid": False},
    )


class AnswerItem(db.Model):
    """The answer to one question of a submission."""

    __tablename__ = "netvaerk_evaluation_answer"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    submission_id: Mapped[str] = mapped_column(
        ForeignKey("netvaerk_evaluation_submission.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("netvaerk_evaluation_question.id"), index=True
    )
    # Scale 1-5; yes/no as 1/0.
    number: Mapped[int | None]
    text: Mapped[str | None] = mapped_column(Text)
    # The chosen values of single and multiple choice questions.
    choices: Mapped[list | None] = mapped_column(JSON)
    redacted: Mapped[bool] = mapped_column(default=False)

    submission: Mapped[Submission] = relationship(back_populates="items")
    question: Mapped[FormQuestion] = relationship()

    __table_args__ = (
        UniqueConstraint("submission_id", "question_id", name="uq_evaluation_answer_question"),
        CheckConstraint("number IS NULL OR (number >= 0 AND number <= 5)", name="number_range"),
        {"sqlite_with_rowid": False},
    )


class PendingAnswer(db.Model):
    """An anonymous answer waiting, sealed, until at least k answers of its version can be
    released together. No person, no time, a random key; the content is encrypted with a key
    that is not in the database, so a reader of the database cannot read it while it waits."""

    __tablename__ = "netvaerk_evaluation_pending"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    network_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_network.id"))
    version_id: Mapped[int] = mapped_column(
        ForeignKey("netvaerk_evaluation_form_version.id", ondelete="CASCADE"), index=True
    )
    sealed: Mapped[bytes] = mapped_column(LargeBinary)

    __table_args__ = ({"sqlite_with_rowid": False},)


class TabletSession(db.Model):
    """A form waiting on the kiosk tablet for one participant to answer."""

    __tablename__ = "netvaerk_evaluation_tablet_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_network.id"), index=True)
    form_id: Mapped[int] = mapped_column(
        ForeignKey("netvaerk_evaluation_form.id", ondelete="CASCADE")
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("netvaerk_participant.id", ondelete="CASCADE")
    )
    opened_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("netvaerk_user.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    form: Mapped[EvaluationForm] = relationship()
    participant: Mapped[Participant] = relationship()

    __table_args__ = (
        UniqueConstraint("form_id", "participant_id", name="uq_evaluation_tablet_form_participant"),
    )


class AnswerLink(db.Model):
    """A one-time link for a participant's own phone; only the token's hash is stored.

    Answering deletes the row (in the transaction that seals the answer); `used` is kept only
    for rows from before answers were pooled."""

    __tablename__ = "netvaerk_evaluation_answer_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_network.id"), index=True)
    form_id: Mapped[int] = mapped_column(
        ForeignKey("netvaerk_evaluation_form.id", ondelete="CASCADE")
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("netvaerk_participant.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    used: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("netvaerk_user.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    form: Mapped[EvaluationForm] = relationship()
    participant: Mapped[Participant] = relationship()


EXIT_STATUSES = ("offered", "answered", "declined")


class ExitEvaluationStatus(db.Model):
    """Whether the exit evaluation was offered or declined for one period of participation.

    "answered" is never written any more: an offered evaluation whose tablet session or link is
    gone was answered (`delivery.exit_status`). Rows from before keep "answered".
    """

    __tablename__ = "netvaerk_exit_evaluation_status"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_network.id"), index=True)
    period_id: Mapped[int] = mapped_column(
        ForeignKey("netvaerk_participation_period.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[str] = mapped_column(String(20), default="offered")

    __table_args__ = (
        CheckConstraint("status IN ('offered', 'answered', 'declined')", name="status_known"),
    )
