"""What the resident's own page shows: only their own data, and the network's programme.

Every function takes the resident (or the network) and the clock; none reads the request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, or_, select

from ..activities.models import Activity
from ..extensions import db
from ..followup.conversations import commitments_of
from ..meetings.models import Attendance, Meeting
from ..participants.models import Participant, ParticipationPeriod
from ..rota.models import Chore, ChoreAssignment
from ..wheel import services as wheel
from ..wheel.models import SCORE_MAX
from .links import (
    GRANT_SECONDS,
    granted_id,
    make_grant,
    make_link,
    may_have_page,
    open_link,
    record_visit,
    revoke_link,
    send_link,
)
from .wishes import send_wish

__all__ = [
    "GRANT_SECONDS",
    "granted_id",
    "make_grant",
    "make_link",
    "may_have_page",
    "open_link",
    "record_visit",
    "revoke_link",
    "send_link",
]

# The commitment: every meeting, three a week.
MONTHS_SHOWN = 4
TASK_DAYS = 7
ACTIVITY_DAYS = 14


@dataclass(frozen=True)
class MonthAttendance:
    """One month: the meetings held while the resident was in the course, and how many they
    came to."""

    first_day: date
    held: int
    present: int

    @property
    def share(self) -> float:
        """Attended out of held (0 when none were held)."""
        return self.present / self.held if self.held else 0.0

    @property
    def kept(self) -> bool:
        """True when the resident came to every meeting held."""
        return self.held > 0 and self.present >= self.held


def month_starts(today: date, count: int = MONTHS_SHOWN) -> list[date]:
    """The first day of this month and the `count - 1` before it, newest first."""
    firsts = [today.replace(day=1)]
    while len(firsts) < count:
        firsts.append((firsts[-1] - timedelta(days=1)).replace(day=1))
    return firsts


def attendance_by_month(participant: Participant, now: datetime) -> list[MonthAttendance]:
    """This month and the three before: meetings held in the resident's periods (not
    cancelled, already over) and those they were present at. One query."""
    firsts = month_starts(now.date())
    in_a_period = (
        select(ParticipationPeriod.id)
        .where(
            ParticipationPeriod.participant_id == participant.id,
            ParticipationPeriod.start_date <= Meeting.date,
            or_(
                ParticipationPeriod.end_date.is_(None), ParticipationPeriod.end_date >= Meeting.date
            ),
        )
        .exists()
    )
    rows = db.session.execute(
        select(Meeting.date, Attendance.status)
        .outerjoin(
            Attendance,
            and_(Attendance.meeting_id == Meeting.id, Attendance.participant_id == participant.id),
        )
        .where(
            Meeting.network_id == participant.network_id,
            Meeting.is_cancelled.is_(False),
            Meeting.date >= firsts[-1],
            or_(
                Meeting.date < now.date(),
                and_(Meeting.date == now.date(), Meeting.end_time <= now.time()),
            ),
            in_a_period,
        )
    ).all()
    held = dict.fromkeys(firsts, 0)
    present = dict.fromkeys(firsts, 0)
    for day, status in rows:
        first = day.replace(day=1)
        held[first] += 1
        present[first] += status == "present"
    return [MonthAttendance(first, held[first], present[first]) for first in firsts]


@dataclass(frozen=True)
class Task:
    """One of the resident's chores at a meeting."""

    day: date
    start_time: time
    name: str


def tasks(participant: Participant, today: date) -> tuple[list[Task], list[Task]]:
    """The resident's chores today, and in the coming week (after today). One query."""
    rows = db.session.execute(
        select(Meeting.date, Meeting.start_time, Chore.name)
        .join(ChoreAssignment, ChoreAssignment.meeting_id == Meeting.id)
        .join(Chore, Chore.id == ChoreAssignment.chore_id)
        .where(
            ChoreAssignment.participant_id == participant.id,
            Meeting.network_id == participant.network_id,
            Meeting.is_cancelled.is_(False),
            Meeting.date.between(today, today + timedelta(days=TASK_DAYS)),
        )
        .order_by(Meeting.date, Meeting.start_time, Chore.name)
    ).all()
    found = [Task(day, start, name) for day, start, name in rows]
    return [t for t in found if t.day == today], [t for t in found if t.day > today]


@dataclass(frozen=True)
class Coming:
    """An activity of the programme, as the resident sees it (no names of who runs it)."""

    day: date
    start_time: time
    end_time: time
    title: str
    place: str


def coming_activities(network_id: int, now: datetime) -> list[Coming]:
    """The network's activities from now to ACTIVITY_DAYS ahead, not cancelled. One query."""
    today = now.date()
    rows = db.session.execute(
        select(
            Activity.date, Activity.start_time, Activity.end_time, Activity.title, Activity.place
        )
        .where(
            Activity.network_id == network_id,
            Activity.is_cancelled.is_(False),
            Activity.date.between(today, today + timedelta(days=ACTIVITY_DAYS)),
            or_(Activity.date > today, Activity.end_time > now.time()),
        )
        .order_by(Activity.date, Activity.start_time, Activity.id)
    ).all()
    return [Coming(*row) for row in rows]


def resident_of(network_id: int, participant_id: int) -> Participant | None:
    """The network's resident with this id, or None."""
    participant = db.session.get(Participant, participant_id)
    return participant if participant is not None and participant.network_id == network_id else None


def commitments(participant: Participant) -> list:
    """The resident's commitments from the follow-up conversations: open first, by due date."""
    return list(commitments_of(participant.id))


@dataclass(frozen=True)
class WheelRow:
    """One area of the resident's wheel: its name, the first and the latest score."""

    name: str
    first: int | None
    latest: int | None


def wheel_view(participant: Participant, locale: str) -> dict | None:
    """The resident's wheel over time and their goal; None without their wheel consent."""
    if wheel.consent(participant) is None:
        return None
    compared = wheel.comparison(participant)
    history = compared["history"]
    goal = next((s.goal for s in reversed(history) if s.goal), "")
    rows = [
        WheelRow(row.area.name(locale), row.intake, row.latest)
        for row in compared["rows"]
        if row.intake is not None or row.latest is not None
    ]
    return {
        "dates": [s.scored_on for s in history],
        "rows": rows,
        "goal": goal,
        "max": SCORE_MAX,
    }


def page(participant: Participant, now: datetime, locale: str) -> dict:
    """Everything the resident's page shows, for this resident only."""
    today_tasks, week_tasks = tasks(participant, now.date())
    return {
        "participant": participant,
        "months": attendance_by_month(participant, now),
        "today_tasks": today_tasks,
        "week_tasks": week_tasks,
        "activities": coming_activities(participant.network_id, now),
        "commitments": commitments(participant),
        "wheel": wheel_view(participant, locale),
        "today": now.date(),
    }


__all__ += [
    "MonthAttendance",
    "send_wish",
    "attendance_by_month",
    "coming_activities",
    "commitments",
    "month_starts",
    "page",
    "resident_of",
    "tasks",
    "wheel_view",
]
