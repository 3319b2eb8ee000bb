"""Making the rota: who is expected at which meeting, the history of done chores, and
(re)generating the assignments of a period fairly. Every query is a fixed number of
statements, whatever the number of meetings, chores or participants."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import and_, func, or_, select, union

from .. import timeutil
from ..audit.services import record
from ..core.locks import lock_for_update, refused_as
from ..core.models import Network
from ..extensions import db
from ..labels import format_day as format_date
from ..meetings.models import Attendance, Meeting
from ..participants.models import Participant, ParticipationPeriod
from .errors import RotaError
from .fairness import Assignment, ChoreSpec, History, MeetingSpec, find_problems
from .fairness import generate_rota as plan_rota
from .models import Chore, ChoreAssignment

MAX_PERIOD_DAYS = 92


# ---------------------------------------------------------------------------- loading


def meeting_start(meeting: Meeting) -> datetime:
    """The meeting's local start as a naive datetime."""
    return datetime.combine(meeting.date, meeting.start_time)


def has_started(meeting: Meeting, now: datetime | None = None) -> bool:
    """True from the meeting's start time on (local time)."""
    return (now or timeutil.local_now()) >= meeting_start(meeting)


def period_meetings(network_id: int, start: date, end: date) -> list[Meeting]:
    """The meetings held (not cancelled) from `start` to `end`, in order."""
    return db.session.scalars(
        select(Meeting)
        .where(
            Meeting.network_id == network_id,
            Meeting.date >= start,
            Meeting.date <= end,
            Meeting.is_cancelled.is_(False),
        )
        .order_by(Meeting.date, Meeting.start_time, Meeting.id)
    ).all()


def expected_by_meeting(network_id: int, meetings: list[Meeting]) -> dict[int, set[int]]:
    """Who is expected at each meeting: active participants whose open period has begun by
    then, less those recorded absent (with or without notice). Two queries."""
    if not meetings:
        return {}
    active = db.session.execute(
        select(Participant.id, ParticipationPeriod.start_date)
        .join(ParticipationPeriod, ParticipationPeriod.participant_id == Participant.id)
        .where(
            Participant.network_id == network_id,
            Participant.status == "active",
            ParticipationPeriod.end_date.is_(None),
        )
    ).all()
    away = db.session.execute(
        select(Attendance.meeting_id, Attendance.participant_id).where(
            Attendance.meeting_id.in_([m.id for m in meetings]),
            Attendance.status.in_(("absent", "notified")),
        )
    ).all()
    away_pairs = {(m, p) for m, p in away}
    return {
        meeting.id: {
            pid
            for pid, started in active
            if started <= meeting.date and (meeting.id, pid) not in away_pairs
        }
        for meeting in meetings
    }


def history_before(network_id: int, before: date) -> History:
    """Done chores (per person and per person and chore) and the meetings each person could
    have taken a chore at (present, or did one) before `before`. Two aggregate queries."""
    held = and_(
        Meeting.network_id == network_id, Meeting.date < before, Meeting.is_cancelled.is_(False)
    )
    per_chore_rows = db.session.execute(
        select(ChoreAssignment.participant_id, ChoreAssignment.chore_id, func.count())
        .join(Meeting, Meeting.id == ChoreAssignment.meeting_id)
        .where(held, ChoreAssignment.is_done.is_(True), ChoreAssignment.participant_id.is_not(None))
        .group_by(ChoreAssignment.participant_id, ChoreAssignment.chore_id)
    ).all()
    present = (
        select(Attendance.meeting_id, Attendance.participant_id)
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(held, Attendance.status == "present")
    )
    did_chore = (
        select(ChoreAssignment.meeting_id, ChoreAssignment.participant_id)
        .join(Meeting, Meeting.id == ChoreAssignment.meeting_id)
        .where(held, ChoreAssignment.is_done.is_(True), ChoreAssignment.participant_id.is_not(None))
    )
    chances = union(present, did_chore).subquery()
    opportunity_rows = db.session.execute(
        select(chances.c.participant_id, func.count()).group_by(chances.c.participant_id)
    ).all()
    done: Counter[int] = Counter()
    per_chore: dict[tuple[int, int], int] = {}
    for pid, chore_id, count in per_chore_rows:
        done[pid] += count
        per_chore[(pid, chore_id)] = count
    return History(done=dict(done), opportunities=dict(opportunity_rows), done_per_chore=per_chore)


def _previous_pairs(network_id: int, first: Meeting) -> set[tuple[int, int]]:
    """(participant, chore) pairs of the held meeting just before `first`."""
    before = (
        select(Meeting.id)
        .where(
            Meeting.network_id == network_id,
            Meeting.is_cancelled.is_(False),
            or_(
                Meeting.date < first.date,
                and_(Meeting.date == first.date, Meeting.start_time < first.start_time),
            ),
        )
        .order_by(Meeting.date.desc(), Meeting.start_time.desc())
        .limit(1)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(ChoreAssignment.participant_id, ChoreAssignment.chore_id).where(
            ChoreAssignment.meeting_id == before, ChoreAssignment.participant_id.is_not(None)
        )
    ).all()
    return {(p, c) for p, c in rows}


