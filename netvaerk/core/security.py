"""Security for every netvaerk response: headers, no caching of personal pages, session limits.

Standalone, the hooks run for every response of the app; mounted as an add-on they run only
for netvaerk's own blueprint, so the host's pages keep the host's policy.
"""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import UTC
from urllib.parse import urlsplit

from flask import current_app, flash, g, request, session, url_for
from flask_babel import _
from flask_login import current_user, logout_user
from werkzeug.routing import IntegerConverter

from .. import timeutil

# Session keys (epoch seconds, UTC) set at login and refreshed on every request.
LOGIN_AT = "netvaerk_login_at"
SEEN_AT = "netvaerk_seen_at"
# A random id per login: logging out stores its hash, so a copy of the cookie is refused.
SESSION_ID = "netvaerk_sid"
# Set by logout in the fresh session: whose form a later POST from another tab was.
LOGGED_OUT_USER = "netvaerk_logged_out_user"
STATIC_ENDPOINTS = ("static", "netvaerk.static")
# POSTs whose fields are no draft worth keeping when the session has ended.
NO_DRAFT_ENDPOINTS = ("netvaerk.core.set_language", "netvaerk.auth.logout")


def content_security_policy(config) -> str:
    """The CSP: own resources only, no inline scripts, no plugins, no <base>, framing limited."""
    if config.get("NETVAERK_CSP"):
        return config["NETVAERK_CSP"]
    ancestors = config.get("NETVAERK_FRAME_ANCESTORS") or "'none'"
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            f"frame-ancestors {ancestors}",
        )
    )


def set_security_headers(response):
    """after_request hook: the security headers, and no-store on pages for logged-in users."""
    config = current_app.config
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy(config))
    headers.setdefault("X-Content-Type-Options", "nosniff")
    # "same-origin" keeps URLs from leaving the site but still sends the Referer that
    # Flask-WTF's CSRF check demands over HTTPS ("no-referrer" would break every form).
    headers.setdefault("Referrer-Policy", config.get("NETVAERK_REFERRER_POLICY", "same-origin"))
    ancestors = (config.get("NETVAERK_FRAME_ANCESTORS") or "'none'").strip()
    if ancestors in ("'self'", "'none'"):  # the old header for browsers without CSP level 2
        headers.setdefault("X-Frame-Options", "SAMEORIGIN" if ancestors == "'self'" else "DENY")
    if request.is_secure and config.get("NETVAERK_HSTS_SECONDS", 31536000):
        headers.setdefault(
            "Strict-Transport-Security", f"max-age={int(config['NETVAERK_HSTS_SECONDS'])}"
        )
    if request.endpoint not in STATIC_ENDPOINTS and (_logged_in() or _secret_link()):
        # Person-level data must not stay in the browser's or a proxy's cache; nor may a page
        # opened through a secret link (an invitation shows the invitee's name and e-mail).
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
        headers.add("Vary", "Cookie")
    return response


def _secret_link() -> bool:
    """A page reached through a secret token in its URL."""
    return bool(request.view_args) and "token" in request.view_args


def token_link_limit() -> str:
    """The rate limit per address shared by the pages opened through secret links."""
    return current_app.config["NETVAERK_RATELIMIT_TOKEN"]


def _logged_in() -> bool:
    try:
        # is_anonymous reads no attribute, so an expired user is not reloaded just for this.
        return not current_user.is_anonymous
    except Exception:  # pragma: no cover - e.g. the user loader failed: treat as logged in
        return True


def start_session_clock() -> None:
    """Called at login: the start of the absolute lifetime and of the idle timer."""
    import secrets

    now = _now()
    session[LOGIN_AT] = now
    session[SEEN_AT] = now
    session[SESSION_ID] = secrets.token_urlsafe(24)


