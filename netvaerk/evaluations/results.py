"""Results of a form (released answers only, never a group of fewer than k) and the figures
the monthly statistics read."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func

from ..audit.services import record
from ..extensions import db
from .answers import K, waiting_count
from .models import (
    SCALE_MAX,
    SCALE_MIN,
    AnswerItem,
    EvaluationForm,
    FormQuestion,
    FormVersion,
    Submission,
)

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


def form_results(
    form: EvaluationForm, start: tuple[int, int], end: tuple[int, int], k: int = K
) -> dict:
    """Counts, scale distributions and means, yes/no and choice counts, and free-text
    answers of a form's released answers for the months from `start` to `end` (inclusive,
    (year, month)), and how many anonymous answers wait for their batch."""
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
    # Outcomes only where at least k answers share one (exact, else the coarse group).
    outcomes = Counter(s.outcome or s.outcome_group for s in submissions if s.outcome_group)
    return {
        "count": len(submissions),
        "questions": results,
        "outcomes": sorted(((o, n) for o, n in outcomes.items() if n >= k), key=lambda kv: -kv[1]),
        "versions": sorted({s.version.number for s in submissions}),
        "waiting": waiting_count([v.id for v in form.versions]),
        "batch": k,
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
        detail=item.question.version.form.title_da,
    )
    db.session.flush()


# --- for the monthly statistics ---------------------------------------------------------------


def _exit_submissions_of_month(query, network_id: int, year: int, month: int):
    """The query narrowed to the exit evaluation's submissions of a network's month."""
    return (
        query.join(FormVersion, Submission.version_id == FormVersion.id)
        .join(EvaluationForm, FormVersion.form_id == EvaluationForm.id)
        .where(
            Submission.network_id == network_id,
            Submission.year == year,
            Submission.month == month,
            EvaluationForm.purpose == "exit",
        )
    )


def exit_evaluation_month(network_id: int, year: int, month: int) -> dict:
    """The exit evaluations answered in a month: their number and the mean of each scale
    question ({"answers": n, "scale_means": {key: {"text_da", "text_en", "mean", "n"}}})."""
    rows = db.session.execute(
        _exit_submissions_of_month(
            db.select(FormQuestion, AnswerItem.number)
            .join(AnswerItem, AnswerItem.question_id == FormQuestion.id)
            .join(Submission, AnswerItem.submission_id == Submission.id),
            network_id,
            year,
            month,
        ).where(FormQuestion.kind == "scale", AnswerItem.number.is_not(None))
    ).all()
    answers = db.session.execute(
        _exit_submissions_of_month(db.select(func.count(Submission.id)), network_id, year, month)
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


def read_results(
    form: EvaluationForm, start: tuple[int, int], end: tuple[int, int], *, with_texts: bool
) -> dict:
    """`form_results` for a reader; reading free-text answers is audited."""
    data = form_results(form, start, end)
    if with_texts and any(q.texts for q in data["questions"]):
        record(
            "evaluation.free_text_view",
            network_id=form.network_id,
            detail=form.title_da,
        )
        db.session.flush()
    return data


def text_answer_in_network(answer_id: str, network_id: int) -> AnswerItem | None:
    """A free-text answer of the network (None for any other id)."""
    item = db.session.get(AnswerItem, answer_id[:32])
    if item is None or item.submission.network_id != network_id or item.question.kind != "text":
        return None
    return item
