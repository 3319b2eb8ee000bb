"""Error pages in the user's language; a 500 is logged with a reference the user can quote."""

import secrets
from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import ObjectDeletedError, StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError, NotFound, SecurityError

from .transaction import rollback_request


class UserError(Exception):
    """A rule the user broke: a translated sentence that says what to do, and the form field
    it belongs to (None for the form as a whole). Services raise it; nothing is saved."""

    def __init__(self, message, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


class Vanished(LookupError):
    """A row this request works on was deleted by another request meanwhile (answers 404)."""


def show_user_error(error: UserError, form=None) -> None:
    """Show a user's mistake on the form (at its field when there is one, else as a message)
    and roll back the request, so that nothing of the failed change is saved."""
    rollback_request()
    field = getattr(form, error.field, None) if (form is not None and error.field) else None
    if field is not None:
        field.errors = [*field.errors, str(error)]
    else:
        flash(str(error), "error")


def save_form(form, change: Callable[[], object], message, target, ready=None):
    """The usual POST of a view: when `form` is sent and valid (and `ready()`, if given, says
    so: a past date confirmed), run `change()` (one service call); on success flash `message`
    and answer a redirect to `target` (each a text or URL, or a function of what `change`
    returned). A
    UserError is shown on the form and None is answered, as it is when the form was not sent or
    not valid: the view then renders the form (again)."""
    if not form.validate_on_submit() or (ready is not None and not ready()):
        return None
    try:
        result = change()
    except UserError as error:
        show_user_error(error, form)
        return None
    flash(str(message(result) if callable(message) else message), "success")
    return redirect(target(result) if callable(target) else target)


def render_user_error(error: UserError):
    """A UserError no view caught: roll back, show the message, go back to the page."""
    show_user_error(error)
    if request.method == "GET":
        return render_template(
            "netvaerk/errors/error.html",
            code=400,
            title=ERROR_TEXTS[400][0],
            text=str(error),
            reference=None,
        ), 400
    return redirect(request.path, code=303)


ERROR_TEXTS = {
    400: (_l("Bad request"), _l("The request could not be understood. Go back and try again.")),
    403: (_l("Not allowed"), _l("You do not have access to this page.")),
    404: (_l("Not found"), _l("The page does not exist or has been removed.")),
    405: (_l("Not allowed"), _l("This page cannot be used that way.")),
    413: (
        _l("Too large"),
        _l("What you sent is too large. Shorten the text or choose a smaller file, and try again."),
    ),
    429: (_l("Too many attempts"), _l("Too many attempts. Wait a moment and try again.")),
    500: (_l("Something went wrong"), _l("An error occurred. It has been logged.")),
}


def render_error(error: HTTPException):
    """Render a known HTTP error as a page in the user's language."""
    if isinstance(error, SecurityError):
        # A Host outside TRUSTED_HOSTS: no URL can be built for it, so no page with links.
        return Response("400 Bad Request: unknown host\n", 400, mimetype="text/plain")
    code = error.code or 500
    title, text = ERROR_TEXTS.get(code, ERROR_TEXTS[400 if code < 500 else 500])
    return render_template(
        "netvaerk/errors/error.html", code=code, title=title, text=text, reference=None
    ), code


def render_csrf_error(error: CSRFError):
    """A form sent without its security token, or from a page that is too old, or elsewhere.

    A form sent from another tab after its user logged out is said so plainly: what was
    typed is kept (core.drafts) and the login page leads back to the form, where it is
    filled in again after that user logs in."""
    kept = _keep_form_of_logged_out_user()
    if kept is not None:
        return kept
    return render_template(
        "netvaerk/errors/error.html",
        code=400,
        title=_l("The form could not be sent"),
        text=_l(
            "The page was too old or was not opened from netvaerk, so nothing was saved. "
            "Go back, reload the page and try again."
        ),
        reference=None,
    ), 400


def _keep_form_of_logged_out_user():
    """A redirect to the login page when the POST came after this browser's logout, else None."""
    from flask import session
    from flask_login import current_user

    from .drafts import keep_draft
    from .security import LOGGED_OUT_USER, NO_DRAFT_ENDPOINTS

    user_id = session.get(LOGGED_OUT_USER)
    if (
        request.method != "POST"
        or not isinstance(user_id, int)
        or current_user.is_authenticated
        or request.endpoint in NO_DRAFT_ENDPOINTS
    ):
        return None
    page = keep_draft(user_id)
    flash(
        str(
            _l(
                "You were logged out, so nothing was saved. Log in and send again: "
                "what you typed is kept."
            )
        ),
        "warning",
    )
    return redirect(url_for("netvaerk.auth.login", next=page), code=303)


def render_internal_error(error: Exception):
    """Log an unexpected error with a reference and show a page that quotes it."""
    reference = secrets.token_hex(4)
    original = getattr(error, "original_exception", error)
    current_app.logger.error("Unhandled error, reference %s", reference, exc_info=original)
    try:
        from .. import extensions

        extensions.db.session.rollback()
    except Exception:  # pragma: no cover - the page must render even if the database is gone
        current_app.logger.exception("Rollback after error %s failed", reference)
    title, text = ERROR_TEXTS[500]
    return render_template(
        "netvaerk/errors/error.html", code=500, title=title, text=text, reference=reference
    ), 500


def render_vanished(error: Exception):
    """A row this request was using was deleted (or changed) by another request at the same
    moment, e.g. a participant erased during an export: 404, as if it had never been there."""
    from ..extensions import db

    db.session.rollback()
    current_app.logger.info("Row vanished during the request: %s", error)
    return render_error(NotFound())


# PostgreSQL's "deadlock detected" and "could not serialize": two requests collided.
COLLISION_STATES = ("40P01", "40001")


def render_conflict(error: Exception):
    """Two requests changed the same thing at once (a unique key taken meanwhile, a deadlock):
    nothing is saved, and the user is told so in words instead of a 500."""
    from ..extensions import db
    from .security import safe_next

    state = getattr(getattr(error, "orig", None), "sqlstate", None)
    if isinstance(error, OperationalError) and state not in COLLISION_STATES:
        return render_internal_error(error)
    db.session.rollback()
    rollback_request()
    current_app.logger.warning("Conflicting change in %s %s", request.method, request.path)
    text = _l(
        "Someone else changed the same thing at the same moment, so nothing was saved. "
        "Look at the page again and try once more."
    )
    if request.method == "GET":
        return render_template(
            "netvaerk/errors/error.html",
            code=409,
            title=_l("Changed meanwhile"),
            text=text,
            reference=None,
        ), 409
    flash(str(text), "error")
    referrer = urlsplit(request.referrer or "")
    back = safe_next(referrer.path) if referrer.netloc == request.host else None
    return redirect(back or url_for("netvaerk.core.home"), code=303)


def register_error_handlers(target) -> None:
    """Register the error pages on an app (standalone) or a blueprint (add-on)."""
    for code in (400, 403, 404, 405, 413, 429):
        target.register_error_handler(code, render_error)
    target.register_error_handler(CSRFError, render_csrf_error)
    target.register_error_handler(UserError, render_user_error)
    target.register_error_handler(ObjectDeletedError, render_vanished)
    target.register_error_handler(Vanished, render_vanished)
    target.register_error_handler(StaleDataError, render_vanished)
    target.register_error_handler(IntegrityError, render_conflict)
    target.register_error_handler(OperationalError, render_conflict)
    target.register_error_handler(InternalServerError, render_internal_error)