def enforce_session_limits() -> bool:
    """End a staff session that was idle too long or is older than its lifetime.

    The kiosk account is exempt: the centre's tablet stays logged in all day, and it is
    confined to the check-in screen anyway. Returns True when the session was ended.
    """
    if not current_user.is_authenticated or g.get("role") == "kiosk":
        return False
    config = current_app.config
    now = _now()
    login_at = session.get(LOGIN_AT)
    seen_at = session.get(SEEN_AT)
    idle = int(config["NETVAERK_IDLE_MINUTES"]) * 60
    lifetime = int(config["NETVAERK_SESSION_HOURS"]) * 3600
    if (
        not isinstance(login_at, int | float)
        or not isinstance(seen_at, int | float)
        or now - seen_at > idle
        or now - login_at > lifetime
    ):
        language = session.get("lang")
        user_id = current_user.id
        logout_user()
        session.clear()
        if language:
            session["lang"] = language
        if request.method == "POST" and request.endpoint not in NO_DRAFT_ENDPOINTS:
            from .drafts import keep_draft

            g.netvaerk_draft_page = keep_draft(user_id)
            flash(
                _(
                    "You were logged out, so nothing was saved. Log in and send again: "
                    "what you typed is kept."
                ),
                "warning",
            )
            return True
        flash(_("You were logged out because the session had ended. Please log in again."), "info")
        return True
    session[SEEN_AT] = now
    return False


def refuse_nul_bytes() -> bool:
    """True when a submitted value holds a NUL byte (no form takes one; databases refuse it)."""
    sources = [request.args]
    if request.method in ("POST", "PUT", "PATCH"):
        sources.append(request.form)
    return any(
        "\x00" in value for source in sources for _key, values in source.lists() for value in values
    )


def impossible_path_value() -> bool:
    """True when a value taken from the URL's path can name no row: a NUL byte or other control
    character (databases refuse them: a 500) or a number beyond any database id. Checked for
    every netvaerk route before its view runs, so no converter or view has to remember it."""
    from .permissions import MAX_ID

    for value in (request.view_args or {}).values():
        if isinstance(value, str) and any(unicodedata.category(char) == "Cc" for char in value):
            return True
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_ID:
            return True
    return False


def _now() -> float:
    return timeutil.utcnow().replace(tzinfo=UTC).timestamp()


# The longest `next` accepted: netvaerk's own paths with a query are far shorter.
MAX_NEXT_LENGTH = 2000


def safe_next(target: str | None) -> str | None:
    """Accept only a path on this site (no scheme, no host, no `//`), else None.

    Control characters (a newline would end the Location header: a 500) and overlong values
    are refused too.
    """
    if not target or len(target) > MAX_NEXT_LENGTH:
        return None
    if any(unicodedata.category(char) == "Cc" for char in target):
        return None
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def external_url(endpoint: str, **values) -> str:
    """A full link to send or show (e-mail, calendar feed, answer link), never built from a
    Host header that nobody checked: from NETVAERK_BASE_URL when it is set; from the request's
    host in debug mode or when TRUSTED_HOSTS has checked it; else only the path (production
    without a base URL, which start-up warns about: see config.warn_without_base_url)."""
    config = current_app.config
    base = config.get("NETVAERK_BASE_URL")
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    if current_app.debug or config.get("TESTING") or config.get("TRUSTED_HOSTS"):
        return url_for(endpoint, _external=True, **values)
    return url_for(endpoint, **values)


def id_arg(name: str) -> int | None:
    """An id from the query string: None when missing, not a number or beyond any database id
    (a larger number would make the database fail rather than find nothing)."""
    from .permissions import MAX_ID

    value = request.args.get(name, type=int)
    return value if value is not None and 0 <= value <= MAX_ID else None


class IdConverter(IntegerConverter):
    """`<id:name>` in a route: a database id, 0 to MAX_ID. A larger number matches no route, so
    it answers 404 instead of reaching the database (which would fail: a 500)."""

    def __init__(self, url_map) -> None:
        from .permissions import MAX_ID

        super().__init__(url_map, min=0, max=MAX_ID)


def token_hash(token: str) -> str:
    """The stored form of a secret link token (SHA-256, hex): links are kept only hashed."""
    return hashlib.sha256(token.encode()).hexdigest()
