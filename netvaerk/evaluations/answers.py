"""Answering a form: validating, sealing anonymous answers into the pool, releasing batches.

Anonymity against a reader of the whole database (README, "Anonymity"):
- at answer time nothing about the person is written; the tablet session or link (the only
  per-person state) is deleted in the transaction that stores the answer;
- an anonymous answer waits in `PendingAnswer`, encrypted with a key that is not in the
  database, padded to a fixed block size, under a random key and with no time;
- when at least k answers of one form version wait, all of them are released in one transaction
  into `Submission`/`AnswerItem`, in random order, with random ids, with the month of the release
  and an outcome only as exact as every group in the batch allows (k rows at least).
So every released row shares its transaction (xmin), its month and its attributes with at least
k - 1 others, and their physical order is random.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import date

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app
from flask_babel import lazy_gettext as _
from sqlalchemy import delete, func, text

from ..audit.services import record
from ..core.errors import UserError
from ..extensions import db
from ..participants.models import Participant, ParticipationPeriod
from .models import (
    SCALE_MAX,
    SCALE_MIN,
    AnswerItem,
    AnswerLink,
    FormQuestion,
    FormVersion,
    PendingAnswer,
    Submission,
    TabletSession,
    outcome_group,
    random_id,
)

# The smallest number of answers released together (the statistics' threshold).
K = 5
# Sealed answers are padded to a multiple of this, so their size says little about them.
PAD_BLOCK = 4096
# An advisory lock per form version on PostgreSQL; it leaves no trace in any table.
_LOCK_CLASS = 0x6E76  # "nv"


class AlreadyUsed(UserError):
    """The tablet session or the link was used by another submission a moment ago."""


# --- validating --------------------------------------------------------------------------------


def validate_answers(
    questions: list[FormQuestion], raw: dict[str, list[str]]
) -> tuple[dict[int, dict], dict[int, str]]:
    """Check raw form values (field `q<id>` -> list of strings) against the questions.

    Returns (answers by question id, translated error by question id). Nothing is saved.
    """
    answers: dict[int, dict] = {}
    errors: dict[int, str] = {}
    for question in questions:
        values = [v.strip() for v in raw.get(f"q{question.id}", []) if v and v.strip()]
        if not values:
            if question.required:
                errors[question.id] = _("Please answer this question.")
            continue
        if question.kind == "scale":
            try:
                number = int(values[0])
            except ValueError:
                number = None
            if len(values) != 1 or number is None or not SCALE_MIN <= number <= SCALE_MAX:
                errors[question.id] = _(
                    "Choose a number from %(low)d to %(high)d.", low=SCALE_MIN, high=SCALE_MAX
                )
                continue
            answers[question.id] = {"number": number}
        elif question.kind == "yes_no":
            if len(values) != 1 or values[0] not in ("yes", "no"):
                errors[question.id] = _("Choose yes or no.")
                continue
            answers[question.id] = {"number": 1 if values[0] == "yes" else 0}
        elif question.kind in ("single", "multiple"):
            allowed = [c["value"] for c in question.choices or []]
            if any(v not in allowed for v in values) or len(set(values)) != len(values):
                errors[question.id] = _("Choose from the list.")
                continue
            if question.kind == "single" and len(values) != 1:
                errors[question.id] = _("Choose only one answer.")
                continue
            answers[question.id] = {"choices": sorted(values, key=allowed.index)}
        else:
            text = "\n".join(values)
            if len(text) > 4000:
                errors[question.id] = _("Please keep the answer under 4000 characters.")
                continue
            answers[question.id] = {"text": text}
    return answers, errors


def exit_period(participant: Participant) -> ParticipationPeriod | None:
    """The participant's most recent ended period (the one an exit evaluation is about)."""
    ended = [p for p in participant.periods if p.end_date is not None]
    return max(ended, key=lambda p: (p.end_date, p.id)) if ended else None


# --- sealing -----------------------------------------------------------------------------------


def pool_key() -> bytes:
    """The key waiting answers are sealed with: from the app's secret, never stored."""
    secret = current_app.config.get("NETVAERK_POOL_KEY") or current_app.config["SECRET_KEY"]
    return hashlib.sha256(b"netvaerk-evaluation-pool:" + str(secret).encode()).digest()


def seal(payload: dict, key: bytes, version_id: int) -> bytes:
    """Encrypt an answer, padded to whole blocks (JSON ignores the trailing spaces)."""
    data = json.dumps(payload, separators=(",", ":")).encode()
    data += b" " * (PAD_BLOCK - len(data) % PAD_BLOCK)
    nonce = os.urandom(12)
    return nonce + AESGCM(key).encrypt(nonce, data, str(version_id).encode())


def unseal(sealed: bytes, key: bytes, version_id: int) -> dict:
    """The answer a `seal` call encrypted."""
    data = AESGCM(key).decrypt(sealed[:12], sealed[12:], str(version_id).encode())
    return json.loads(data)


# --- storing -----------------------------------------------------------------------------------


