"""Meetings: which meeting is on, kiosk check-in and the register. The calendar (pattern,
generation, moving, closures) is in `calendar.py`; attendance rates and the follow-up list in
`attendance.py`."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import joinedload

from ..audit.services import record
from ..extensions import db
from ..participants.models import Participant, ParticipationPeriod
from ..timeutil import utcnow
from .attendance import (  # noqa: F401 - attendance rates, reached through this module
    FOLLOW_UP_STREAK,
    AttendanceStats,
    FollowUp,
    attendance_stats,
    follow_up_list,
    participant_attendance,
)
from .calendar import (  # noqa: F401 - the calendar's services, reached through this module
    MAX_GENERATION_DAYS,
    GenerationResult,
    MeetingConflict,
    Plan,
    add_extra_meeting,
    cancel_meeting,
    danish_holidays,
    delete_closure,
    generate_meetings,
    move_meeting,
    plan_meetings,
    reinstate_meeting,
    save_closure,
    update_pattern,
)
from .checkin import (  # noqa: F401 - the kiosk's check-in and its undo, reached through here
    UNDO_SECONDS,
    check_in,
    undo_check_in,
)
from .checkin import attendance_of as _attendance
from .models import ABSENCE_REASONS, Attendance, Meeting

# Residents may check in from half an hour before a meeting starts until it ends.
CHECKIN_OPENS_BEFORE = timedelta(minutes=30)
ATTENDANCE_STATUSES = ("present", "absent", "notified")


# --- which meeting is on --------------------------------------------------------------------


def meeting_window(meeting: Meeting) -> tuple[datetime, datetime]:
    """When residents may check in to a meeting (local time)."""
    opens = datetime.combine(meeting.date, meeting.start_time) - CHECKIN_OPENS_BEFORE
    return opens, datetime.combine(meeting.date, meeting.end_time)


def meetings_on(network_id: int, day: date) -> list[Meeting]:
    """The meetings of a day that are not cancelled, earliest first."""
    return list(
        db.session.execute(
            select(Meeting)
            .where(
                Meeting.network_id == network_id,
                Meeting.date == day,
                Meeting.is_cancelled.is_(False),
            )
            .order_by(Meeting.start_time, Meeting.id)
        ).scalars()
    )


def meetings_from(network_id: int, since: date, limit: int = 200) -> list[Meeting]:
    """The network's meetings from `since` on (cancelled ones too), in order."""
    return list(
        db.session.execute(
            select(Meeting)
            .where(Meeting.network_id == network_id, Meeting.date >= since)
            .order_by(Meeting.date, Meeting.start_time)
            .limit(limit)
        ).scalars()
    )


def present_counts(network_id: int, since: date) -> dict[int, int]:
    """How many were present at each of the network's meetings from `since` on."""
    return dict(
        db.session.execute(
            select(Attendance.meeting_id, func.count(Attendance.id))
            .join(Meeting, Meeting.id == Attendance.meeting_id)
            .where(
                Meeting.network_id == network_id,
                Meeting.date >= since,
                Attendance.status == "present",
            )
            .group_by(Attendance.meeting_id)
        ).all()
    )


def open_meeting(network_id: int, now: datetime) -> Meeting | None:
    """The meeting residents can check in to at `now` (local time), if any."""
    return open_among(meetings_on(network_id, now.date()), now)


def open_among(meetings: list[Meeting], now: datetime) -> Meeting | None:
    """The first of a day's meetings open for check-in at `now`."""
    for meeting in meetings:
        opens, closes = meeting_window(meeting)
        if opens <= now <= closes:
            return meeting
    return None


def next_meeting(network_id: int, now: datetime) -> Meeting | None:
    """The next meeting that has not started yet."""
    return db.session.execute(
        select(Meeting)
        .where(
            Meeting.network_id == network_id,
            Meeting.is_cancelled.is_(False),
            or_(
                Meeting.date > now.date(),
                and_(Meeting.date == now.date(), Meeting.start_time > now.time()),
            ),
        )
        .order_by(Meeting.date, Meeting.start_time)
        .limit(1)
    ).scalar_one_or_none()


def todays_meeting(network_id: int, now: datetime) -> Meeting | None:
    """Today's meeting for the register: the open one, else the next today, else the last."""
    return todays_among(meetings_on(network_id, now.date()), now)


