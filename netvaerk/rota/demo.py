"""Demo data: the chores of the house and a rota over the demo meetings, past ones done."""

from datetime import timedelta

from sqlalchemy import select, update

from .. import timeutil
from ..extensions import db
from ..meetings.models import Attendance
from . import services
from .models import Chore, ChoreAssignment

# (name, people needed, weekdays); the demo network meets Monday, Wednesday and Thursday.
DEMO_CHORES = (
    ("Kaffe og te", 1, "0,1,2,3,4"),
    ("Oprydning i lokalet", 1, "0,1,2,3,4"),
    ("Opvask", 2, "0,1,2,3,4"),
    ("Rengøring", 1, "3"),
    ("Have", 1, "0"),
    ("Indkøb", 1, "2"),
)
WEEKS_AHEAD = 4


def demo_rota(network, today) -> None:
    """Add the chores (once) and make the rota week by week around today; past chores are
    marked done unless the holder was away. Safe to run again."""
    existing = set(
        db.session.execute(select(Chore.name).where(Chore.network_id == network.id)).scalars()
    )
    for name, needed, weekdays in DEMO_CHORES:
        if name not in existing:
            db.session.add(
                Chore(network_id=network.id, name=name, people_needed=needed, weekdays=weekdays)
            )
    db.session.commit()
    monday = services.week_start_of(today)
    # Back to the start of last month, so the monthly statistics have a whole month of chores.
    first_of_last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    weeks_back = (monday - services.week_start_of(first_of_last_month)).days // 7
    for week in range(-weeks_back, WEEKS_AHEAD):
        start = monday + timedelta(weeks=week)
        try:
            services.generate_rota(
                network.id, start, start + timedelta(days=6), timeutil.local_now()
            )
        except services.RotaError:
            continue  # no meetings that week, or too few participants for a chore
    _mark_past_done(network.id)


def _mark_past_done(network_id: int) -> None:
    """Tick off the chores of meetings that have ended, except where the holder was away."""
    from .. import timeutil
    from ..meetings.models import Meeting

    now = timeutil.local_now()
    ended = select(Meeting.id).where(
        Meeting.network_id == network_id,
        Meeting.is_cancelled.is_(False),
        Meeting.date < now.date(),
    )
    away = select(Attendance.participant_id).where(
        Attendance.meeting_id == ChoreAssignment.meeting_id,
        Attendance.status.in_(("absent", "notified")),
    )
    db.session.execute(
        update(ChoreAssignment)
        .where(
            ChoreAssignment.meeting_id.in_(ended),
            ChoreAssignment.is_done.is_(False),
            ChoreAssignment.participant_id.is_not(None),
            ChoreAssignment.participant_id.not_in(away),
        )
        .values(is_done=True, done_at=timeutil.utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
