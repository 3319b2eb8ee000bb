"""Rules of the evaluation forms: versioning, validating and saving answers, links, results."""

from __future__ import annotations

import hashlib
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import lazy_gettext as _
from sqlalchemy import delete, func, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ..audit.services import record
from ..extensions import db
from ..participants.models import Participant, ParticipationPeriod
from ..timeutil import local_today, utcnow
from .models import (
    SCALE_MAX,
    SCALE_MIN,
    AnswerItem,
    AnswerLink,
    EvaluationForm,
    ExitEvaluationStatus,
    FormQuestion,
    FormVersion,
    Submission,
    TabletSession,
    random_id,
)

# A form opened on the tablet waits this long before it is dropped from the kiosk screen.
TABLET_SESSION_HOURS = 12
# How far back the coordinator is reminded of exit evaluations that were not answered.
REMINDER_WEEKS = 8


class EvaluationError(Exception):
    """A rule was broken; the message is a translated sentence for the user."""


# --- forms and versions -------------------------------------------------------------------


def create_form(network_id: int, **details) -> EvaluationForm:
    """A new form with an empty first version."""
    form = EvaluationForm(network_id=network_id, **details)
    form.versions.append(FormVersion(network_id=network_id, number=1))
    db.session.add(form)
    db.session.commit()
    return form


def version_has_answers(version: FormVersion) -> bool:
    """True when at least one submission answered this version."""
    return (
        db.session.execute(
            db.select(Submission.id).where(Submission.version_id == version.id).limit(1)
        ).first()
        is not None
    )


def form_has_answers(form: EvaluationForm) -> bool:
    """True when any version of the form has been answered."""
    return (
        db.session.execute(
            db.select(Submission.id)
            .join(FormVersion, Submission.version_id == FormVersion.id)
            .where(FormVersion.form_id == form.id)
            .limit(1)
        ).first()
        is not None
    )


def update_form_details(form: EvaluationForm, **details) -> None:
    """Change title, introduction, purpose or named/anonymous.

    Purpose and named/anonymous cannot change once the form has answers: the answers were
    given on the terms the form stated then.
    """
    if form_has_answers(form) and (
        details.get("purpose", form.purpose) != form.purpose
        or details.get("is_named", form.is_named) != form.is_named
    ):
        raise EvaluationError(
            _(
                "The form has answers, so its purpose and whether it is anonymous cannot change. "
                "Make a new form instead."
            )
        )
    for name, value in details.items():
        setattr(form, name, value)
    db.session.commit()


def set_form_active(form: EvaluationForm, active: bool) -> None:
    """Archive a form (no longer offered) or bring it back."""
    form.is_active = active
    db.session.commit()


def editable_version(form: EvaluationForm) -> FormVersion:
    """The version questions may be edited in: the current one, or a new copy of it when
    the current one has answers (answers keep pointing at what they answered)."""
    current = form.current_version
    if current is not None and not version_has_answers(current):
        return current
    new = FormVersion(network_id=form.network_id, number=(current.number + 1) if current else 1)
    for question in current.questions if current else []:
        new.questions.append(
            FormQuestion(
                key=question.key,
                position=question.position,
                kind=question.kind,
                required=question.required,
                text_da=question.text_da,
                text_en=question.text_en,
                low_label_da=question.low_label_da,
                low_label_en=question.low_label_en,
                high_label_da=question.high_label_da,
                high_label_en=question.high_label_en,
                choices=[dict(c) for c in question.choices or []],
            )
        )
    form.versions.append(new)
    db.session.flush()
    return new


@dataclass
class QuestionData:
    """What a coordinator writes for one question."""

    kind: str
    text_da: str
    text_en: str
    required: bool = True
    low_label_da: str = ""
    low_label_en: str = ""
    high_label_da: str = ""
    high_label_en: str = ""
    choices_da: list[str] = field(default_factory=list)
    choices_en: list[str] = field(default_factory=list)


