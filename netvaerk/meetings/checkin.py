"""The kiosk's check-in: one statement records it, whatever the database."""

from __future__ import annotations

from functools import cache

from sqlalchemy import bindparam, select
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

    One statement records a new check-in (INSERT ... ON CONFLICT DO NOTHING): the unique
    constraint on (meeting, participant) settles two taps at the same moment, without an error
    or a savepoint. Returns whether this call changed anything.
    """
    now = utcnow()
    inserted = db.session.execute(
        _checkin_insert(db.session.get_bind().dialect.name),
        {"meeting_id": meeting.id, "participant_id": participant.id, "now": now},
    ).first()
    if inserted is not None:
        return True
    attendance = attendance_of(meeting.id, participant.id)
    if attendance is None or attendance.status == "present":  # None: removed this instant
        return False
    # Marked absent earlier (e.g. on the register), but here after all.
    attendance.status = "present"
    attendance.absence_reason = None
    attendance.checked_in_at = attendance.checked_in_at or now
    attendance.source = "kiosk"
    db.session.flush()
    return True


@cache
def _checkin_insert(dialect: str):
    """The kiosk's insert for a database dialect, built once: a duplicate inserts nothing."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (
        insert(Attendance)
        .values(
            meeting_id=bindparam("meeting_id"),
            participant_id=bindparam("participant_id"),
            status="present",
            checked_in_at=bindparam("now"),
            source="kiosk",
            updated_at=bindparam("now"),
        )
        .on_conflict_do_nothing(index_elements=["meeting_id", "participant_id"])
        .returning(Attendance.id)
    )
