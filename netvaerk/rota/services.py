"""Rota rules and queries: chores, generating the rota, absence, swaps, done marks, erasure.

Every page-level query here is a fixed number of statements (joins and aggregates), whatever
the number of meetings, chores or participants.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from sqlalchemy import and_, delete, func, or_, select, union, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from .. import timeutil
from ..audit.services import record
from ..core.errors import UserError
from ..core.locks import flush_or_raise
from ..extensions import db
from ..meetings.models import Attendance, Meeting
from ..participants.models import Participant, ParticipationPeriod
from .fairness import Assignment, ChoreSpec, History, MeetingSpec, find_problems
from .fairness import generate_rota as plan_rota
from .models import Chore, ChoreAssignment, ChoreChange

# A participant not checked in this long after the start counts as absent for the chores.
GRACE = timedelta(minutes=15)
MAX_PERIOD_DAYS = 92


class RotaError(UserError):
    """A rota rule stops the change; the message is a translated sentence for the user."""


# ---------------------------------------------------------------------------- chores


def list_chores(network_id: int) -> list[Chore]:
    """The network's chores, active first, by name."""
    return list(
        db.session.execute(
            select(Chore)
            .where(Chore.network_id == network_id)
            .order_by(Chore.is_active.desc(), Chore.name)
        ).scalars()
    )


def save_chore(
    network_id: int, name: str, people_needed: int, weekdays: list[int], chore: Chore | None = None
) -> Chore:
    """Create a chore, or update `chore`; a name used by another chore is refused."""
    name = name.strip()
    clash = db.session.execute(
        select(Chore.id).where(
            Chore.network_id == network_id,
            func.lower(Chore.name) == name.lower(),
            Chore.id != (chore.id if chore else -1),
        )
    ).first()
    if clash:
        raise RotaError(_("A chore called %(name)s exists already.", name=name), field="name")
    if chore is None:
        chore = Chore(network_id=network_id)
        db.session.add(chore)
    chore.name = name
    chore.people_needed = people_needed
    chore.weekdays = ",".join(str(d) for d in sorted(set(weekdays)))
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise RotaError(
            _("A chore called %(name)s exists already.", name=name), field="name"
        ) from error
    return chore


def _upcoming_clause(now: datetime):
    """Meetings that have not started yet (local time)."""
    return or_(
        Meeting.date > now.date(),
        and_(Meeting.date == now.date(), Meeting.start_time > now.time()),
    )


def future_assignment_count(chore: Chore) -> int:
    """Assignments of the chore at meetings that have not started yet."""
    return db.session.execute(
        select(func.count(ChoreAssignment.id))
        .join(Meeting, Meeting.id == ChoreAssignment.meeting_id)
        .where(
            ChoreAssignment.chore_id == chore.id,
            ChoreAssignment.is_done.is_(False),
            _upcoming_clause(timeutil.local_now()),
        )
    ).scalar_one()


def deactivate_chore(chore: Chore, remove_future: bool = False) -> int:
    """Deactivate a chore. With coming assignments it refuses unless `remove_future`, which
    removes them (done ones and past meetings are never touched). Returns how many went."""
    count = future_assignment_count(chore)
    if count and not remove_future:
        raise RotaError(
            ngettext(
                "%(name)s has %(num)d assignment at a coming meeting. Confirm to remove it, "
                "or keep the chore active.",
                "%(name)s has %(num)d assignments at coming meetings. Confirm to remove them, "
                "or keep the chore active.",
                count,
                name=chore.name,
            )
        )
    if count:
        upcoming = select(Meeting.id).where(_upcoming_clause(timeutil.local_now()))
        db.session.execute(
            delete(ChoreAssignment).where(
                ChoreAssignment.chore_id == chore.id,
                ChoreAssignment.is_done.is_(False),
                ChoreAssignment.meeting_id.in_(upcoming),
            )
        )
    chore.is_active = False
    db.session.flush()
    return count


def activate_chore(chore: Chore) -> None:
    """Make a chore active again (it is used from the next generated rota)."""
    chore.is_active = True
    db.session.flush()


# ---------------------------------------------------------------------------- loading


def meeting_start(meeting: Meeting) -> datetime:
    """The meeting's local start as a naive datetime."""
    return datetime.combine(meeting.date, meeting.start_time)


