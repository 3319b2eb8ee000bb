"""What the rota holds about a participant: the access request's export and erasure."""

from __future__ import annotations

from sqlalchemy import delete, or_, select, update

from ..extensions import db
from ..meetings.models import Meeting
from ..participants.models import Participant
from .models import Chore, ChoreAssignment, ChoreChange

# ---------------------------------------------------------------------------- personal data


def export_participant(participant: Participant) -> dict:
    """A participant's chore assignments and the hand changes involving them."""
    rows = db.session.execute(
        select(ChoreAssignment, Chore.name, Meeting.date)
        .join(Chore, Chore.id == ChoreAssignment.chore_id)
        .join(Meeting, Meeting.id == ChoreAssignment.meeting_id)
        .where(ChoreAssignment.participant_id == participant.id)
        .order_by(Meeting.date, Chore.name)
    ).all()
    changes = db.session.execute(
        select(ChoreChange.action, ChoreChange.created_at, ChoreChange.assignment_id).where(
            or_(
                ChoreChange.from_participant_id == participant.id,
                ChoreChange.to_participant_id == participant.id,
            )
        )
    ).all()
    return {
        "assignments": [
            {
                "date": day.isoformat(),
                "chore": name,
                "done": assignment.is_done,
                "changed_by_hand": assignment.is_manual,
            }
            for assignment, name, day in rows
        ],
        "changes": [
            {"action": action, "at": at.isoformat(), "assignment": assignment_id}
            for action, at, assignment_id in changes
        ],
    }


def erase_participant(participant: Participant) -> None:
    """Remove a participant from the rota: chores not done are deleted (their slots open up
    again), done ones lose the person and keep only the count per chore and meeting, and the
    change history forgets them."""
    db.session.execute(
        delete(ChoreAssignment).where(
            ChoreAssignment.participant_id == participant.id, ChoreAssignment.is_done.is_(False)
        )
    )
    db.session.execute(
        update(ChoreAssignment)
        .where(ChoreAssignment.participant_id == participant.id)
        .values(participant_id=None)
    )
    for column in (ChoreChange.from_participant_id, ChoreChange.to_participant_id):
        db.session.execute(
            update(ChoreChange).where(column == participant.id).values({column.key: None})
        )
    db.session.flush()