def question_problems(data: QuestionData) -> dict[str, str]:
    """Field name -> translated message for a question that cannot be saved."""
    problems = {}
    if data.kind == "scale":
        for name in ("low_label_da", "low_label_en", "high_label_da", "high_label_en"):
            if not getattr(data, name).strip():
                problems[name] = _("A scale needs a label at both ends, in Danish and English.")
    if data.kind in ("single", "multiple"):
        if len(data.choices_da) < 2:
            problems["choices_da"] = _("Write at least two choices, one on each line.")
        elif len(data.choices_da) != len(data.choices_en):
            problems["choices_en"] = _(
                "Write the same number of choices in English as in Danish, in the same order."
            )
        elif len({c.casefold() for c in data.choices_da}) != len(data.choices_da):
            problems["choices_da"] = _("Each choice may appear only once.")
    return problems


def _choices_from(data: QuestionData, old: list | None) -> list[dict]:
    """Choice dicts; a choice keeps its value while its Danish wording is unchanged."""
    if data.kind not in ("single", "multiple"):
        return []
    known = {c["da"].casefold(): c["value"] for c in old or []}
    return [
        {"value": known.get(da.casefold()) or random_id()[:12], "da": da, "en": en}
        for da, en in zip(data.choices_da, data.choices_en, strict=True)
    ]


def _apply(question: FormQuestion, data: QuestionData) -> None:
    scale = data.kind == "scale"
    question.kind = data.kind
    question.required = data.required
    question.text_da = data.text_da.strip()
    question.text_en = data.text_en.strip()
    question.low_label_da = data.low_label_da.strip() if scale else ""
    question.low_label_en = data.low_label_en.strip() if scale else ""
    question.high_label_da = data.high_label_da.strip() if scale else ""
    question.high_label_en = data.high_label_en.strip() if scale else ""
    question.choices = _choices_from(data, question.choices)


def add_question(form: EvaluationForm, data: QuestionData) -> FormQuestion:
    """Add a question at the end of the form (in a new version if the form has answers)."""
    problems = question_problems(data)
    if problems:
        raise EvaluationError(next(iter(problems.values())))
    version = editable_version(form)
    question = FormQuestion(
        key=random_id(),
        position=max((q.position for q in version.questions), default=0) + 1,
        choices=[],
    )
    _apply(question, data)
    version.questions.append(question)
    db.session.commit()
    return question


def current_question(form: EvaluationForm, question: FormQuestion) -> FormQuestion | None:
    """The question with the same key in the form's current version, if it is still there."""
    current = form.current_version
    if current is None:
        return None
    return next((q for q in current.questions if q.key == question.key), None)


def update_question(form: EvaluationForm, question: FormQuestion, data: QuestionData) -> None:
    """Change a question. A change of kind or scale ends changes its meaning: it then
    counts as a new question in the results (a new key)."""
    problems = question_problems(data)
    if problems:
        raise EvaluationError(next(iter(problems.values())))
    version = editable_version(form)
    target = next(q for q in version.questions if q.key == question.key)
    meaning_changed = target.kind != data.kind or (
        data.kind == "scale"
        and (target.low_label_da, target.high_label_da)
        != (data.low_label_da.strip(), data.high_label_da.strip())
    )
    _apply(target, data)
    if meaning_changed:
        target.key = random_id()
    db.session.commit()


def delete_question(form: EvaluationForm, question: FormQuestion) -> None:
    """Remove a question from the form (older versions with answers keep it)."""
    version = editable_version(form)
    target = next(q for q in version.questions if q.key == question.key)
    version.questions.remove(target)
    db.session.commit()


def move_question(form: EvaluationForm, question: FormQuestion, step: int) -> None:
    """Move a question one place up (-1) or down (+1)."""
    version = editable_version(form)
    ordered = list(version.questions)
    index = next(i for i, q in enumerate(ordered) if q.key == question.key)
    other = index + step
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, q in enumerate(ordered, start=1):
        q.position = position
    db.session.commit()


def active_forms(network_id: int) -> list[EvaluationForm]:
    """The network's forms that can be answered (active, with at least one question)."""
    # One query, whatever the number of forms: the newest version must have a question.
    newest = (
        db.select(func.max(FormVersion.number))
        .where(FormVersion.form_id == EvaluationForm.id)
        .correlate(EvaluationForm)
        .scalar_subquery()
    )
    has_questions = (
        db.select(FormQuestion.id)
        .join(FormVersion, FormVersion.id == FormQuestion.version_id)
        .where(FormVersion.form_id == EvaluationForm.id, FormVersion.number == newest)
        .correlate(EvaluationForm)
        .exists()
    )
    return list(
        db.session.execute(
            db.select(EvaluationForm)
            .where(
                EvaluationForm.network_id == network_id,
                EvaluationForm.is_active.is_(True),
                has_questions,
            )
            .order_by(EvaluationForm.title_da)
        ).scalars()
    )


