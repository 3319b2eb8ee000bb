"""Serialising changes to one row across requests, the same way on SQLite and PostgreSQL."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import update
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
