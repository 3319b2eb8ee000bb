"""The demo: chores and a populated rota over whatever meetings and participants exist."""

from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import func, select

from netvaerk.demo import ensure_demo_network, load_demo
from netvaerk.extensions import db
from netvaerk.rota.models import Chore, ChoreAssignment

from ..factories import make_meeting, make_participant
from .conftest import MONDAY


def test_demo_makes_a_populated_rota_with_past_chores_done_and_runs_twice(app, clock):
    clock(datetime(2026, 3, 4, 13, 0))  # Wednesday afternoon
    network = ensure_demo_network()
    db.session.commit()
    for name in ("Amina", "Bo", "Camilla", "Dariusz", "Ebru", "Fatima"):
        make_participant(network, name, "Demo")
    ours = [
        make_meeting(network, MONDAY + timedelta(weeks=week, days=day)).id
        for week in (-1, 0, 1)
        for day in (0, 2, 3)
    ]
    load_demo()
    first = db.session.execute(
        select(ChoreAssignment.meeting_id, ChoreAssignment.chore_id, ChoreAssignment.slot_no)
    ).all()
    names = set(db.session.execute(select(Chore.name)).scalars())
    assert {"Kaffe og te", "Oprydning i lokalet", "Opvask", "Rengøring", "Have", "Indkøb"} <= names
    assert len(first) > 0
    per_meeting = Counter(m for m, _, _ in first)
    # Every meeting in the rota's window has chores (the participants' demo adds meetings too).
    assert set(ours) <= set(per_meeting)
    done = db.session.execute(
        select(func.count(ChoreAssignment.id)).where(ChoreAssignment.is_done.is_(True))
    ).scalar_one()
    assert done > 0
    load_demo()
    second = db.session.execute(
        select(ChoreAssignment.meeting_id, ChoreAssignment.chore_id, ChoreAssignment.slot_no)
    ).all()
    assert sorted(first) == sorted(second)
    assert db.session.execute(select(func.count(Chore.id))).scalar_one() == len(names)


def test_rota_demo_step_without_meetings_or_participants_adds_only_chores(app, clock):
    from netvaerk.rota.demo import demo_rota

    network = ensure_demo_network()
    demo_rota(network, MONDAY)
    db.session.commit()
    assert db.session.execute(select(func.count(Chore.id))).scalar_one() == 6
    assert db.session.execute(select(func.count(ChoreAssignment.id))).scalar_one() == 0
