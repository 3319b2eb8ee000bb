"""Serialising changes to one row across requests, the same way on SQLite and PostgreSQL."""

from sqlalchemy import select, update
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


def flush_or_raise(error: Exception) -> None:
    """Flush; when the database refuses it (a unique or check constraint that a concurrent
    request decided), raise `error` (a UserError) instead.

    A refused flush has already doomed the transaction, so it is rolled back here: the
    request's boundary would roll it back anyway, and the page that shows the message can
    still read from the session.
    """
    try:
        db.session.flush()
    except IntegrityError as refused:
        db.session.rollback()
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