def todays_among(meetings: list[Meeting], now: datetime) -> Meeting | None:
    """Of a day's meetings: the open one, else the next, else the last."""
    if not meetings:
        return None
    for meeting in meetings:
        if now <= meeting_window(meeting)[1]:
            return meeting
    return meetings[-1]


# --- check-in and the register -------------------------------------------------------------


def _upsert(meeting_id: int, participant_id: int, **values) -> tuple[Attendance, bool]:
    """Insert the attendance, or return the existing one if it (just) appeared.

    One INSERT ... ON CONFLICT DO NOTHING: the unique constraint on (meeting, participant)
    settles two marks at the same moment without an error, and the second gets the row the
    first one made. Nothing is committed (the request saves every row or none), and no
    savepoint is needed, which on SQLite could commit the request's first rows early.
    """
    existing = _attendance(meeting_id, participant_id)
    if existing is not None:
        return existing, False
    dialect = db.session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Attendance)
    made = db.session.execute(
        insert.values(meeting_id=meeting_id, participant_id=participant_id, **values)
        .on_conflict_do_nothing(index_elements=["meeting_id", "participant_id"])
        .returning(Attendance.id)
    ).scalar_one_or_none()
    attendance = _attendance(meeting_id, participant_id)
    if attendance is None:  # pragma: no cover - inserted or there already
        raise LookupError(f"attendance of {participant_id} at meeting {meeting_id} vanished")
    return attendance, made is not None


def mark_attendance(
    meeting: Meeting,
    participant: Participant,
    status: str,
    reason: str | None,
    user_id: int,
    today: date | None = None,
) -> Attendance:
    """Set a participant's attendance on the register, recording who did it and when (in the
    audit trail too: a correction when the meeting was before `today`)."""
    if status not in ATTENDANCE_STATUSES:
        raise ValueError(f"unknown attendance status {status!r}")
    if status == "notified" and reason not in ABSENCE_REASONS:
        raise ValueError(f"absence with notice needs a reason, got {reason!r}")
    reason = reason if status == "notified" else None
    now = utcnow()
    values = {
        "status": status,
        "absence_reason": reason,
        "checked_in_at": now if status == "present" else None,
        "source": "register",
        "recorded_by_id": user_id,
    }
    attendance, created = _upsert(meeting.id, participant.id, **values)
    if not created:
        if status == "present" and attendance.status == "present":
            values["checked_in_at"] = attendance.checked_in_at or now
        for key, value in values.items():
            setattr(attendance, key, value)
        attendance.updated_at = now
        db.session.flush()
    late = today is not None and meeting.date < today
    record(
        "attendance.correct" if late else "attendance.update",
        network_id=meeting.network_id,
        subject_type="participant",
        subject_id=participant.id,
        detail=f"meeting {meeting.id} {meeting.date.isoformat()}: {status}",
        user_id=user_id,
    )
    db.session.flush()
    return attendance


def register_rows(meeting: Meeting) -> list[tuple[Participant, Attendance | None]]:
    """Everyone expected at a meeting (in a period covering its date) or recorded at it, with
    who recorded each attendance on the register: one statement, whatever the data."""
    # The network's own periods: PostgreSQL may hash the subquery's rows rather than run it
    # per participant, and without this filter it reads every network's periods for that.
    period_covers = (
        select(ParticipationPeriod.id)
        .where(
            ParticipationPeriod.network_id == meeting.network_id,
            ParticipationPeriod.participant_id == Participant.id,
            ParticipationPeriod.start_date <= meeting.date,
            or_(
                ParticipationPeriod.end_date.is_(None),
                ParticipationPeriod.end_date >= meeting.date,
            ),
        )
        .exists()
    )
    rows = db.session.execute(
        select(Participant, Attendance)
        .outerjoin(
            Attendance,
            and_(Attendance.participant_id == Participant.id, Attendance.meeting_id == meeting.id),
        )
        .where(
            Participant.network_id == meeting.network_id,
            or_(period_covers, Attendance.id.is_not(None)),
        )
        .options(joinedload(Attendance.recorded_by))
        .order_by(Participant.first_name, Participant.last_name, Participant.id)
    ).all()
    return [(participant, attendance) for participant, attendance in rows]


def checked_in_ids(meeting: Meeting) -> set[int]:
    """Ids of the participants present at a meeting."""
    return set(
        db.session.execute(
            select(Attendance.participant_id).where(
                Attendance.meeting_id == meeting.id, Attendance.status == "present"
            )
        ).scalars()
    )
