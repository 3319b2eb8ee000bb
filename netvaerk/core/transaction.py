"""The one transaction boundary of a request (Indico's `RH.process`).

Services change objects and `flush()`; they never commit. After the view has run, the request
commits when it succeeded, and rolls back when it answered an error (status 400 or more) or
when a view marked it with `rollback_request()` (a form shown again with a user's mistake).
Commands and other code outside requests commit themselves. The one other commit of a request
is `commit_sign_in()`, before the view runs; the one other rollback is the retry of a sign-in
that raced another (`once_more_after_a_clash`).
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from flask import current_app, g
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import ObjectDeletedError, StaleDataError

from ..extensions import db

ROLLBACK_MARK = "_netvaerk_rollback"
T = TypeVar("T")


def rollback_request() -> None:
    """Make the current request roll back whatever it changed, whatever its status."""
    setattr(g, ROLLBACK_MARK, True)


def once_more_after_a_clash(work: Callable[[], T]) -> T:
    """Run `work()`, the first change of its request (a sign-in); when a simultaneous request
    took the same unique value first, roll back and run it once more: it then finds the
    other's row instead of making a second copy.

    Only for work that nothing precedes in the transaction, since the rollback undoes all of
    it. Not a savepoint: on SQLite (pysqlite) a savepoint that opens the transaction reads a
    snapshot that the other request's commit makes stale, and its write then fails as
    "database is locked" instead of waiting.
    """
    try:
        return work()
    except IntegrityError:
        db.session.rollback()
        return work()


def commit_sign_in() -> None:
    """Commit an account signed in before the view runs (a listed proxy's user header, a host
    intranet's user): the session names that account from here on, so an error page of the
    view must not undo it. Nothing else is pending then (it runs in `before_request`)."""
    db.session.commit()


def finish_transaction(response):
    """After a view: commit on success, roll back on an error or when asked to."""
    if getattr(g, ROLLBACK_MARK, False) or response.status_code >= 400:
        db.session.rollback()
        return response
    try:
        db.session.commit()
    except (ObjectDeletedError, StaleDataError, IntegrityError, OperationalError) as error:
        # A row changed here was deleted by another request at the same moment, another
        # request took the same unique value, or a deadlock: the page is the one the view
        # would have got by raising it (`errors.register_error_handlers`: render_vanished,
        # render_conflict). Asked of the app, so this module needs no import of `errors`.
        return current_app.make_response(current_app.handle_user_exception(error))
    return response


def discard_transaction(error=None) -> None:
    """At the end of every request: nothing uncommitted survives into the next one."""
    if error is not None:
        db.session.rollback()


@contextmanager
def job_transaction() -> Iterator[None]:
    """The boundary of a background job or command: commit when the block ends, roll back
    when it raises (services inside only flush)."""
    try:
        yield
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()
