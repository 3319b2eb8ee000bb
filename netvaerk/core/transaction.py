"""The one transaction boundary of a request (Indico's `RH.process`).

Services change objects and `flush()`; they never commit. After the view has run, the request
commits when it succeeded, and rolls back when it answered an error (status 400 or more) or
when a view marked it with `rollback_request()` (a form shown again with a user's mistake).
Commands and other code outside requests commit themselves.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from flask import g, make_response
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import ObjectDeletedError, StaleDataError

from ..extensions import db

ROLLBACK_MARK = "_netvaerk_rollback"


def rollback_request() -> None:
    """Make the current request roll back whatever it changed, whatever its status."""
    setattr(g, ROLLBACK_MARK, True)


def finish_transaction(response):
    """After a view: commit on success, roll back on an error or when asked to."""
    if getattr(g, ROLLBACK_MARK, False) or response.status_code >= 400:
        db.session.rollback()
        return response
    try:
        db.session.commit()
    except (ObjectDeletedError, StaleDataError) as error:
        # A row changed here was deleted by another request at the same moment.
        from .errors import render_vanished

        return make_response(render_vanished(error))
    except (IntegrityError, OperationalError) as error:
        # Another request took the same unique value, or a deadlock (see render_conflict).
        from .errors import render_conflict

        return make_response(render_conflict(error))
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
