"""The kiosk's check-in: one statement records it, whatever the database."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite

from ..audit.services import record
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


def check_in(meeting: Meeting, participant: Participant, now: datetime | None = None) -> int | None:
    """Record a resident's check-in at the kiosk; checking in twice keeps one record.

    One statement records it, whatever was there: a new record (INSERT), or a record that says
    absent (marked on the register earlier, but here after all) turned into present (ON CONFLICT
    DO UPDATE ... WHERE not present); a resident already present changes nothing. The unique
    constraint on (meeting, participant) settles two taps at the same moment, without an error
    or a savepoint. `now` (naive UTC) is the check-in's time. Returns the record's id when this
    call changed anything, else None.
    """
    changed = db.session.execute(
        _checkin_upsert(db.session.get_bind().dialect.name),
        {"meeting_id": meeting.id, "participant_id": participant.id, "now": now or utcnow()},
    ).first()
    return changed[0] if changed is not None else None


# How long after a tap the kiosk's "That wasn't me" is still accepted: the 10 seconds the
# button is shown (issue 30) plus 3 seconds for the network, so that a press made in the last
# second still arrives in time over a slow connection; later presses change nothing.
UNDO_BUTTON_SECONDS = 10
UNDO_NETWORK_ALLOWANCE_SECONDS = 3
UNDO_SECONDS = UNDO_BUTTON_SECONDS + UNDO_NETWORK_ALLOWANCE_SECONDS


def undo_check_in(
    network_id: int,
    attendance_id: int,
    participant_id: int,
    meeting_id: int,
    checked_in_at: datetime,
    now: datetime,
) -> str:
    """Remove a check-in the kiosk just made ("That wasn't me"), once; audited.

    Only a record the kiosk made itself and nobody changed since is removed: made on the
    kiosk (source), never recorded on the register (no recorder: an absence marked earlier,
    or a coordinator's edit, keeps the record), untouched since the check-in, at most
    UNDO_SECONDS old. One DELETE with all of that in its WHERE decides, so two undos at the
    same moment remove it once and the other finds nothing. The record is named by its id and
    the exact time of the check-in (`checked_in_at`, as check_in got it): a later check-in of
    the same resident is another record (SQLite may even give it the same id) and an old
    undo never removes it.
    Returns "removed", "gone" (nothing to remove: undone already) or "kept" (not removable).
    """
    removed = db.session.execute(
        delete(Attendance)
        .where(
            Attendance.id == attendance_id,
            Attendance.participant_id == participant_id,
            Attendance.meeting_id == meeting_id,
            Attendance.meeting_id.in_(
                select(Meeting.id).where(Meeting.id == meeting_id, Meeting.network_id == network_id)
            ),
            Attendance.status == "present",
            Attendance.source == "kiosk",
            Attendance.recorded_by_id.is_(None),
            Attendance.checked_in_at == checked_in_at,
            Attendance.updated_at == checked_in_at,
            Attendance.checked_in_at >= now - timedelta(seconds=UNDO_SECONDS),
            Attendance.checked_in_at <= now,
        )
        .returning(Attendance.id),
        execution_options={"synchronize_session": False},
    ).first()
    if removed is None:
        there = db.session.scalar(
            select(Attendance.id).where(
                Attendance.id == attendance_id, Attendance.checked_in_at == checked_in_at
            )
        )
        return "kept" if there is not None else "gone"
    record(
        "attendance.undo",
        network_id=network_id,
        subject_type="participant",
        subject_id=participant_id,
        detail=f"meeting {meeting_id}: check-in removed on the kiosk",
    )
    db.session.flush()
    return "removed"


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
