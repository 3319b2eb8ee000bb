"""Answering a form: validating, sealing anonymous answers into the pool, releasing batches.

Anonymity against a reader of the whole database (README, "Anonymity"):
- at answer time nothing about the person is written; the tablet session or link (the only
  per-person state) is deleted in the transaction that stores the answer;
- every anonymous answer uses up exactly one offer (a tablet session, a link, or a paper offer,
  which is a link whose token is never shown): no offer, no answer;
- an anonymous answer waits in `PendingAnswer`, encrypted with a key that is not in the
  database, padded to one fixed size per form version (the largest answer the version allows,
  free text capped at `TEXT_CAP` characters), under a random key and with no time;
- when the waiting answers of one form version come from at least k different residents, all of
  them are released in one transaction into `Submission`/`AnswerItem`, in random order, with
  random ids, with the month of the release and an outcome only as exact as every group in the
  batch allows (k residents at least). Who answered is known only inside the seal, as a keyed
  tag, and is dropped at release.
So every released row shares its transaction (xmin), its month and its attributes with the
answers of at least k - 1 other residents, and their physical order is random.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app
from flask_babel import lazy_gettext as _
from sqlalchemy import delete, func

from ..audit.services import record
from ..core.errors import UserError
from ..core.locks import advisory_lock
from ..extensions import db
from ..participants.models import OUTCOMES, Participant, ParticipationPeriod
from .models import (
    SCALE_MAX,
    SCALE_MIN,
    AnswerItem,
    AnswerLink,
    EvaluationForm,
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
# The most characters a free-text answer may have: it bounds the size every sealed answer of a
# version is padded to (so a long answer looks like a short one).
TEXT_CAP = 2000
# The most bytes one character of free text takes in the sealed JSON (UTF-8 of an emoji; `"`,
# `\\`, newline and tab are escaped in two; other control characters are removed first).
_BYTES_PER_CHAR = 4
# An advisory lock per form version on PostgreSQL; it leaves no trace in any table.
_LOCK_CLASS = 0x6E76  # "nv"


class AlreadyUsed(UserError):
    """The tablet session or the link was used by another submission a moment ago."""


class NoOffer(UserError):
    """An anonymous answer that did not come through an open offer (nothing is stored)."""


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
            text = clean_text("\n".join(values))
            if len(text) > TEXT_CAP:
                errors[question.id] = _(
                    "Please keep the answer to at most %(cap)d characters (it has %(length)d).",
                    cap=TEXT_CAP,
                    length=len(text),
                )
                continue
            if text:
                answers[question.id] = {"text": text}
            elif question.required:
                errors[question.id] = _("Please answer this question.")
    return answers, errors


def clean_text(text: str) -> str:
    """Free text as it is stored: newlines as "\\n", no other control characters and no lone
    surrogates, so that no character takes more than `_BYTES_PER_CHAR` bytes when sealed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(
        c for c in text if c in "\n\t" or unicodedata.category(c) not in ("Cc", "Cs")
    ).strip()


def exit_period(participant: Participant) -> ParticipationPeriod | None:
    """The participant's most recent ended period (the one an exit evaluation is about)."""
    ended = [p for p in participant.periods if p.end_date is not None]
    return max(ended, key=lambda p: (p.end_date, p.id)) if ended else None


# --- sealing -----------------------------------------------------------------------------------


def pool_key() -> bytes:
    """The key waiting answers are sealed with: from the app's secret, never stored."""
    secret = current_app.config.get("NETVAERK_POOL_KEY") or current_app.config["SECRET_KEY"]
    return hashlib.sha256(b"netvaerk-evaluation-pool:" + str(secret).encode()).digest()


