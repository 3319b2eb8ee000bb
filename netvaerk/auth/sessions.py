"""The browser session of a staff account: loading its user, logging out here or everywhere.

"Log out" ends this browser's session only (its random id is stored as ended, so a copied
cookie is refused as well); "Log out everywhere" ends every session of the account (the
session version in every cookie goes stale).
"""

from flask import current_app, session
from flask_login import logout_user

from ..core.models import User
from ..core.security import LOGGED_OUT_USER, SESSION_ID
from ..timeutil import utcnow
from . import services


def load_user(session_id: str) -> User | None:
    """Flask-Login's loader: the account of the cookie, unless it or this session ended."""
    this_session = session.get(SESSION_ID)
    return services.load_user_from_session(
        session_id, this_session if isinstance(this_session, str) else None
    )


def log_out(user: User, everywhere: bool) -> dict:
    """End this session (and with `everywhere`, all of the account's); answers the old
    session's contents (a single sign-on provider's logout needs its id token)."""
    if everywhere:
        services.end_sessions(user)
    else:
        hours = int(current_app.config["NETVAERK_SESSION_HOURS"])
        services.end_session(user, session.get(SESSION_ID), utcnow(), hours)
    language, old_session = session.get("lang"), dict(session)
    logout_user()
    session.clear()
    if language:
        session["lang"] = language
    # A form sent afterwards from another tab is kept for this user (see core.errors).
    session[LOGGED_OUT_USER] = user.id
    return old_session
