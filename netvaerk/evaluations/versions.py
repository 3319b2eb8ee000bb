"""Evaluation forms and their versions: a version with answers is never changed again."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _
from sqlalchemy import func

from ..core.errors import UserError
from ..core.ordering import move_one_place
from ..extensions import db
from .models import EvaluationForm, FormQuestion, FormVersion, PendingAnswer, Submission, random_id

# --- forms and versions -------------------------------------------------------------------


def create_form(network_id: int, **details) -> EvaluationForm:
    """A new form with an empty first version."""
    form = EvaluationForm(network_id=network_id, **details)
    form.versions.append(FormVersion(network_id=network_id, number=1))
    db.session.add(form)
    db.session.flush()
    return form


def version_has_answers(version: FormVersion) -> bool:
    """True when at least one answer, released or still waiting, answered this version."""
    released = db.select(Submission.id).where(Submission.version_id == version.id)
    waiting = db.select(PendingAnswer.id).where(PendingAnswer.version_id == version.id)
    return db.session.execute(db.select(released.exists() | waiting.exists())).scalar_one()


def form_has_answers(form: EvaluationForm) -> bool:
    """True when any version of the form has been answered (released or waiting)."""
    versions = db.select(FormVersion.id).where(FormVersion.form_id == form.id)
    released = db.select(Submission.id).where(Submission.version_id.in_(versions))
    waiting = db.select(PendingAnswer.id).where(PendingAnswer.version_id.in_(versions))
    return db.session.execute(db.select(released.exists() | waiting.exists())).scalar_one()


def update_form_details(form: EvaluationForm, **details) -> None:
    """Change title, introduction, purpose or named/anonymous.

    Purpose and named/anonymous cannot change once the form has answers: the answers were
    given on the terms the form stated then.
    """
    if form_has_answers(form) and (
        details.get("purpose", form.purpose) != form.purpose
        or details.get("is_named", form.is_named) != form.is_named
    ):
        raise UserError(
            _(
                "The form has answers, so its purpose and whether it is anonymous cannot change. "
                "Make a new form instead."
            )
        )
    for name, value in details.items():
        setattr(form, name, value)
    db.session.flush()


def set_form_active(form: EvaluationForm, active: bool) -> None:
    """Archive a form (no longer offered) or bring it back."""
    form.is_active = active
    db.session.flush()


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
        raise UserError(next(iter(problems.values())))
    version = editable_version(form)
    question = FormQuestion(
        key=random_id(),
        position=max((q.position for q in version.questions), default=0) + 1,
        choices=[],
    )
    _apply(question, data)
    version.questions.append(question)
    db.session.flush()
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
        raise UserError(next(iter(problems.values())))
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
    db.session.flush()


def delete_question(form: EvaluationForm, question: FormQuestion) -> None:
    """Remove a question from the form (older versions with answers keep it)."""
    version = editable_version(form)
    target = next(q for q in version.questions if q.key == question.key)
    version.questions.remove(target)
    db.session.flush()


def move_question(form: EvaluationForm, question: FormQuestion, step: int) -> None:
    """Move a question one place up (-1) or down (+1)."""
    version = editable_version(form)
    ordered = list(version.questions)
    index = next(i for i, q in enumerate(ordered) if q.key == question.key)
    move_one_place(ordered, index, step)
    db.session.flush()


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
    return db.session.scalars(
        db.select(EvaluationForm)
        .where(
            EvaluationForm.network_id == network_id,
            EvaluationForm.is_active.is_(True),
            has_questions,
        )
        .order_by(EvaluationForm.title_da)
    ).all()


def exit_form(network_id: int) -> EvaluationForm | None:
    """The network's exit evaluation (the newest active one with questions)."""
    forms = [f for f in active_forms(network_id) if f.purpose == "exit"]
    return max(forms, key=lambda f: f.id) if forms else None


def network_forms(network_id: int) -> list[EvaluationForm]:
    """All the network's forms, those in use first, by Danish title."""
    return db.session.scalars(
        db.select(EvaluationForm)
        .where(EvaluationForm.network_id == network_id)
        .order_by(EvaluationForm.is_active.desc(), EvaluationForm.title_da)
    ).all()


def question_in_form(form: EvaluationForm, question_id: int) -> FormQuestion | None:
    """The question in the form's current version that `question_id` (of any version) is."""
    question = db.session.get(FormQuestion, question_id)
    if question is None or question.version.form_id != form.id:
        return None
    return current_question(form, question)
