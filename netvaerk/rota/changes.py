"""Changing the rota by hand: re-assigning an open chore, swapping two, done marks, and
freeing the later chores of someone who leaves."""

from __future__ import annotations

from collections import Counter
from contextlib import contextmanager
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from .. import timeutil
from ..audit.services import record
from ..core.dates import week_start_of
from ..extensions import db
from ..meetings.models import Attendance, Meeting
from ..participants.models import Participant
from .errors import RotaError
from .generation import has_started, history_before
from .models import Chore, ChoreAssignment, ChoreChange
from .reading import meeting_rota

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
    with _same_moment():
        if not _move_assignment(assignment.id, old, chosen):
            raise RotaError(_("This chore is not open any more; nothing was changed."))
        _log(assignment, "reassign", old, chosen, user_id)
        db.session.flush()
    db.session.expire_all()
    return db.session.get(Participant, chosen)


def swap_candidates(assignment: ChoreAssignment) -> list[ChoreAssignment]:
    """Assignments that can be swapped with this one: not done, someone else's, at meetings
    from this one's week on that have not started. One query."""
    now = timeutil.local_now()
    start = week_start_of(assignment.meeting.date)
    return db.session.scalars(
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
    ).all()


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
    with _same_moment():
        for target, expected_holder, new_holder in (
            (first, a, None),
            (second, b, a),
            (first, None, b),
        ):
            if not _move_assignment(target.id, expected_holder, new_holder):
                raise RotaError(_("The rota changed in the meantime; nothing was swapped."))
        _log(first, "swap", a, b, user_id)
        _log(second, "swap", b, a, user_id)
        db.session.flush()
    db.session.expire_all()


@contextmanager
def _same_moment():
    """The block's changes in a savepoint: a RotaError raised inside it (the rota changed
    meanwhile), or a unique-constraint clash with a change made at the same moment, undoes
    them all; the clash asks the user to try again."""
    try:
        with db.session.begin_nested():
            yield
    except IntegrityError as error:
        raise RotaError(
            _("Someone changed the rota at the same moment. Nothing was saved; please try again.")
        ) from error


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


def release_chores_of(participant, period, user_id: int | None = None) -> int:
    """A participant left (their `period` ended): their chores at later meetings (not done,
    even changed by hand) become open again, for regeneration or re-assignment. Returns how
    many."""
    later = db.session.scalars(
        select(ChoreAssignment)
        .join(Meeting, Meeting.id == ChoreAssignment.meeting_id)
        .where(
            ChoreAssignment.participant_id == participant.id,
            ChoreAssignment.is_done.is_(False),
            Meeting.date > period.end_date,
        )
    ).all()
    for assignment in later:
        assignment.participant_id = None
        assignment.is_manual = False
        db.session.flush()
        _log(assignment, "reassign", participant.id, None, None)
    db.session.flush()
    return len(later)
