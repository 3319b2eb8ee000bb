"""Access requests and erasure cover every table that holds something about a participant.

Walks the models' metadata: every table with a column pointing at a participant belongs to a
capability, and that capability must register `personal_data(export=, erase=)` in its own
`hooks.py`, so that the hooks exist whether or not its views were imported.
"""

import importlib
import importlib.util

import pytest

from netvaerk import models  # noqa: F401 - every table known
from netvaerk.core.registry import Registry, current_registry
from netvaerk.extensions import db

PARTICIPANT_TABLE = "netvaerk_participant"


def _tables_about_participants() -> list[tuple[str, str]]:
    """(capability, table) for every mapped table with a column referring to a participant."""
    found = set()
    for mapper in db.Model.registry.mappers:
        table = mapper.local_table
        refers = any(
            column.name == "participant_id"
            or any(fk.column.table.name == PARTICIPANT_TABLE for fk in column.foreign_keys)
            for column in table.columns
        )
        if refers:
            capability = mapper.class_.__module__.split(".")[1]
            found.add((capability, table.name))
    return sorted(found)


TABLES = _tables_about_participants()


def test_the_walk_finds_the_known_tables():
    names = {table for _, table in TABLES}
    assert {"netvaerk_attendance", "netvaerk_status_change", "netvaerk_wheel_scoring"} <= names


def _registered_by_hooks(capability: str) -> Registry:
    registry = Registry()
    if importlib.util.find_spec(f"netvaerk.{capability}.hooks") is not None:
        importlib.import_module(f"netvaerk.{capability}.hooks").register(registry)
    return registry


def _owned(functions: dict, capability: str) -> list:
    return [f for f in functions.values() if f.__module__.startswith(f"netvaerk.{capability}.")]


@pytest.mark.parametrize(("capability", "table"), TABLES)
def test_the_owning_capability_exports_and_erases_from_its_hooks(capability, table):
    registry = _registered_by_hooks(capability)
    assert _owned(registry.exporters, capability), f"{capability} exports nothing ({table})"
    assert _owned(registry.erasers, capability), f"{capability} erases nothing ({table})"


@pytest.mark.parametrize(("capability", "table"), TABLES)
def test_the_apps_registry_covers_the_table(app, capability, table):
    """Whatever the registration path, the app's access request and erasure reach the table."""
    registry = current_registry()
    assert _owned(registry.exporters, capability), f"no export covers {table}"
    assert _owned(registry.erasers, capability), f"no erasure covers {table}"
