"""Rows built once for a module (`RowsBuiltOnce` in tests/conftest.py): every test sees them
as built, a test's changes are undone for the next, and nothing is committed for others."""

import pytest
from sqlalchemy import func, select

from netvaerk.core.models import Network
from netvaerk.extensions import db

from ..conftest import RowsBuiltOnce
from ..factories import make_network

NAME = "Bygget én gang"


@pytest.fixture(scope="module")
def module_rows(_shared_app):
    rows = RowsBuiltOnce(_shared_app, lambda: make_network(NAME))
    yield rows
    rows.close()


@pytest.mark.parametrize("turn", [1, 2, 3])
def test_each_test_sees_the_rows_as_built_and_changes_its_own_copy(app, module_rows, turn):
    built = module_rows.rows
    assert built.name == NAME  # detached, its columns loaded
    network = db.session.get(Network, built.id)
    assert network.name == NAME
    assert db.session.scalar(select(func.count()).select_from(Network)) == 1
    network.name = f"Ændret af test {turn}"
    make_network(f"Ny {turn}")
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Network)) == 2


def test_a_test_without_them_sees_an_empty_database(app):
    assert db.session.scalar(select(func.count()).select_from(Network)) == 0
    make_network("Egen")
    db.session.commit()  # writes: the rows' transaction no longer holds SQLite's lock


def test_they_are_built_again_for_the_next_test_that_asks(app, module_rows):
    assert db.session.scalar(select(Network.name)) == NAME
