"""Reading the rota: the week, a meeting's chores (open when the holder is away), the
history of changes, a resident's tasks and overview."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, null, select, true
from sqlalchemy.orm import contains_eager, joinedload

from .. import timeutil
from ..extensions import db
from ..meetings.models import Attendance, Meeting
from .generation import meeting_start, period_meetings
from .models import Chore, ChoreAssignment, ChoreChange

# A participant not checked in this long after the start counts as absent for the chores.
GRACE = timedelta(minutes=15)


# ---------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class WeekRota:
    """The rota of one week: meetings as columns, chores as rows, assignments per cell."""

    week_start: date
    meetings: list[Meeting]
    chores: list[Chore]
    cells: dict[tuple[int, int], list[ChoreAssignment]]


def week_rota(network_id: int, week_start: date) -> WeekRota:
    """The week's held meetings, its chores and who has what. Three queries."""
    meetings = period_meetings(network_id, week_start, week_start + timedelta(days=6))
    assignments = db.session.scalars(
        select(ChoreAssignment)
        .options(joinedload(ChoreAssignment.participant))
        .where(ChoreAssignment.meeting_id.in_([m.id for m in meetings]))
        .order_by(ChoreAssignment.slot_no)
    ).all()
    used = {a.chore_id for a in assignments}
    chores = [
        c
        for c in db.session.execute(
            select(Chore).where(Chore.network_id == network_id).order_by(Chore.name)
        ).scalars()
        if c.is_active or c.id in used
    ]
    cells: dict[tuple[int, int], list[ChoreAssignment]] = {}
    for assignment in assignments:
        cells.setdefault((assignment.chore_id, assignment.meeting_id), []).append(assignment)
    return WeekRota(week_start, meetings, chores, cells)


@dataclass(frozen=True)
class MeetingRotaRow:
    """An assignment at a meeting, and whether it is open (holder away or not checked in)."""

    assignment: ChoreAssignment
    is_open: bool
    attendance: str | None


def assignment_is_open(
    has_holder: bool, is_done: bool, attendance: str | None, start: datetime, now: datetime
) -> bool:
    """Open: nobody holds it, or (not done and) the holder is recorded absent, or is not
    checked in 15 minutes after the start."""
    if is_done:
        return False
    if not has_holder:
        return True
    if attendance in ("absent", "notified"):
        return True
    return attendance != "present" and now >= start + GRACE


def meeting_rota(meeting: Meeting) -> list[MeetingRotaRow]:
    """The meeting's assignments with chore and holder, each marked open or not, and the
    holder's attendance at the meeting. One query."""
    rows = db.session.execute(
        select(ChoreAssignment, Attendance.status)
        .options(joinedload(ChoreAssignment.chore), joinedload(ChoreAssignment.participant))
        .join(Chore, Chore.id == ChoreAssignment.chore_id)
        .outerjoin(
            Attendance,
            and_(
                Attendance.meeting_id == ChoreAssignment.meeting_id,
                Attendance.participant_id == ChoreAssignment.participant_id,
            ),
        )
        .where(ChoreAssignment.meeting_id == meeting.id)
        .order_by(Chore.name, ChoreAssignment.slot_no)
    ).all()
    now = timeutil.local_now()
    start = meeting_start(meeting)
    return [
        MeetingRotaRow(
            a,
            assignment_is_open(a.participant_id is not None, a.is_done, status, start, now),
            status,
        )
        for a, status in rows
    ]


def meeting_changes(meeting: Meeting) -> list[ChoreChange]:
    """Hand changes of the meeting's assignments, newest first. One query."""
    return db.session.scalars(
        select(ChoreChange)
        .join(ChoreAssignment, ChoreAssignment.id == ChoreChange.assignment_id)
        .options(
            joinedload(ChoreChange.assignment).joinedload(ChoreAssignment.chore),
            joinedload(ChoreChange.from_participant),
            joinedload(ChoreChange.to_participant),
            joinedload(ChoreChange.changed_by),
        )
        .where(ChoreAssignment.meeting_id == meeting.id)
        .order_by(ChoreChange.id.desc())
    ).all()


def task_rows(participant_id: int, meeting_id: int):
    """A select of a participant's chores at a meeting, in the kiosk confirmation's columns
    (sort, start_time, end_time, title, place): the chore's name as the title."""
    return (
        select(
            ChoreAssignment.id.label("sort"),
            null().label("start_time"),
            null().label("end_time"),
            Chore.name.label("title"),
            null().label("place"),
        )
        .join(ChoreAssignment, ChoreAssignment.chore_id == Chore.id)
        .where(
            ChoreAssignment.meeting_id == meeting_id,
            ChoreAssignment.participant_id == participant_id,
        )
    )


def tasks_of(participant_id: int, meeting_id: int) -> list[str]:
    """Names of the chores a participant has at a meeting. One query."""
    return db.session.scalars(
        select(Chore.name)
        .join(ChoreAssignment, ChoreAssignment.chore_id == Chore.id)
        .where(
            ChoreAssignment.meeting_id == meeting_id,
            ChoreAssignment.participant_id == participant_id,
        )
        .order_by(Chore.name)
    ).all()


def participant_overview(participant_id: int, limit: int = 10) -> dict:
    """A participant's coming chores and how many they have done, in one statement: the count
    is a one-row table joined to the coming chores (none: one row without a chore)."""
    now = timeutil.local_now()
    done = (
        select(func.count(ChoreAssignment.id).label("done"))
        .where(ChoreAssignment.participant_id == participant_id, ChoreAssignment.is_done.is_(True))
        .subquery()
    )
    coming = (
        select(ChoreAssignment.id)
        .join(Meeting, Meeting.id == ChoreAssignment.meeting_id)
        .where(
            ChoreAssignment.participant_id == participant_id,
            Meeting.is_cancelled.is_(False),
            Meeting.date >= now.date(),
            ChoreAssignment.is_done.is_(False),
        )
        .order_by(Meeting.date, Meeting.start_time)
        .limit(limit)
        .subquery()
    )
    rows = db.session.execute(
        select(done.c.done, ChoreAssignment)
        .select_from(done)
        .outerjoin(coming, true())
        .outerjoin(ChoreAssignment, ChoreAssignment.id == coming.c.id)
        .outerjoin(Meeting, Meeting.id == ChoreAssignment.meeting_id)
        .options(joinedload(ChoreAssignment.chore), contains_eager(ChoreAssignment.meeting))
        .order_by(Meeting.date, Meeting.start_time)
    ).all()
    return {
        "coming": [row.ChoreAssignment for row in rows if row.ChoreAssignment is not None],
        "done": rows[0].done,
    }