# ---------------------------------------------------------------------------- generating


@dataclass(frozen=True)
class GenerationOutcome:
    """What a generation did: meetings covered, assignments made and kept, and why some
    meetings were left without a new rota (a chore needs more people than are expected)."""

    meetings: int
    created: int
    kept: int
    understaffed: tuple[str, ...] = ()


def _active_ids(network_id: int) -> set[int]:
    return set(
        db.session.execute(
            select(Participant.id).where(
                Participant.network_id == network_id, Participant.status == "active"
            )
        ).scalars()
    )


def _problem_lines(problems, meetings, chores) -> list[str]:
    by_id = {m.id: m for m in meetings}
    names = {c.id: c.name for c in chores}
    return [
        ngettext(
            "%(chore)s needs %(needed)d people on %(day)s, but only %(num)d is expected.",
            "%(chore)s needs %(needed)d people on %(day)s, but only %(num)d are expected.",
            problem.expected,
            chore=names[problem.chore_id],
            needed=problem.needed,
            day=format_date(by_id[problem.meeting_id].date, "EEEE d MMMM"),
        )
        for problem in problems[:5]
    ]


def generate_rota(
    network_id: int, start: date, end: date, now: datetime | None = None
) -> GenerationOutcome:
    """(Re)generate the rota of the meetings from `start` to `end`.

    Keeps done assignments, everything at meetings that have started, and hand-changed ones
    whose holder is still active; replaces the rest. A meeting where a chore needs more people
    than are expected is left as it is and reported, without holding up the other meetings.
    Refuses (changing nothing) when there are no meetings, no active chores, or no meeting
    can be staffed.
    """
    if end < start:
        raise RotaError(_("The end date must be on or after the start date."), field="end")
    if (end - start).days > MAX_PERIOD_DAYS:
        raise RotaError(
            _("Choose a period of at most %(days)d days.", days=MAX_PERIOD_DAYS), field="end"
        )
    # Two generations at once (a double click) would both replace the same assignments: they
    # run one after the other on the network's row lock, the second on the first's rota.
    lock_for_update(Network, Network.id == network_id, column="name")
    meetings = period_meetings(network_id, start, end)
    if not meetings:
        raise RotaError(
            _(
                "There are no meetings from %(start)s to %(end)s. Choose another period.",
                start=format_date(start),
                end=format_date(end),
            )
        )
    chores = db.session.scalars(
        select(Chore)
        .where(Chore.network_id == network_id, Chore.is_active.is_(True))
        .order_by(Chore.id)
    ).all()
    if not chores:
        raise RotaError(_("There are no active chores. Add the chores of the house first."))
    expected = expected_by_meeting(network_id, meetings)
    chore_specs = [ChoreSpec(c.id, c.people_needed, frozenset(c.weekday_list)) for c in chores]
    meeting_specs = [MeetingSpec(m.id, m.date.weekday()) for m in meetings]
    problems = find_problems(meeting_specs, chore_specs, expected)
    blocked = {problem.meeting_id for problem in problems}
    staffed = [m for m in meetings if m.id not in blocked]
    lines = _problem_lines(problems, meetings, chores)
    if not staffed:
        raise RotaError(
            " ".join(lines)
            + " "
            + _("Lower the number of people the chore needs, or choose other meetings.")
        )
    existing = db.session.scalars(
        select(ChoreAssignment).where(ChoreAssignment.meeting_id.in_([m.id for m in staffed]))
    ).all()
    now = now or timeutil.local_now()
    started = {m.id for m in staffed if has_started(m, now)}
    active = _active_ids(network_id)
    keep = [
        a
        for a in existing
        if a.is_done
        or (a.meeting_id in started)
        or (a.is_manual and a.participant_id is not None and a.participant_id in active)
    ]
    kept_ids = {a.id for a in keep}
    replace = [a for a in existing if a.id not in kept_ids]
    result = plan_rota(
        [MeetingSpec(m.id, m.date.weekday()) for m in staffed],
        chore_specs,
        expected,
        history_before(network_id, staffed[0].date),
        keep=[Assignment(a.meeting_id, a.chore_id, a.slot_no, a.participant_id) for a in keep],
        previous=_previous_pairs(network_id, staffed[0]),
    )
    for old in replace:
        db.session.delete(old)
    db.session.flush()
    changed_meanwhile = RotaError(
        _("Someone changed the rota at the same moment. Nothing was saved; please try again.")
    )
    with refused_as(changed_meanwhile):
        db.session.add_all(
            ChoreAssignment(
                network_id=network_id,
                meeting_id=a.meeting_id,
                chore_id=a.chore_id,
                slot_no=a.slot_no,
                participant_id=a.participant_id,
            )
            for a in result.assignments
        )
        record(
            "rota.generate",
            network_id=network_id,
            detail=f"{start.isoformat()} – {end.isoformat()}: {len(result.assignments)} chores",
        )
    return GenerationOutcome(len(staffed), len(result.assignments), len(keep), tuple(lines))
