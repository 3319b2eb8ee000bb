"""A rota change refused half-way undoes only itself: the caller's transaction goes on."""

from sqlalchemy import select, update

from netvaerk.extensions import db
from netvaerk.rota import services
from netvaerk.rota.models import Chore, ChoreAssignment

from ..factories import make_meeting
from .conftest import MONDAY


def test_a_swap_refused_half_way_leaves_the_callers_changes(network, people, chores, clock):
    today = make_meeting(network, MONDAY)
    services.generate_rota(network.id, MONDAY, MONDAY)
    db.session.commit()
    rows = db.session.scalars(
        select(ChoreAssignment).where(ChoreAssignment.meeting_id == today.id)
    ).all()
    coffee = next(a for a in rows if a.chore_id == chores[0].id)
    dishes = next(a for a in rows if a.chore_id == chores[1].id)
    a, b = dishes.participant_id, coffee.participant_id
    someone_else = next(p.id for p in people if p.id not in (a, b))
    # The caller's own change in the same transaction, flushed but not committed.
    db.session.add(Chore(network_id=network.id, name="Indkøb", people_needed=1, weekdays="0"))
    db.session.flush()
    # Meanwhile the coffee passes to someone else (behind the loaded objects' back).
    db.session.execute(
        update(ChoreAssignment)
        .where(ChoreAssignment.id == coffee.id)
        .values(participant_id=someone_else)
        .execution_options(synchronize_session=False)
    )
    try:
        services.swap(dishes, coffee, None)
    except services.RotaError as refused:
        assert "nothing was swapped" in str(refused) or "intet blev byttet" in str(refused)
    else:
        raise AssertionError("the swap of a chore that changed hands went through")
    db.session.expire_all()
    holders = dict(
        db.session.execute(
            select(ChoreAssignment.id, ChoreAssignment.participant_id).where(
                ChoreAssignment.id.in_((dishes.id, coffee.id))
            )
        ).all()
    )
    assert holders == {dishes.id: a, coffee.id: someone_else}  # the half-done swap undone
    names = set(db.session.scalars(select(Chore.name).where(Chore.network_id == network.id)))
    assert "Indkøb" in names
