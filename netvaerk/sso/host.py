"""Mounted in a host intranet that set up Flask-Login and Flask-Babel itself: netvaerk signs
in whoever the host signed in, and adds its catalogues to the host's translations."""

from __future__ import annotations

import time

import click
from flask import current_app, g, session
from flask.cli import with_appcontext
from flask_login import current_user

from ..core.models import User
from ..core.transaction import commit_sign_in
from ..extensions import db, login_manager
from .accounts import Claims, SignInRefused, sign_in_racing

HOST_ISSUER = "host"
# [host subject, netvaerk user id, when checked], in the host's session.
SESSION_KEY = "netvaerk_host_link"
RECHECK = 300


def shares_login(app=None) -> bool:
    """Whether the app's Flask-Login is the host's own (not netvaerk's login manager)."""
    app = app or current_app
    return getattr(app, "login_manager", login_manager) is not login_manager


def add_translations(app, directory: str) -> None:
    """Let the host's Flask-Babel find netvaerk's catalogues; the host's own come last, so
    where both translate the same text the host's wording wins on every page."""
    babel = app.extensions["babel"]
    if directory not in babel.translation_directories:
        babel.translation_directories.insert(0, directory)


def host_user_claims(host_user) -> Claims:
    """What the host says about its signed-in user (NETVAERK_HOST_USER may say it instead)."""
    reader = current_app.config.get("NETVAERK_HOST_USER")
    if reader is not None:
        info = reader(host_user)
    else:
        info = {
            "subject": host_user.get_id(),
            "email": getattr(host_user, "email", ""),
            "name": getattr(host_user, "name", ""),
        }
    return Claims(
        issuer=HOST_ISSUER,
        subject=str(info.get("subject") or ""),
        email=str(info.get("email") or ""),
        name=str(info.get("name") or ""),
        groups=tuple(info.get("groups") or ()),
        has_groups="groups" in info,
    )


def use_host_user() -> None:
    """before_request of netvaerk's pages: the host's signed-in user becomes netvaerk's
    `current_user` (their linked staff account); no staff account means anonymous.

    The account and its link are committed at once (`commit_sign_in`, like a login), so that
    a later error page of the same request does not undo them.
    """
    host_user = current_user._get_current_object()
    if not host_user.is_authenticated:
        session.pop(SESSION_KEY, None)
        return
    claims = host_user_claims(host_user)
    linked = session.get(SESSION_KEY)
    now = time.time()
    if (
        isinstance(linked, list)
        and len(linked) == 3
        and linked[0] == claims.subject
        and now - linked[2] < RECHECK
    ):
        # Linked a moment ago in this host session: no write per request. The account and
        # the roles from the host's groups are checked again every RECHECK seconds.
        user = db.session.get(User, linked[1])
        if user is not None and user.is_enabled:
            g._login_user = user
            return
    try:
        user = sign_in_racing(claims)
    except SignInRefused as refused:  # refused before anything was written (sign_in)
        g.netvaerk_sign_in_refused = refused
        g._login_user = login_manager.anonymous_user()
        return
    commit_sign_in()
    session[SESSION_KEY] = [claims.subject, user.id, now]
    g._login_user = user


@click.command("upgrade-db")
@with_appcontext
def upgrade_command() -> None:
    """Apply netvaerk's migrations (its own tables and version table) to the host's database."""
    from alembic import command
    from alembic.config import Config

    from ..resources import resource_dir

    directory = resource_dir("migrations")
    config = Config(str(directory / "alembic.ini"))
    config.set_main_option("script_location", str(directory))
    command.upgrade(config, "head")
    click.echo("netvaerk's tables are up to date.")