def has_started(meeting: Meeting, now: datetime | None = None) -> bool:
    """True from the meeting's start time on (local time)."""
    return (now or timeutil.local_now()) >= meeting_start(meeting)


def period_meetings(network_id: int, start: date, end: date) -> list[Meeting]:
    """The meetings held (not cancelled) from `start` to `end`, in order."""
    return list(
        db.session.execute(
            select(Meeting)
            .where(
                Meeting.network_id == network_id,
                Meeting.date >= start,
                Meeting.date <= end,
                Meeting.is_cancelled.is_(False),
            )
            .order_by(Meeting.date, Meeting.start_time, Meeting.id)
        ).scalars()
    )


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
    meetings = period_meetings(network_id, start, end)
    if not meetings:
        raise RotaError(
            _(
                "There are no meetings from %(start)s to %(end)s. Choose another period.",
                start=format_date(start),
                end=format_date(end),
            )
        )
    chores = list(
        db.session.execute(
            select(Chore)
            .where(Chore.network_id == network_id, Chore.is_active.is_(True))
            .order_by(Chore.id)
        ).scalars()
    )
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
    existing = list(
        db.session.execute(
            select(ChoreAssignment).where(ChoreAssignment.meeting_id.in_([m.id for m in staffed]))
        ).scalars()
    )
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
    flush_or_raise(
        RotaError(
            _("Someone changed the rota at the same moment. Nothing was saved; please try again.")
        )
    )
    return GenerationOutcome(len(staffed), len(result.assignments), len(keep), tuple(lines))


def release_chores_of(participant, on: date) -> int:
    """A participant left on `on`: their chores at later meetings (not done, even changed by
    hand) become open again, for regeneration or re-assignment. Returns how many."""
    later = list(
        db.session.execute(
            select(ChoreAssignment)
            .join(Meeting, Meeting.id == ChoreAssignment.meeting_id)
            .where(
                ChoreAssignment.participant_id == participant.id,
                ChoreAssignment.is_done.is_(False),
                Meeting.date > on,
            )
        ).scalars()
    )
    for assignment in later:
        assignment.participant_id = None
        assignment.is_manual = False
        db.session.flush()
        _log(assignment, "reassign", participant.id, None, None)
    db.session.flush()
    return len(later)


# ---------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class WeekRota:
    """The rota of one week: meetings as columns, chores as rows, assignments per cell."""

    week_start: date
    meetings: list[Meeting]
    chores: list[Chore]
    cells: dict[tuple[int, int], list[ChoreAssignment]]


def week_start_of(day: date) -> date:
    """The Monday of the week `day` falls in."""
    return day - timedelta(days=day.weekday())


def week_rota(network_id: int, week_start: date) -> WeekRota:
    """The week's held meetings, its chores and who has what. Three queries."""
    meetings = period_meetings(network_id, week_start, week_start + timedelta(days=6))
    assignments = list(
        db.session.execute(
            select(ChoreAssignment)
            .options(joinedload(ChoreAssignment.participant))
            .where(ChoreAssignment.meeting_id.in_([m.id for m in meetings]))
            .order_by(ChoreAssignment.slot_no)
        ).scalars()
    )
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
    """The meeting's assignments with chore and holder, each marked open or not. Two queries."""
    assignments = db.session.execute(
        select(ChoreAssignment)
        .options(joinedload(ChoreAssignment.chore), joinedload(ChoreAssignment.participant))
        .join(Chore, Chore.id == ChoreAssignment.chore_id)
        .where(ChoreAssignment.meeting_id == meeting.id)
        .order_by(Chore.name, ChoreAssignment.slot_no)
    ).scalars()
    attendance = dict(
        db.session.execute(
            select(Attendance.participant_id, Attendance.status).where(
                Attendance.meeting_id == meeting.id
            )
        ).all()
    )
    now = timeutil.local_now()
    start = meeting_start(meeting)
    return [
        MeetingRotaRow(
            a,
            assignment_is_open(
                a.participant_id is not None,
                a.is_done,
                attendance.get(a.participant_id),
                start,
                now,
            ),
            attendance.get(a.participant_id),
        )
        for a in assignments
    ]


def meeting_changes(meeting: Meeting) -> list[ChoreChange]:
    """Hand changes of the meeting's assignments, newest first. One query."""
    return list(
        db.session.execute(
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
        ).scalars()
    )