def _encode(payload: dict) -> bytes:
    """The JSON of a payload, as UTF-8 (no \\uXXXX escapes, so that the size of a character does
    not depend on its alphabet beyond `_BYTES_PER_CHAR`)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def _largest_answer(question: FormQuestion) -> dict:
    """The largest answer a question allows, in the form the payload holds it."""
    if question.kind in ("scale", "yes_no"):
        return {"number": SCALE_MAX}
    values = [c["value"] for c in question.choices or []]
    if question.kind == "multiple":
        return {"choices": values}
    if question.kind == "single":
        return {"choices": [max(values, key=lambda v: len(_encode({"v": v})), default="")]}
    # An emoji takes `_BYTES_PER_CHAR` bytes, as many as any allowed character.
    return {"text": "\U0001f600" * TEXT_CAP}


def sealed_size(version: FormVersion) -> int:
    """The size in bytes every answer of the version is padded to before it is encrypted: the
    encoding of the largest answer its questions allow. The same for every answer, whatever was
    written (a version with answers never changes)."""
    largest = {
        "answers": {str(q.id): _largest_answer(q) for q in version.questions},
        "outcome": max(OUTCOMES, key=len),
        "resident": "f" * 64,
    }
    return len(_encode(largest))


def seal(payload: dict, key: bytes, version_id: int, size: int) -> bytes:
    """Encrypt an answer padded to exactly `size` bytes (JSON ignores the trailing spaces)."""
    data = _encode(payload)
    if len(data) > size:  # validation caps every part; this would be a bug, never user input
        raise ValueError(f"answer of version {version_id} is {len(data)} bytes, over {size}")
    data += b" " * (size - len(data))
    nonce = os.urandom(12)
    return nonce + AESGCM(key).encrypt(nonce, data, str(version_id).encode())


def resident_tag(key: bytes, version_id: int, participant_id: int) -> str:
    """Who answered, as only the seal holds it: a keyed hash, so that a batch can be counted in
    people (two answers of one resident count once). It is never stored outside the seal and is
    dropped when the batch is released."""
    message = f"resident:{version_id}:{participant_id}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def unseal(sealed: bytes, key: bytes, version_id: int) -> dict:
    """The answer a `seal` call encrypted."""
    data = AESGCM(key).decrypt(sealed[:12], sealed[12:], str(version_id).encode())
    return json.loads(data)


# --- storing -----------------------------------------------------------------------------------


def _exit_forms(network_id: int):
    return db.select(EvaluationForm.id).where(
        EvaluationForm.network_id == network_id, EvaluationForm.purpose == "exit"
    )


def _consume_tokens(
    form: EvaluationForm,
    participant: Participant | None,
    tablet_session: TabletSession | None,
    link: AnswerLink | None,
) -> None:
    """Delete the tablet session or link the answer came through (a second use finds it gone)
    and the person's other open ones for the same form (for an exit evaluation: of every exit
    form, one answer per leaving), so that they cannot answer twice."""
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
        forms = _exit_forms(form.network_id) if form.purpose == "exit" else [form.id]
        db.session.execute(
            delete(TabletSession).where(
                TabletSession.form_id.in_(forms), TabletSession.participant_id == participant.id
            )
        )
        db.session.execute(
            delete(AnswerLink).where(
                AnswerLink.form_id.in_(forms), AnswerLink.participant_id == participant.id
            )
        )
    db.session.expire_all()


def _offer_owner(
    form: EvaluationForm,
    participant: Participant | None,
    tablet_session: TabletSession | None,
    link: AnswerLink | None,
) -> int:
    """The resident whose offer an anonymous answer uses up; refused without an offer of this
    form (nothing is stored)."""
    offer = tablet_session if tablet_session is not None else link
    if (
        offer is None
        or offer.form_id != form.id
        or (participant is not None and offer.participant_id != participant.id)
    ):
        raise NoOffer(
            _(
                "An anonymous answer must use up an open offer of the form: give the person the "
                "form on paper, by link or on the tablet first."
            ),
            field="participant_id",
        )
    return offer.participant_id


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

    A named form's answer is stored with the person (and audited). An anonymous one must use up
    exactly one offer (the tablet session, or the link, which is also what a paper offer is) and
    is sealed into the pool with nothing about the person; the batch of its version is released
    when its answers come from k residents. Returns the named submission, or None for an
    anonymous answer.
    """
    form = version.form
    network_id, version_id = version.network_id, version.id
    named = form.is_named and participant is not None
    owner = None if named else _offer_owner(form, participant, tablet_session, link)
    if owner is not None and participant is None:
        participant = db.session.get(Participant, owner)
    if form.purpose == "exit" and outcome is None and participant is not None:
        period = exit_period(participant)
        outcome = period.outcome if period is not None else None
    _consume_tokens(form, participant, tablet_session, link)
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
    key = pool_key()
    pool_answer(
        version,
        answers,
        today=today,
        outcome=outcome if form.purpose == "exit" else None,
        resident=resident_tag(key, version_id, owner),
        k=k,
    )
    return None


def pool_answer(
    version: FormVersion,
    answers: dict[int, dict],
    *,
    today: date,
    outcome: str | None,
    resident: str,
    k: int = K,
) -> None:
    """Seal an anonymous answer into the pool (fixed size, no person, no time) and release the
    version's batch when it is ready. `save_answer` calls it after using up the offer; the demo
    and tests of results call it directly, with a tag of their own for the resident."""
    payload = {
        "answers": {str(qid): value for qid, value in answers.items()},
        "outcome": outcome,
        "resident": resident,
    }
    db.session.add(
        PendingAnswer(
            id=random_id(),
            network_id=version.network_id,
            version_id=version.id,
            sealed=seal(payload, pool_key(), version.id, sealed_size(version)),
        )
    )
    db.session.flush()
    release_ready(version.id, today=today, k=k)


# --- releasing ---------------------------------------------------------------------------------


def _lock_version(version_id: int) -> None:
    """Serialise releases of one version."""
    advisory_lock(_LOCK_CLASS, version_id)


@dataclass
class _Opened:
    answers: dict
    outcome: str | None
    # Answers sealed before residents were tagged count as one resident each.
    resident: str = field(default_factory=random_id)


def _people(values: list, residents: list[str]) -> dict:
    """Value -> number of different residents whose answers have it."""
    people = defaultdict(set)
    for value, resident in zip(values, residents, strict=True):
        people[value].add(resident)
    return {value: len(who) for value, who in people.items()}


def coarsen_outcomes(
    outcomes: list[str | None], k: int, residents: list[str] | None = None
) -> tuple[str, list, list]:
    """The most exact level at which every distinct value in the batch is shared by at least k
    residents (each answer its own resident when `residents` is not given): ("exact", outcomes,
    groups), ("group", Nones, groups) or ("none", Nones, Nones)."""
    residents = residents if residents is not None else [random_id() for _ in outcomes]
    groups = [outcome_group(o) for o in outcomes]
    if min(_people(outcomes, residents).values()) >= k:
        return "exact", list(outcomes), groups
    if min(_people(groups, residents).values()) >= k:
        return "group", [None] * len(outcomes), groups
    return "none", [None] * len(outcomes), [None] * len(outcomes)


def release_ready(version_id: int, *, today: date, k: int = K) -> int:
    """Release the version's waiting answers when they come from at least k different
    residents: all of them, shuffled, in this transaction, without who gave them. Returns the
    number released (0 while fewer than k residents wait)."""
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
    if len({o.resident for o in opened}) < k:
        return 0
    network_id = waiting[0].network_id
    db.session.execute(delete(PendingAnswer).where(PendingAnswer.id.in_([p.id for p in waiting])))
    secrets.SystemRandom().shuffle(opened)
    _level, outcomes, groups = coarsen_outcomes(
        [o.outcome for o in opened], k, [o.resident for o in opened]
    )
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