def exit_form(network_id: int) -> EvaluationForm | None:
    """The network's exit evaluation (the newest active one with questions)."""
    forms = [f for f in active_forms(network_id) if f.purpose == "exit"]
    return max(forms, key=lambda f: f.id) if forms else None


# --- validating and saving answers ---------------------------------------------------------


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


class AlreadyUsed(EvaluationError):
    """The tablet session or the link was used by another submission a moment ago."""


def exit_period(participant: Participant) -> ParticipationPeriod | None:
    """The participant's most recent ended period (the one an exit evaluation is about)."""
    ended = [p for p in participant.periods if p.end_date is not None]
    return max(ended, key=lambda p: (p.end_date, p.id)) if ended else None


def save_submission(
    version: FormVersion,
    answers: dict[int, dict],
    *,
    participant: Participant | None = None,
    outcome: str | None = None,
    month: date | None = None,
    tablet_session: TabletSession | None = None,
    link: AnswerLink | None = None,
    mark_answered: bool = True,
) -> Submission:
    """Save one whole answered form in one transaction, consuming the tablet session or the
    link it came through (a second use finds it gone: `AlreadyUsed`).

    Anonymous forms get neither the participant nor a date; an exit evaluation gets the
    outcome category of the participant's last period, and that period is marked answered.
    """
    form = version.form
    when = month or local_today()
    if tablet_session is not None:
        gone = db.session.execute(
            delete(TabletSession).where(TabletSession.id == tablet_session.id)
        ).rowcount
        if gone != 1:
            db.session.rollback()
            raise AlreadyUsed(_("This form has already been answered."))
    if link is not None:
        used = db.session.execute(
            update(AnswerLink)
            .where(AnswerLink.id == link.id, AnswerLink.used.is_(False))
            .values(used=True)
        ).rowcount
        if used != 1:
            db.session.rollback()
            raise AlreadyUsed(_("This link has already been used."))
    period = exit_period(participant) if participant is not None else None
    if form.purpose == "exit" and outcome is None and period is not None:
        outcome = period.outcome
    submission = Submission(
        id=random_id(),
        network_id=version.network_id,
        version_id=version.id,
        year=when.year,
        month=when.month,
        outcome=outcome if form.purpose == "exit" else None,
        participant_id=participant.id if (form.is_named and participant) else None,
        answered_on=local_today() if (form.is_named and participant) else None,
    )
    for question_id, value in answers.items():
        submission.items.append(
            AnswerItem(
                id=random_id(),
                question_id=question_id,
                number=value.get("number"),
                text=value.get("text"),
                choices=value.get("choices"),
            )
        )
    db.session.add(submission)
    if submission.participant_id is not None:
        record(
            "evaluation.answer",
            network_id=version.network_id,
            subject_type="participant",
            subject_id=submission.participant_id,
            detail=f"form {form.id}",
        )
    if form.purpose == "exit" and period is not None and mark_answered:
        _set_exit_status(period, "answered")
    db.session.commit()
    return submission


def _set_exit_status(period: ParticipationPeriod, status: str) -> None:
    row = db.session.execute(
        db.select(ExitEvaluationStatus).where(ExitEvaluationStatus.period_id == period.id)
    ).scalar_one_or_none()
    if row is None:
        db.session.add(
            ExitEvaluationStatus(network_id=period.network_id, period_id=period.id, status=status)
        )
    elif row.status != "answered":
        row.status = status


def set_exit_status(period: ParticipationPeriod, status: str) -> None:
    """Record that the exit evaluation was offered, answered or declined for a period."""
    _set_exit_status(period, status)
    if status == "declined":
        record(
            "evaluation.exit_declined",
            network_id=period.network_id,
            subject_type="participant",
            subject_id=period.participant_id,
        )
    try:
        db.session.commit()
    except IntegrityError:  # two clicks at once: the other one recorded it
        db.session.rollback()


def exit_status(period: ParticipationPeriod | None) -> str | None:
    """ "offered", "answered", "declined" or None for a period."""
    if period is None:
        return None
    return db.session.execute(
        db.select(ExitEvaluationStatus.status).where(ExitEvaluationStatus.period_id == period.id)
    ).scalar_one_or_none()


