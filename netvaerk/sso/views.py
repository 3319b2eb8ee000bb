"""Sign-in through the intranet's OpenID provider, and the page after logging out."""

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user

from ..core.permissions import public
from ..core.security import external_url, safe_next, start_session_clock
from ..core.transaction import rollback_request
from . import oidc
from .accounts import SignInRefused, sign_in_racing

bp = Blueprint("sso", __name__, url_prefix="/sso")

NEXT_KEY = "netvaerk_sso_next"
ID_TOKEN_KEY = "netvaerk_sso_id_token"
LOGOUT_HINT_KEY = "netvaerk_sso_logout_hint"


@bp.route("/login")
@public
def login():
    """Send the browser to the provider (state, nonce and PKCE kept in the session)."""
    if not oidc.enabled():
        abort(404)
    if current_user.is_authenticated:
        return redirect(url_for("netvaerk.core.home"))
    try:
        oauth = oidc.checked_client()
    except SignInRefused as refused:
        flash(str(refused), "error")
        return redirect(url_for("netvaerk.auth.login"))
    session[NEXT_KEY] = safe_next(request.args.get("next")) or ""
    return oauth.authorize_redirect(external_url("netvaerk.sso.callback"))


@bp.route("/callback")
@public
def callback():
    """The provider's answer: verify it, find or create the account, set roles, log in."""
    if not oidc.enabled():
        abort(404)
    try:
        claims, id_token = oidc.claims_from_callback()
        user = sign_in_racing(claims)
    except SignInRefused as refused:
        rollback_request()
        flash(str(refused), "error")
        return redirect(url_for("netvaerk.auth.login"))
    next_url = session.get(NEXT_KEY) or None
    language = session.get("lang")
    session.clear()  # a fresh session at login: no fixation
    if language:
        session["lang"] = language
    login_user(user)
    start_session_clock()
    session[ID_TOKEN_KEY] = id_token
    from ..auth.services import note_login

    note_login(user)
    return redirect(next_url or url_for("netvaerk.core.home"))


@bp.route("/logged-out")
@public
def logged_out():
    """After netvaerk's logout: offer to log out of the intranet's provider as well."""
    hint = session.pop(LOGOUT_HINT_KEY, None)
    end_session = None
    if oidc.enabled() and hint is not None:
        end_session = oidc.end_session_url(hint, external_url("netvaerk.auth.login"))
    if end_session is None:
        return redirect(url_for("netvaerk.auth.login"))
    return render_template(
        "netvaerk/sso/logged_out.html",
        end_session=end_session,
        provider=oidc.provider_name(),
    )


def logout_target(old_session: dict) -> str | None:
    """Called by netvaerk's logout with the session as it was: where to go afterwards when
    the user had come through the provider (the page offering its end-session)."""
    if ID_TOKEN_KEY not in old_session or not oidc.enabled():
        return None
    session[LOGOUT_HINT_KEY] = old_session[ID_TOKEN_KEY]
    return url_for("netvaerk.sso.logged_out")
