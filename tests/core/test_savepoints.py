"""A clash the database settles undoes only the change that clashed (a savepoint): the
caller's transaction goes on, and the session can still read for the page that says so."""

import pytest
from sqlalchemy import select

from netvaerk.core.errors import UserError
from netvaerk.core.locks import refused_as
from netvaerk.extensions import db
from netvaerk.rota.models import Chore


def _chore_names(network) -> set[str]:
    return set(db.session.scalars(select(Chore.name).where(Chore.network_id == network.id)))


def test_a_refused_block_is_undone_and_raises_the_users_error(network):
    db.session.add(Chore(network_id=network.id, name="Kaffe", people_needed=1, weekdays="0"))
    db.session.commit()
    db.session.add(Chore(network_id=network.id, name="Opvask", people_needed=1, weekdays="0"))
    db.session.flush()  # the caller's change, not committed yet
    taken = UserError("A chore called Kaffe exists already.", field="name")
    with pytest.raises(UserError) as raised, refused_as(taken):
        db.session.add(Chore(network_id=network.id, name="Kaffe", people_needed=2, weekdays="1"))
    assert raised.value is taken
    assert _chore_names(network) == {"Kaffe", "Opvask"}


def test_a_users_error_inside_the_block_undoes_it_too(network):
    with pytest.raises(UserError), refused_as(UserError("never raised")):
        db.session.add(Chore(network_id=network.id, name="Have", people_needed=1, weekdays="0"))
        db.session.flush()
        raise UserError("Nobody can take this chore.")
    assert _chore_names(network) == set()