def missing_exit_evaluations(network_id: int, today: date, weeks: int = REMINDER_WEEKS):
    """(participant, period, status) for people who left in the last weeks with an outcome
    and have neither answered nor declined the exit evaluation."""
    rows = db.session.execute(
        db.select(ParticipationPeriod, ExitEvaluationStatus.status)
        .outerjoin(ExitEvaluationStatus, ExitEvaluationStatus.period_id == ParticipationPeriod.id)
        .where(
            ParticipationPeriod.network_id == network_id,
            ParticipationPeriod.outcome.is_not(None),
            ParticipationPeriod.end_date >= today - timedelta(weeks=weeks),
            ParticipationPeriod.end_date <= today,
        )
        .order_by(ParticipationPeriod.end_date.desc())
        .options(joinedload(ParticipationPeriod.participant))
    ).all()
    return [
        (period.participant, period, status)
        for period, status in rows
        if status not in ("answered", "declined")
    ]


# --- the tablet ------------------------------------------------------------------------------


def open_on_tablet(form: EvaluationForm, participant: Participant, user_id: int | None):
    """Put the form on the kiosk tablet for the participant (once; again is harmless)."""
    existing = db.session.execute(
        db.select(TabletSession).where(
            TabletSession.form_id == form.id, TabletSession.participant_id == participant.id
        )
    ).scalar_one_or_none()
    if existing is not None:
        existing.created_at = utcnow()
    else:
        db.session.add(
            TabletSession(
                network_id=form.network_id,
                form_id=form.id,
                participant_id=participant.id,
                opened_by_id=user_id,
            )
        )
    _offer(form, participant)
    try:
        db.session.commit()
    except IntegrityError:  # opened twice at the same moment: one is enough
        db.session.rollback()
    return db.session.execute(
        db.select(TabletSession).where(
            TabletSession.form_id == form.id, TabletSession.participant_id == participant.id
        )
    ).scalar_one()


def _offer(form: EvaluationForm, participant: Participant) -> None:
    period = exit_period(participant)
    if form.purpose == "exit" and period is not None and exit_status(period) is None:
        _set_exit_status(period, "offered")


def pending_tablet_sessions(network_id: int) -> list[TabletSession]:
    """Forms waiting on the network's tablet (recent ones only), oldest first."""
    since = utcnow() - timedelta(hours=TABLET_SESSION_HOURS)
    return list(
        db.session.execute(
            db.select(TabletSession)
            .where(TabletSession.network_id == network_id, TabletSession.created_at >= since)
            .order_by(TabletSession.created_at, TabletSession.id)
        )
        .scalars()
        .all()
    )


def tablet_session_is_fresh(session: TabletSession) -> bool:
    """True while the session may still be answered on the tablet."""
    return session.created_at >= utcnow() - timedelta(hours=TABLET_SESSION_HOURS)


def cancel_tablet_session(session: TabletSession) -> None:
    """Take a waiting form off the tablet."""
    db.session.delete(session)
    db.session.commit()


# --- one-time links ---------------------------------------------------------------------------