def tasks_of(participant_id: int, meeting_id: int) -> list[str]:
    """Names of the chores a participant has at a meeting. One query."""
    return list(
        db.session.execute(
            select(Chore.name)
            .join(ChoreAssignment, ChoreAssignment.chore_id == Chore.id)
            .where(
                ChoreAssignment.meeting_id == meeting_id,
                ChoreAssignment.participant_id == participant_id,
            )
            .order_by(Chore.name)
        ).scalars()
    )


def participant_overview(participant_id: int, limit: int = 10) -> dict:
    """A participant's coming chores and how many they have done. Two queries."""
    now = timeutil.local_now()
    coming = db.session.execute(
        select(ChoreAssignment)
        .join(Meeting, Meeting.id == ChoreAssignment.meeting_id)
        .options(joinedload(ChoreAssignment.chore), joinedload(ChoreAssignment.meeting))
        .where(
            ChoreAssignment.participant_id == participant_id,
            Meeting.is_cancelled.is_(False),
            Meeting.date >= now.date(),
            ChoreAssignment.is_done.is_(False),
        )
        .order_by(Meeting.date, Meeting.start_time)
        .limit(limit)
    ).scalars()
    done = db.session.execute(
        select(func.count(ChoreAssignment.id)).where(
            ChoreAssignment.participant_id == participant_id, ChoreAssignment.is_done.is_(True)
        )
    ).scalar_one()
    return {"coming": list(coming), "done": done}


# ---------------------------------------------------------------------------- changes


def _log(assignment: ChoreAssignment, action: str, old: int | None, new: int | None, user_id):
    """Keep the change in the rota's history and in the audit trail, once per person (a swap
    logs both of its assignments, so there only the new holder of each is recorded)."""
    people = (new, old) if action == "reassign" else (new,)
    for person in dict.fromkeys(p for p in people if p is not None):
        record(
            "rota.change",
            network_id=assignment.network_id,
            subject_type="participant",
            subject_id=person,
            detail=f"{action}: chore {assignment.chore_id}, meeting {assignment.meeting_id}",
            user_id=user_id,
        )
    db.session.add(
        ChoreChange(
            network_id=assignment.network_id,
            assignment_id=assignment.id,
            action=action,
            from_participant_id=old,
            to_participant_id=new,
            changed_by_id=user_id,
        )
    )


def reassign(assignment: ChoreAssignment, user_id: int | None) -> Participant:
    """Give an open assignment to the present participant with the fewest chores at the
    meeting (then the fewest done overall). Safe against double clicks."""
    meeting = assignment.meeting
    rows = {r.assignment.id: r for r in meeting_rota(meeting)}
    row = rows.get(assignment.id)
    if row is None or not row.is_open:
        raise RotaError(_("This chore is not open any more; nothing was changed."))
    present = db.session.execute(
        select(Participant.id)
        .join(Attendance, Attendance.participant_id == Participant.id)
        .where(
            Attendance.meeting_id == meeting.id,
            Attendance.status == "present",
            Participant.status == "active",
        )
    ).scalars()
    load = Counter(r.assignment.participant_id for r in rows.values())
    on_chore = {
        r.assignment.participant_id
        for r in rows.values()
        if r.assignment.chore_id == assignment.chore_id
    }
    candidates = [p for p in present if p not in on_chore]
    if not candidates:
        raise RotaError(_("Nobody checked in can take this chore. Ask who will, or leave it open."))
    done_total = Counter(history_before(meeting.network_id, meeting.date + timedelta(1)).done)
    chosen = min(candidates, key=lambda p: (load[p], done_total[p], p))
    old = assignment.participant_id
    try:
        if not _move_assignment(assignment.id, old, chosen):
            db.session.rollback()
            raise RotaError(_("This chore is not open any more; nothing was changed."))
        _log(assignment, "reassign", old, chosen, user_id)
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise RotaError(
            _("Someone changed the rota at the same moment. Nothing was saved; please try again.")
        ) from error
    db.session.expire_all()
    return db.session.get(Participant, chosen)


