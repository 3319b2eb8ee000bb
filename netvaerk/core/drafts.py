"""What a form said when it was sent after the session had ended: kept for the same user.

When a staff session ends (idle or too old, or logged out in another tab: core.errors'
CSRF page) in the middle of a POST, nothing is saved, but the
typed fields are kept in the (fresh) session with the user's id, the form's action and the
page it came from. After the same user logs in again, that page shows the draft (filled into
the form by netvaerk.js, and listed under "What you typed" without script) once. Passwords,
codes and tokens are never kept; a draft over MAX_DRAFT_CHARS is cut to fit the cookie.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import request, session

DRAFT_KEY = "netvaerk_draft"
MAX_DRAFT_CHARS = 2500
SECRET_FIELDS = ("csrf_token", "password", "code", "repeat", "token", "new_password", "current")


def keep_draft(user_id: int) -> str | None:
    """Keep the current POST's fields for `user_id`; returns the page to come back to."""
    page = _same_site_path(request.referrer) or request.path
    fields, used = [], 0
    for name, value in request.form.items(multi=True):
        if any(secret in name.lower() for secret in SECRET_FIELDS) or not value.strip():
            continue
        value = value[: max(0, MAX_DRAFT_CHARS - used)]
        used += len(value)
        fields.append([name, value])
    if fields:
        session[DRAFT_KEY] = {
            "user": user_id,
            "action": request.path,
            "page": page,
            "fields": fields,
        }
    return page


def take_draft(user_id: int | None, path: str) -> dict | None:
    """The draft kept for this user and page, removed from the session (shown once)."""
    draft = session.get(DRAFT_KEY)
    if not isinstance(draft, dict) or user_id is None:
        return None
    if draft.get("user") != user_id or draft.get("page") != path:
        return None
    session.pop(DRAFT_KEY, None)
    return draft


def carry_draft() -> dict | None:
    """The draft, to put back into the session after login's session.clear()."""
    draft = session.get(DRAFT_KEY)
    return draft if isinstance(draft, dict) else None


def _same_site_path(url: str | None) -> str | None:
    """The path of a URL of this site (the referrer), else None."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.netloc and parts.netloc != request.host:
        return None
    if not parts.path.startswith("/") or parts.path.startswith("//"):
        return None
    return parts.path