def _consume_tokens(
    form_id: int,
    participant: Participant | None,
    tablet_session: TabletSession | None,
    link: AnswerLink | None,
) -> None:
    """Delete the tablet session or link the answer came through (a second use finds it gone)
    and the person's other open ones for the same form, so that they cannot answer twice."""
    if tablet_session is not None:
        gone = db.session.execute(
            delete(TabletSession).where(TabletSession.id == tablet_session.id)
        ).rowcount
        if gone != 1:
            raise AlreadyUsed(_("This form has already been answered."))
    if link is not None:
        gone = db.session.execute(
            delete(AnswerLink).where(AnswerLink.id == link.id, AnswerLink.used.is_(False))
        ).rowcount
        if gone != 1:
            raise AlreadyUsed(_("This link has already been used."))
    if participant is not None:
        db.session.execute(
            delete(TabletSession).where(
                TabletSession.form_id == form_id, TabletSession.participant_id == participant.id
            )
        )
        db.session.execute(
            delete(AnswerLink).where(
                AnswerLink.form_id == form_id, AnswerLink.participant_id == participant.id
            )
        )
    db.session.expire_all()


def _items(answers: dict[int, dict]) -> list[AnswerItem]:
    return [
        AnswerItem(
            id=random_id(),
            question_id=int(question_id),
            number=value.get("number"),
            text=value.get("text"),
            choices=value.get("choices"),
        )
        for question_id, value in answers.items()
    ]


def save_answer(
    version: FormVersion,
    answers: dict[int, dict],
    *,
    today: date,
    participant: Participant | None = None,
    outcome: str | None = None,
    tablet_session: TabletSession | None = None,
    link: AnswerLink | None = None,
    k: int = K,
) -> Submission | None:
    """Store one whole answered form, consuming the tablet session or link it came through.

    A named form's answer is stored with the person (and audited). An anonymous one is sealed
    into the pool with nothing about the person; the batch of its version is released when k
    answers wait. Returns the named submission, or None for an anonymous answer.
    """
    form = version.form
    network_id, version_id, form_id = version.network_id, version.id, form.id
    named = form.is_named and participant is not None
    if form.purpose == "exit" and outcome is None and participant is not None:
        period = exit_period(participant)
        outcome = period.outcome if period is not None else None
    _consume_tokens(form_id, participant, tablet_session, link)
    if named:
        submission = _submission(
            network_id,
            version_id,
            today,
            outcome=outcome if form.purpose == "exit" else None,
            participant_id=participant.id,
            answered_on=today,
        )
        submission.items.extend(_items(answers))
        db.session.add(submission)
        record(
            "evaluation.answer",
            network_id=network_id,
            subject_type="participant",
            subject_id=participant.id,
            detail=form.title_da,
        )
        db.session.flush()
        return submission
    payload = {
        "answers": {str(qid): value for qid, value in answers.items()},
        "outcome": outcome if form.purpose == "exit" else None,
    }
    db.session.add(
        PendingAnswer(
            id=random_id(),
            network_id=network_id,
            version_id=version_id,
            sealed=seal(payload, pool_key(), version_id),
        )
    )
    db.session.flush()
    release_ready(version_id, today=today, k=k)
    return None


# --- releasing ---------------------------------------------------------------------------------


def _lock_version(version_id: int) -> None:
    """Serialise releases of one version (PostgreSQL; SQLite already holds the write lock)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            text("SELECT pg_advisory_xact_lock(:cls, :key)"),
            {"cls": _LOCK_CLASS, "key": version_id},
        )


@dataclass
class _Opened:
    answers: dict
    outcome: str | None


def coarsen_outcomes(outcomes: list[str | None], k: int) -> tuple[str, list, list]:
    """The most exact level at which every distinct value in the batch is shared by at least k
    answers: ("exact", outcomes, groups), ("group", Nones, groups) or ("none", Nones, Nones)."""
    groups = [outcome_group(o) for o in outcomes]
    if min(Counter(outcomes).values()) >= k:
        return "exact", list(outcomes), groups
    if min(Counter(groups).values()) >= k:
        return "group", [None] * len(outcomes), groups
    return "none", [None] * len(outcomes), [None] * len(outcomes)


def release_ready(version_id: int, *, today: date, k: int = K) -> int:
    """Release the version's waiting answers when at least k wait: all of them, shuffled, in
    this transaction. Returns the number released (0 while fewer than k wait)."""
    _lock_version(version_id)
    waiting = list(
        db.session.execute(db.select(PendingAnswer).where(PendingAnswer.version_id == version_id))
        .scalars()
        .all()
    )
    if len(waiting) < k:
        return 0
    key = pool_key()
    opened = [_Opened(**unseal(p.sealed, key, version_id)) for p in waiting]
    network_id = waiting[0].network_id
    db.session.execute(delete(PendingAnswer).where(PendingAnswer.id.in_([p.id for p in waiting])))
    secrets.SystemRandom().shuffle(opened)
    _level, outcomes, groups = coarsen_outcomes([o.outcome for o in opened], k)
    for entry, outcome, group in zip(opened, outcomes, groups, strict=True):
        submission = _submission(
            network_id, version_id, today, outcome=outcome, outcome_group=group
        )
        submission.items.extend(_items(entry.answers))
        db.session.add(submission)
        # One at a time, in the shuffled order, so the physical order is the random one.
        db.session.flush()
    db.session.expire_all()
    return len(opened)


def waiting_count(version_ids: list[int]) -> int:
    """How many anonymous answers of these versions wait to be released."""
    if not version_ids:
        return 0
    return db.session.execute(
        db.select(func.count(PendingAnswer.id)).where(PendingAnswer.version_id.in_(version_ids))
    ).scalar_one()


def _submission(network_id: int, version_id: int, today: date, **fields) -> Submission:
    """A new submission of a version, counted in today's month."""
    return Submission(
        id=random_id(),
        network_id=network_id,
        version_id=version_id,
        year=today.year,
        month=today.month,
        **fields,
    )
