"""Error pages in the user's language; a 500 is logged with a reference the user can quote."""

import secrets

from flask import current_app, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

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
    code = error.code or 500
    title, text = ERROR_TEXTS.get(code, ERROR_TEXTS[400 if code < 500 else 500])
    return render_template(
        "netvaerk/errors/error.html", code=code, title=title, text=text, reference=None
    ), code


def render_csrf_error(error: CSRFError):
    """A form sent without its security token, or from a page that is too old, or elsewhere."""
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


def register_error_handlers(target) -> None:
    """Register the error pages on an app (standalone) or a blueprint (add-on)."""
    for code in (400, 403, 404, 405, 413, 429):
        target.register_error_handler(code, render_error)
    target.register_error_handler(CSRFError, render_csrf_error)
    target.register_error_handler(InternalServerError, render_internal_error)
