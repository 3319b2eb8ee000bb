"""Serialising changes to one row, or one kind of work, across requests, the same way on SQLite
and PostgreSQL."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import select, text, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db


def lock_row(model, row_id: int, column: str) -> None:
    """Take the write lock of one row for the rest of the transaction.

    A no-op UPDATE of an ordinary (non-key) column: on PostgreSQL it locks the row until
    commit, on SQLite it takes the database's write lock and, being the transaction's first
    write, reads everything after it fresh. Two requests changing the same activity or
    meeting day therefore run one after the other, so neither needs to retry.
    """
    target = getattr(model, column)
    db.session.execute(
        update(model)
        .where(model.id == row_id)
        .values({column: target})
        .execution_options(synchronize_session=False)
    )


@contextmanager
def refused_as(error: Exception) -> Iterator[None]:
    """Make the changes of the `with` block in a savepoint; when the database refuses them (a
    unique or check constraint that a concurrent request decided), undo just them and raise
    `error` (a UserError) instead.

    Only the block is undone, so the session stays usable for the page that shows the
    message; the UserError then makes the request's boundary roll back the rest. Whatever was
    pending before the block is flushed when it starts (outside the savepoint), so make the
    contested change inside it.
    """
    try:
        with db.session.begin_nested():
            yield
    except IntegrityError as refused:
        raise error from refused


def lock_for_update(model, *where, column: str) -> None:
    """Take the write lock of the rows `where` selects, before reading them to change them.

    `SELECT … FOR UPDATE` on PostgreSQL; on SQLite, which has no row locks, a no-op UPDATE of
    `column` (see `lock_row`) takes the database's write lock, so the reads that follow are
    inside the write transaction and see what a request that went first committed.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(select(model.id).where(*where).with_for_update())
        return
    target = getattr(model, column)
    db.session.execute(
        update(model)
        .where(*where)
        .values({column: target})
        .execution_options(synchronize_session=False)
    )


def lock_or_vanished(row, column: str) -> None:
    """Take `row`'s lock before deleting or changing it; when another request deleted it
    meanwhile (a double click on "remove"), raise Vanished: the second request answers 404
    instead of deleting a row that is gone."""
    from .errors import Vanished

    model = type(row)
    lock_for_update(model, model.id == row.id, column=column)
    if db.session.execute(select(model.id).where(model.id == row.id)).first() is None:
        raise Vanished(f"{model.__name__} {row.id} was deleted meanwhile")


def advisory_lock(kind: int, key: int) -> None:
    """Serialise one kind of work on one key until the transaction ends (PostgreSQL's
    transaction-level advisory lock; SQLite already holds the database's write lock)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            text("SELECT pg_advisory_xact_lock(:kind, :key)"), {"kind": kind, "key": key}
        )
