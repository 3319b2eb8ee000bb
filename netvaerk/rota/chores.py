"""The chores of the house: listing, adding, changing, retiring and using them again."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.exc import IntegrityError

from .. import timeutil
from ..extensions import db
from ..meetings.models import Meeting
from .errors import RotaError
from .models import Chore, ChoreAssignment

# ---------------------------------------------------------------------------- chores


def list_chores(network_id: int) -> list[Chore]:
    """The network's chores, active first, by name."""
    return db.session.scalars(
        select(Chore)
        .where(Chore.network_id == network_id)
        .order_by(Chore.is_active.desc(), Chore.name)
    ).all()


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
    try:
        # A savepoint: a chore of that name made at the same moment undoes only this change.
        with db.session.begin_nested():
            if chore is None:
                chore = Chore(network_id=network_id)
                db.session.add(chore)
            chore.name = name
            chore.people_needed = people_needed
            chore.weekdays = ",".join(str(d) for d in sorted(set(weekdays)))
    except IntegrityError as error:
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
