"""The break-in harness's two networks, built once per test module (see harness.py).

Building them (every capability's rows, twice) costs about a second; the matrix, the CSRF
checks and the fuzzing run well over a thousand tests on them. Each test sees them exactly as
built and its own changes are rolled back (`RowsBuiltOnce` in tests/conftest.py).
"""

import pytest

from ..conftest import RowsBuiltOnce
from . import harness


@pytest.fixture(scope="module")
def module_rows(_shared_app):
    rows = RowsBuiltOnce(_shared_app, harness.build_world)
    yield rows
    rows.close()


@pytest.fixture
def world(app, module_rows) -> harness.World:
    """Two networks with every role and every capability's rows (harness.build_world)."""
    return module_rows.rows
