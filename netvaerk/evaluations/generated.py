"""Generated data (`flask generate`): each network's exit evaluation and the anonymous answers
of those who left; written in bulk, deterministic for a seed."""

from __future__ import annotations

import random
from datetime import date, datetime, time

from sqlalchemy import insert, select

from ..extensions import db
from ..participants.models import ParticipationPeriod
from .models import (
    AnswerItem,
    EvaluationForm,
    ExitEvaluationStatus,
    FormQuestion,
    FormVersion,
    Submission,
)

EXIT_QUESTIONS = (
    ("scale", "Hvor nyttigt har Netværket været for dig?", "How useful has the network been?"),
    ("scale", "Har du følt dig som en del af fællesskabet?", "Have you felt part of it?"),
    ("yes_no", "Vil du anbefale Netværket til andre?", "Would you recommend the network?"),
)


def _exit_form(network_id: int, created_at: datetime) -> tuple[int, list[tuple[int, str]]]:
    """The network's exit form; returns its version id and (question id, kind) pairs."""
    form = EvaluationForm(
        network_id=network_id,
        purpose="exit",
        is_named=False,
        title_da="Exit-evaluering",
        title_en="Exit evaluation",
        intro_da="",
        intro_en="",
        is_active=True,
        created_at=created_at,
    )
    db.session.add(form)
    db.session.flush()
    version = FormVersion(form_id=form.id, network_id=network_id, number=1, created_at=created_at)
    db.session.add(version)
    db.session.flush()
    questions = []
    for position, (kind, text_da, text_en) in enumerate(EXIT_QUESTIONS):
        labels = ("Slet ikke", "Not at all", "I høj grad", "Very much")
        if kind != "scale":
            labels = ("", "", "", "")
        question = FormQuestion(
            version_id=version.id,
            key=f"q{position}",
            position=position,
            kind=kind,
            required=True,
            text_da=text_da,
            text_en=text_en,
            low_label_da=labels[0],
            low_label_en=labels[1],
            high_label_da=labels[2],
            high_label_en=labels[3],
            choices=[],
        )
        db.session.add(question)
        questions.append((question, kind))
    db.session.flush()
    return version.id, [(question.id, kind) for question, kind in questions]


def generate_exit_evaluations(network_ids: list[int], end: date, seed: int) -> dict[str, int]:
    """An exit form per network; those who left were offered it, most answered."""
    rng = random.Random(f"{seed}:evaluations")
    periods = (
        db.session.execute(
            select(ParticipationPeriod)
            .where(ParticipationPeriod.network_id.in_(network_ids))
            .order_by(ParticipationPeriod.id)
        )
        .scalars()
        .all()
    )
    first = min((p.start_date for p in periods), default=end)
    forms = {n: _exit_form(n, datetime.combine(first, time(8))) for n in network_ids}
    rows: dict[str, list[dict]] = {"status": [], "submission": [], "answer": []}
    for period in periods:
        if period.end_date is not None and period.end_date < end:
            _answers(rows, rng, period, *forms[period.network_id])
    if rows["status"]:
        db.session.execute(insert(ExitEvaluationStatus.__table__), rows["status"])
    if rows["submission"]:
        db.session.execute(insert(Submission.__table__), rows["submission"])
        db.session.execute(insert(AnswerItem.__table__), rows["answer"])
    db.session.flush()
    return {
        "netvaerk_exit_evaluation_status": len(rows["status"]),
        "netvaerk_evaluation_submission": len(rows["submission"]),
        "netvaerk_evaluation_answer": len(rows["answer"]),
    }


def _answers(rows: dict, rng: random.Random, period, version_id: int, questions) -> None:
    draw = rng.random()
    status = "answered" if draw < 0.6 else "offered" if draw < 0.8 else "declined"
    rows["status"].append(
        {"network_id": period.network_id, "period_id": period.id, "status": status}
    )
    if status != "answered":
        return
    submission_id = f"{rng.getrandbits(128):032x}"
    rows["submission"].append(
        {
            "id": submission_id,
            "network_id": period.network_id,
            "version_id": version_id,
            "year": period.end_date.year,
            "month": period.end_date.month,
            "outcome": period.outcome,
        }
    )
    for question_id, kind in questions:
        value = rng.choice((3, 4, 4, 5, 5)) if kind == "scale" else int(rng.random() < 0.85)
        rows["answer"].append(
            {
                "id": f"{rng.getrandbits(128):032x}",
                "submission_id": submission_id,
                "question_id": question_id,
                "number": value,
                "redacted": False,
            }
        )