def hash_token(token: str) -> str:
    """The stored form of a link token."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_answer_link(
    form: EvaluationForm, participant: Participant, user_id: int | None, hours: int
) -> tuple[AnswerLink, str]:
    """A link valid for `hours`, usable once. Returns the row and the token (shown once)."""
    token = secrets.token_urlsafe(24)
    link = AnswerLink(
        network_id=form.network_id,
        form_id=form.id,
        participant_id=participant.id,
        token_hash=hash_token(token),
        expires_at=utcnow() + timedelta(hours=hours),
        created_by_id=user_id,
    )
    db.session.add(link)
    _offer(form, participant)
    db.session.commit()
    return link, token


def link_for_token(token: str) -> tuple[AnswerLink | None, str | None]:
    """(link, problem): problem is None for a usable link, else a translated sentence."""
    link = db.session.execute(
        db.select(AnswerLink).where(AnswerLink.token_hash == hash_token(token or ""))
    ).scalar_one_or_none()
    if link is None:
        return None, _("This link is not valid. Ask the staff of the network for a new one.")
    if link.used:
        return link, _("This link has already been used. Thank you for your answer.")
    if link.expires_at < utcnow():
        return link, _("This link has expired. Ask the staff of the network for a new one.")
    if not link.form.is_active or not link.form.current_version.questions:
        return link, _("This form is no longer in use.")
    return link, None


# --- results ---------------------------------------------------------------------------------


def month_index(year: int, month: int) -> int:
    """A month as one increasing number, for ranges."""
    return year * 12 + (month - 1)


def _submissions(form_id: int, start: tuple[int, int], end: tuple[int, int]):
    index = Submission.year * 12 + (Submission.month - 1)
    return (
        db.session.execute(
            db.select(Submission)
            .join(FormVersion, Submission.version_id == FormVersion.id)
            .where(
                FormVersion.form_id == form_id,
                index >= month_index(*start),
                index <= month_index(*end),
            )
            # Random ids: this order says nothing about when answers were given.
            .order_by(Submission.id)
        )
        .scalars()
        .all()
    )


@dataclass
class QuestionResult:
    """The results of one question (followed across versions by its key)."""

    key: str
    question: FormQuestion
    answered: int = 0
    distribution: dict[int, int] = field(default_factory=dict)
    mean: float | None = None
    yes: int = 0
    no: int = 0
    choice_counts: list[tuple[str, int]] = field(default_factory=list)
    choice_labels: dict[str, dict] = field(default_factory=dict)
    texts: list[AnswerItem] = field(default_factory=list)
    in_current_version: bool = True


def form_results(form: EvaluationForm, start: tuple[int, int], end: tuple[int, int]) -> dict:
    """Counts, scale distributions and means, yes/no and choice counts, and free-text
    answers of a form for the months from `start` to `end` (inclusive, (year, month))."""
    submissions = _submissions(form.id, start, end)
    current = form.current_version
    current_keys = [q.key for q in current.questions] if current else []
    items_by_key: dict[str, list[AnswerItem]] = {}
    latest_question: dict[str, FormQuestion] = {}
    for submission in submissions:
        for item in submission.items:
            key = item.question.key
            items_by_key.setdefault(key, []).append(item)
            known = latest_question.get(key)
            if known is None or item.question.version.number > known.version.number:
                latest_question[key] = item.question
    for question in current.questions if current else []:
        latest_question[question.key] = question
    ordered_keys = current_keys + sorted(
        (k for k in items_by_key if k not in current_keys),
        key=lambda k: (latest_question[k].version.number, latest_question[k].position),
    )
    results = []
    for key in ordered_keys:
        question = latest_question[key]
        items = items_by_key.get(key, [])
        result = QuestionResult(
            key=key,
            question=question,
            answered=len(items),
            in_current_version=key in current_keys,
        )
        if question.kind == "scale":
            numbers = [i.number for i in items if i.number is not None]
            counts = Counter(numbers)
            result.distribution = {n: counts.get(n, 0) for n in range(SCALE_MIN, SCALE_MAX + 1)}
            result.mean = sum(numbers) / len(numbers) if numbers else None
        elif question.kind == "yes_no":
            result.yes = sum(1 for i in items if i.number == 1)
            result.no = sum(1 for i in items if i.number == 0)
        elif question.kind in ("single", "multiple"):
            counts = Counter(v for i in items for v in i.choices or [])
            labels = _choice_labels(key, items, question)
            result.choice_counts = [(value, counts.get(value, 0)) for value in labels]
            result.choice_labels = labels
        else:
            result.texts = sorted((i for i in items if i.text), key=lambda i: i.id)
        results.append(result)
    outcomes = Counter(s.outcome for s in submissions if s.outcome)
    return {
        "count": len(submissions),
        "questions": results,
        "outcomes": sorted(outcomes.items(), key=lambda kv: -kv[1]),
        "versions": sorted({s.version.number for s in submissions}),
    }


def _choice_labels(key: str, items: list[AnswerItem], question: FormQuestion) -> dict:
    """Choice value -> {"da", "en"} for every choice offered now or answered before."""
    labels = {c["value"]: {"da": c["da"], "en": c["en"]} for c in question.choices or []}
    for item in items:
        for choice in item.question.choices or []:
            labels.setdefault(choice["value"], {"da": choice["da"], "en": choice["en"]})
    return labels


def redact_answer(item: AnswerItem, text: str) -> None:
    """Replace a free-text answer with a redacted wording (irreversible)."""
    item.text = text.strip()
    item.redacted = True
    submission = item.submission
    record(
        "evaluation.redact",
        network_id=submission.network_id,
        subject_type="participant" if submission.participant_id else None,
        subject_id=submission.participant_id,
        detail=f"form {item.question.version.form_id}",
    )
    db.session.commit()


# --- for the monthly statistics ---------------------------------------------------------------


def exit_evaluation_month(network_id: int, year: int, month: int) -> dict:
    """The exit evaluations answered in a month: their number and the mean of each scale
    question ({"answers": n, "scale_means": {key: {"text_da", "text_en", "mean", "n"}}})."""
    rows = db.session.execute(
        db.select(FormQuestion, AnswerItem.number)
        .join(AnswerItem, AnswerItem.question_id == FormQuestion.id)
        .join(Submission, AnswerItem.submission_id == Submission.id)
        .join(FormVersion, Submission.version_id == FormVersion.id)
        .join(EvaluationForm, FormVersion.form_id == EvaluationForm.id)
        .where(
            Submission.network_id == network_id,
            Submission.year == year,
            Submission.month == month,
            EvaluationForm.purpose == "exit",
            FormQuestion.kind == "scale",
            AnswerItem.number.is_not(None),
        )
    ).all()
    answers = db.session.execute(
        db.select(func.count(Submission.id))
        .join(FormVersion, Submission.version_id == FormVersion.id)
        .join(EvaluationForm, FormVersion.form_id == EvaluationForm.id)
        .where(
            Submission.network_id == network_id,
            Submission.year == year,
            Submission.month == month,
            EvaluationForm.purpose == "exit",
        )
    ).scalar_one()
    grouped: dict[str, dict] = {}
    for question, number in rows:
        entry = grouped.setdefault(
            question.key,
            {"text_da": question.text_da, "text_en": question.text_en, "total": 0, "n": 0},
        )
        entry["total"] += number
        entry["n"] += 1
    return {
        "answers": answers,
        "scale_means": {
            key: {
                "text_da": e["text_da"],
                "text_en": e["text_en"],
                "mean": e["total"] / e["n"],
                "n": e["n"],
            }
            for key, e in grouped.items()
        },
    }


def exit_evaluation_count(network_id: int, year: int, month: int) -> int:
    """The number of exit evaluations answered in a month."""
    return exit_evaluation_month(network_id, year, month)["answers"]


# --- a participant's own data ------------------------------------------------------------------


def named_submissions(participant: Participant) -> list[Submission]:
    """The participant's answers to named forms, newest first."""
    return list(
        db.session.execute(
            db.select(Submission)
            .where(Submission.participant_id == participant.id)
            .order_by(Submission.answered_on.desc(), Submission.id)
        )
        .scalars()
        .all()
    )


