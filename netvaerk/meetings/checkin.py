"""The kiosk's check-in: one statement records it, whatever the database."""

from __future__ import annotations

from functools import cache

from sqlalchemy import bindparam, func, select
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..participants.models import Participant
from ..timeutil import utcnow
from .models import Attendance, Meeting


def attendance_of(meeting_id: int, participant_id: int) -> Attendance | None:
    """A participant's attendance record at a meeting, if any."""
    return db.session.execute(
        select(Attendance).where(
            Attendance.meeting_id == meeting_id, Attendance.participant_id == participant_id
        )
    ).scalar_one_or_none()


def check_in(meeting: Meeting, participant: Participant) -> bool:
    """Record a resident's check-in at the kiosk; checking in twice keeps one record.

    One statement records it, whatever was there: a new record (INSERT), or a record that says
    absent (marked on the register earlier, but here after all) turned into present (ON CONFLICT
    DO UPDATE ... WHERE not present); a resident already present changes nothing. The unique
    constraint on (meeting, participant) settles two taps at the same moment, without an error
    or a savepoint. Returns whether this call changed anything.
    """
    changed = db.session.execute(
        _checkin_upsert(db.session.get_bind().dialect.name),
        {"meeting_id": meeting.id, "participant_id": participant.id, "now": utcnow()},
    ).first()
    return changed is not None


@cache
def _checkin_upsert(dialect: str):
    """The kiosk's upsert for a database dialect, built once (see check_in)."""
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Attendance)
    now = bindparam("now")
    return (
        insert.values(
            meeting_id=bindparam("meeting_id"),
            participant_id=bindparam("participant_id"),
            status="present",
            checked_in_at=now,
            source="kiosk",
            updated_at=now,
        )
        .on_conflict_do_update(
            index_elements=["meeting_id", "participant_id"],
            set_={
                "status": "present",
                "absence_reason": None,
                "checked_in_at": func.coalesce(Attendance.checked_in_at, now),
                "source": "kiosk",
                "updated_at": now,
            },
            where=Attendance.status != "present",
        )
        .returning(Attendance.id)
    )
