"""What the evaluations hold about one participant: their named answers and open offers.
Anonymous answers are not theirs to find: nothing links them to the person."""

from __future__ import annotations

from flask_babel import lazy_gettext as _
from sqlalchemy import func

from ..audit.services import record_about_participant
from ..extensions import db
from ..participants.models import Participant
from .delivery import erase_tokens
from .models import AnswerItem, AnswerLink, Submission

# --- a participant's own data ------------------------------------------------------------------


def named_submissions(participant: Participant) -> list[Submission]:
    """The participant's answers to named forms, newest first."""
    return db.session.scalars(
        db.select(Submission)
        .where(Submission.participant_id == participant.id)
        .order_by(Submission.answered_on.desc(), Submission.id)
    ).all()


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
    erase_tokens(participant)
    db.session.flush()


def read_named_submission(submission_id: str, network_id: int) -> Submission | None:
    """A named submission of the network, its reading audited (anonymous ones: None)."""
    found = db.session.get(Submission, submission_id[:32])
    if found is None or found.network_id != network_id or found.participant_id is None:
        return None
    record_about_participant(
        "evaluation.named_answer_view", found, detail=found.version.form.title_da
    )
    db.session.flush()
    return found
