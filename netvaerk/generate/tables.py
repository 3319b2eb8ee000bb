"""Bulk writing for the generator: explicit ids per table, and rows written in bulk with the
column order taken from the models' own tables."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import func, insert, select, text

from ..extensions import db

# Tables the generator writes itself, parents before children (their ids are set here;
# PostgreSQL's sequences are moved on after).
TABLES = (
    "netvaerk_user",
    "netvaerk_membership",
    "netvaerk_participant",
    "netvaerk_participation_period",
    "netvaerk_status_change",
    "netvaerk_meeting",
    "netvaerk_closure",
    "netvaerk_attendance",
    "netvaerk_chore",
    "netvaerk_chore_assignment",
    "netvaerk_activity",
    "netvaerk_activity_signup",
)
CHUNK = 20000


class Ids:
    """Explicit primary keys: one counter per table, starting after the largest id there."""

    def __init__(self, connection, tables: Iterable[str]):
        self.next: dict[str, int] = {}
        for name in tables:
            table = db.metadata.tables[name]
            largest = connection.execute(select(func.max(table.c.id))).scalar()
            self.next[name] = (largest or 0) + 1

    def take(self, table: str) -> int:
        """The next id of a table."""
        value = self.next[table]
        self.next[table] = value + 1
        return value


def columns_of(table_name: str, row: dict) -> list[str]:
    """The columns a row sets, in the order of the model's table."""
    return [column.name for column in db.metadata.tables[table_name].columns if column.name in row]


def write_rows(connection, table_name: str, rows: Sequence[dict]) -> None:
    """Bulk-write rows (dicts by column name): COPY on PostgreSQL, executemany elsewhere."""
    if not rows:
        return
    columns = columns_of(table_name, rows[0])
    if connection.dialect.name == "postgresql":
        raw = connection.connection.driver_connection
        with raw.cursor() as cursor:
            statement = f"COPY {table_name} ({', '.join(columns)}) FROM STDIN"
            with cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row([row[name] for name in columns])
        return
    table = db.metadata.tables[table_name]
    for start in range(0, len(rows), CHUNK):
        connection.execute(insert(table), list(rows[start : start + CHUNK]))


def move_sequences(connection, tables: Iterable[str]) -> None:
    """On PostgreSQL, move each table's id sequence past the ids written explicitly."""
    if connection.dialect.name != "postgresql":
        return
    for table_name in tables:
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table_name}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table_name}))"
            )
        )