def swap_candidates(assignment: ChoreAssignment) -> list[ChoreAssignment]:
    """Assignments that can be swapped with this one: not done, someone else's, at meetings
    from this one's week on that have not started. One query."""
    now = timeutil.local_now()
    start = week_start_of(assignment.meeting.date)
    return list(
        db.session.execute(
            select(ChoreAssignment)
            .join(Meeting, Meeting.id == ChoreAssignment.meeting_id)
            .join(Chore, Chore.id == ChoreAssignment.chore_id)
            .options(
                joinedload(ChoreAssignment.chore),
                joinedload(ChoreAssignment.participant),
                joinedload(ChoreAssignment.meeting),
            )
            .where(
                ChoreAssignment.network_id == assignment.network_id,
                ChoreAssignment.id != assignment.id,
                ChoreAssignment.is_done.is_(False),
                ChoreAssignment.participant_id.is_not(None),
                ChoreAssignment.participant_id != assignment.participant_id,
                Meeting.is_cancelled.is_(False),
                Meeting.date >= max(start, now.date()),
                Meeting.date <= start + timedelta(days=27),
            )
            .order_by(Meeting.date, Meeting.start_time, Chore.name, ChoreAssignment.slot_no)
        ).scalars()
    )


def swap(first: ChoreAssignment, second: ChoreAssignment, user_id: int | None) -> None:
    """Swap the holders of two assignments; both are then kept by regeneration."""
    if first.id == second.id or first.network_id != second.network_id:
        raise RotaError(_("Choose two different assignments to swap."))
    if first.is_done or second.is_done:
        raise RotaError(_("A chore marked done cannot be swapped."))
    if first.participant_id is None or second.participant_id is None:
        raise RotaError(_("An open chore cannot be swapped; re-assign it instead."))
    if first.participant_id == second.participant_id:
        raise RotaError(_("Both chores are held by the same person; nothing to swap."))
    a, b = first.participant_id, second.participant_id
    for target, person in ((first, b), (second, a)):
        clash = db.session.execute(
            select(ChoreAssignment.id).where(
                ChoreAssignment.meeting_id == target.meeting_id,
                ChoreAssignment.chore_id == target.chore_id,
                ChoreAssignment.participant_id == person,
                ChoreAssignment.id.not_in((first.id, second.id)),
            )
        ).first()
        if clash:
            raise RotaError(
                _("%(name)s has that chore at that meeting already.", name=_first_name(person))
            )
    try:
        for target, expected_holder, new_holder in (
            (first, a, None),
            (second, b, a),
            (first, None, b),
        ):
            if not _move_assignment(target.id, expected_holder, new_holder):
                db.session.rollback()
                raise RotaError(_("The rota changed in the meantime; nothing was swapped."))
        _log(first, "swap", a, b, user_id)
        _log(second, "swap", b, a, user_id)
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise RotaError(
            _("Someone changed the rota at the same moment. Nothing was saved; please try again.")
        ) from error
    db.session.expire_all()


def _move_assignment(assignment_id: int, expected_holder: int | None, new_holder: int | None):
    """Give a not-done assignment to `new_holder` only if it is still `expected_holder`'s
    (compare-and-set, so two clicks at the same moment cannot both win). True if it moved."""
    holder = (
        ChoreAssignment.participant_id.is_(None)
        if expected_holder is None
        else ChoreAssignment.participant_id == expected_holder
    )
    changed = db.session.execute(
        update(ChoreAssignment)
        .where(ChoreAssignment.id == assignment_id, holder, ChoreAssignment.is_done.is_(False))
        .values(participant_id=new_holder, is_manual=True)
    ).rowcount
    return changed == 1


def _first_name(participant_id: int) -> str:
    return db.session.execute(
        select(Participant.first_name).where(Participant.id == participant_id)
    ).scalar_one()


def set_done(assignment: ChoreAssignment, done: bool, user_id: int | None) -> bool:
    """Tick a chore off (or undo it) from the meeting's start on. Returns False when it was
    already so (a double click changes nothing)."""
    if done and assignment.participant_id is None:
        raise RotaError(_("Nobody holds this chore; re-assign it before marking it done."))
    if not has_started(assignment.meeting):
        raise RotaError(_("A chore can be marked done from the start of its meeting."))
    changed = db.session.execute(
        update(ChoreAssignment)
        .where(ChoreAssignment.id == assignment.id, ChoreAssignment.is_done.is_(not done))
        .values(
            is_done=done,
            done_at=timeutil.utcnow() if done else None,
            done_by_id=user_id if done else None,
        )
    ).rowcount
    if changed:
        _log(
            assignment,
            "done" if done else "undone",
            assignment.participant_id,
            assignment.participant_id,
            user_id,
        )
    db.session.flush()
    db.session.expire_all()
    return bool(changed)


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