def describe_item(item: AnswerItem, locale: str = "da") -> str:
    """An answer as readable text."""
    question = item.question
    if question.kind == "scale":
        return str(item.number)
    if question.kind == "yes_no":
        return _("Yes") if item.number == 1 else _("No")
    if question.kind in ("single", "multiple"):
        return ", ".join(question.choice_label(v, locale) for v in item.choices or [])
    return item.text or ""


def export_personal_data(participant: Participant) -> dict:
    """The participant's named answers as JSON-able data (anonymous answers are not theirs
    to find: nothing links them to the person)."""
    return {
        "named_answers": [
            {
                "form": s.version.form.title_da,
                "answered_on": s.answered_on.isoformat() if s.answered_on else None,
                "answers": [
                    {
                        "question": item.question.text_da,
                        "answer": describe_item(item, "da"),
                    }
                    for item in sorted(s.items, key=lambda i: i.question.position)
                ],
            }
            for s in named_submissions(participant)
        ],
        "open_links": db.session.execute(
            db.select(func.count(AnswerLink.id)).where(
                AnswerLink.participant_id == participant.id, AnswerLink.used.is_(False)
            )
        ).scalar_one(),
    }


def erase_personal_data(participant: Participant) -> None:
    """Delete the participant's named answers, links and waiting tablet forms."""
    for submission in named_submissions(participant):
        db.session.delete(submission)
    db.session.execute(delete(AnswerLink).where(AnswerLink.participant_id == participant.id))
    db.session.execute(delete(TabletSession).where(TabletSession.participant_id == participant.id))
    db.session.flush()
