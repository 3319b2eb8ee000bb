"""Who wants which mail: a staff account's choices, one-click unsubscribe links (RFC 8058), and
absolute links in mail that a worker writes without a request.

A kind of mail that is a choice is registered with `registry.message_kind(..., preference="on")`
(sent unless turned off) or `preference="off"` (sent only when turned on). A choice is a row in
`netvaerk_mail_preference`; no row means the kind's default.

An unsubscribe link carries a token signed with the app's secret key (itsdangerous): the
account and the kind, nothing else, valid for UNSUBSCRIBE_DAYS. It is not a login: it can only
turn that one kind of mail off. Residents are not accounts; a capability that mails residents
signs its own tokens with `sign`/`unsign` and a salt of its own.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError

from ..core.registry import current_registry
from ..extensions import db
from ..timeutil import utcnow
from .models import MailPreference

UNSUBSCRIBE_SALT = "netvaerk-mail-unsubscribe"
UNSUBSCRIBE_DAYS = 180


class BadToken(ValueError):
    """A link token that is forged, damaged, expired or names nothing known."""


def _kind(kind: str):
    found = current_registry().message_kinds.get(kind)
    if found is None or found.preference is None:
        raise ValueError(f"{kind!r} is not a kind of mail a user can choose")
    return found


def wants_mail(user_id: int, kind: str) -> bool:
    """The account's choice for `kind`, or the kind's default when it has made none."""
    default = _kind(kind).preference == "on"
    wanted = db.session.scalar(
        db.select(MailPreference.wanted).where(
            MailPreference.user_id == user_id, MailPreference.kind == kind
        )
    )
    return default if wanted is None else wanted


def choices(user_id: int, kinds: list[str]) -> dict[str, bool]:
    """The account's choice (or the default) for each of `kinds`, in one query."""
    rows = dict(
        db.session.execute(
            db.select(MailPreference.kind, MailPreference.wanted).where(
                MailPreference.user_id == user_id, MailPreference.kind.in_(kinds)
            )
        ).all()
    )
    return {kind: rows.get(kind, _kind(kind).preference == "on") for kind in kinds}


def set_wanted(user_id: int, kind: str, wanted: bool) -> None:
    """Store the account's choice for `kind` (the caller's transaction commits it). Two
    clicks at once (a mail program's one-click POST and the page's button) leave one row."""
    _kind(kind)
    for _attempt in range(2):
        preference = db.session.scalar(
            db.select(MailPreference).where(
                MailPreference.user_id == user_id, MailPreference.kind == kind
            )
        )
        if preference is not None:
            preference.wanted = wanted
            preference.changed_at = utcnow()
            db.session.flush()
            return
        try:
            with db.session.begin_nested():
                db.session.add(MailPreference(user_id=user_id, kind=kind, wanted=wanted))
            return
        except IntegrityError:
            continue  # the other click's row is there now: update it


def kind_label(kind: str):
    """The label of a kind of mail a user can choose (BadToken when there is none)."""
    found = current_registry().message_kinds.get(kind)
    if found is None or found.preference is None:
        raise BadToken("unknown kind")
    return found.label


def kinds_for_roles(roles: set[str]) -> list:
    """The kinds of mail an account with these roles can choose, in registration order."""
    return [
        kind
        for kind in current_registry().message_kinds.values()
        if kind.preference is not None and set(kind.roles) & roles
    ]


def sign(payload, salt: str) -> str:
    """A URL-safe token of `payload` signed with the app's secret key."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt).dumps(payload)


def unsign(token: str, salt: str, max_age_days: int):
    """The payload of a token made by `sign`; BadToken when it is forged or too old."""
    serializer = URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)
    try:
        return serializer.loads(token, max_age=max_age_days * 86400)
    except (BadSignature, UnicodeError, ValueError) as problem:
        raise BadToken(str(problem)) from problem


def unsubscribe_token(user_id: int, kind: str) -> str:
    """The token of a link that turns `kind` off for the account."""
    return sign([user_id, kind], UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """(user id, kind) of an unsubscribe token; BadToken when forged, expired or unknown."""
    payload = unsign(token, UNSUBSCRIBE_SALT, UNSUBSCRIBE_DAYS)
    if not (
        isinstance(payload, list)
        and len(payload) == 2
        and isinstance(payload[0], int)
        and isinstance(payload[1], str)
    ):
        raise BadToken("unexpected payload")
    user_id, kind = payload
    kind_label(kind)  # a kind that is no longer a choice
    from ..core.models import User

    if db.session.get(User, user_id) is None:
        raise BadToken("unknown account")
    return user_id, kind


def absolute_url(endpoint: str, **values) -> str:
    """An absolute link to `endpoint` for a mail: built from NETVAERK_BASE_URL when it is set
    (a worker has no request, and a mail should not depend on the host a request named), else
    from the request's host (checked by TRUSTED_HOSTS); with neither, relative to the root."""
    base = current_app.config.get("NETVAERK_BASE_URL") or ""
    if not base and has_request_context():
        return url_for(endpoint, _external=True, **values)
    parts = urlsplit(base)
    adapter = current_app.url_map.bind(
        parts.netloc or "localhost",
        script_name=parts.path.rstrip("/") or "/",
        url_scheme=parts.scheme or "https",
    )
    return adapter.build(endpoint, values, force_external=bool(parts.netloc))


def unsubscribe_url(user_id: int, kind: str) -> str:
    """The one-click unsubscribe link for the account and kind (also for the body's footer)."""
    return absolute_url("netvaerk.mail.unsubscribe", token=unsubscribe_token(user_id, kind))


def unsubscribe_headers(user_id: int, kind: str) -> dict[str, str]:
    """RFC 8058 headers: a mail program's "unsubscribe" button POSTs to the link."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(user_id, kind)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
