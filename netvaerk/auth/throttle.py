"""Login throttling that counts failures, not people (README, "Login throttling").

Three limits guard POST /login (Flask-Limiter, counted in its storage atomically), and all three
count failed attempts only: a successful login never counts against anyone.

* per address: NETVAERK_RATELIMIT_LOGIN_ADDRESS (one address trying many accounts). Generous,
  because a centre's staff and its tablet share one address behind the router; a known device of
  the account tried and the kiosk account are exempt, so neither is locked out by failures of
  other people at the same address;
* per account and client: NETVAERK_RATELIMIT_LOGIN. The client is the account's known device
  when it is one (so failures of others, even at its own address, never block it), else the
  address;
* per account, from unknown clients only: NETVAERK_RATELIMIT_LOGIN_ACCOUNT (many addresses
  guessing one password).

A known client is exempt from the account-wide limit, so the right password from the account's
own device or network still gets in while strangers are guessing: a device that logged in to
the account before (a signed "device cookie", OWASP's device-cookie pattern), or an address
the account logged in from successfully within NETVAERK_KNOWN_ADDRESS_DAYS (the audit trail).
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from flask import current_app, g, request, url_for
from flask_limiter.util import get_remote_address
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..audit.models import AuditEvent
from ..core.models import User
from ..extensions import db
from ..timeutil import utcnow

DEVICE_COOKIE = "netvaerk_device"
DEVICE_SALT = "netvaerk-known-device"
# How many accounts one device remembers (a shared office PC).
DEVICE_ACCOUNTS = 5


def address_limit() -> str:
    """The limit of failed logins per address."""
    return current_app.config["NETVAERK_RATELIMIT_LOGIN_ADDRESS"]


def login_limit() -> str:
    """The limit of failed logins per account and client."""
    return current_app.config["NETVAERK_RATELIMIT_LOGIN"]


def account_limit() -> str:
    """The limit per account for clients the account does not know."""
    return current_app.config["NETVAERK_RATELIMIT_LOGIN_ACCOUNT"]


def _email() -> str:
    return (request.form.get("email") or "").strip().lower()[:254]


def _hashed(text: str) -> str:
    """Keys of the limiter's storage name no e-mail address in clear (it may be Redis)."""
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def account_key() -> str:
    """The limiter key of the account tried."""
    return "login-account:" + _hashed(_email())


def account_client_key() -> str:
    """The limiter key of the account tried from this client: its known device (a hash of the
    signed cookie), else its address."""
    if known_device():
        device = _hashed(request.cookies.get(DEVICE_COOKIE, ""))
        return f"login-account-device:{_hashed(_email())}:{device}"
    return f"login-account-address:{_hashed(_email())}:{get_remote_address()}"


def exempt_from_address_limit() -> bool:
    """The account's known device, and the kiosk account, never wait for other people's
    failures at a shared address (their own failures are still counted per account)."""
    account = _account()
    return account is not None and (account.id in device_accounts() or _is_kiosk(account))


def _account() -> User | None:
    """The account the e-mail names (looked up once per request)."""
    if "netvaerk_login_account" not in g:
        email = _email()
        g.netvaerk_login_account = (
            db.session.execute(db.select(User).where(User.email == email)).scalar()
            if email
            else None
        )
    return g.netvaerk_login_account


def _is_kiosk(account: User) -> bool:
    from .services import is_kiosk_account

    return is_kiosk_account(account)


def known_device() -> bool:
    """True when this device logged in to the account tried before."""
    account = _account()
    return account is not None and account.id in device_accounts()


def failed(response) -> bool:
    """A login attempt that did not log in (success redirects)."""
    return response.status_code not in (301, 302, 303)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=DEVICE_SALT)


def _device_days() -> int:
    return int(current_app.config["NETVAERK_KNOWN_DEVICE_DAYS"])


def device_accounts() -> list[int]:
    """The accounts that logged in on this device before (from its signed cookie)."""
    value = request.cookies.get(DEVICE_COOKIE)
    if not value:
        return []
    try:
        ids = _serializer().loads(value, max_age=_device_days() * 86400)
    except BadSignature:
        return []
    return [i for i in ids if isinstance(i, int)] if isinstance(ids, list) else []


def remember_device(response, user_id: int) -> None:
    """After a successful login: the device is known to the account from now on."""
    ids = [user_id, *[i for i in device_accounts() if i != user_id]][:DEVICE_ACCOUNTS]
    response.set_cookie(
        DEVICE_COOKIE,
        _serializer().dumps(ids),
        max_age=_device_days() * 86400,
        path=url_for("netvaerk.auth.login"),
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        httponly=True,
        samesite="Lax",
    )


def known_client() -> bool:
    """True when the account tried knows this device or this address."""
    account = _account()
    if account is None:
        return False
    user_id = account.id
    if user_id in device_accounts():
        return True
    since = utcnow() - timedelta(days=int(current_app.config["NETVAERK_KNOWN_ADDRESS_DAYS"]))
    seen = db.session.execute(
        db.select(AuditEvent.id)
        .where(
            AuditEvent.action == "login.success",
            AuditEvent.subject_type == "user",
            AuditEvent.subject_id == user_id,
            AuditEvent.ip_address == request.remote_addr,
            AuditEvent.created_at >= since,
        )
        .limit(1)
    ).first()
    return seen is not None
