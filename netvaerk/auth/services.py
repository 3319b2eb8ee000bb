"""Accounts and passwords: hashing, checking, loading the user of a session."""

import gzip
import string
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete
from werkzeug.security import check_password_hash, generate_password_hash

from ..audit.services import record
from ..core.errors import UserError
from ..core.models import EndedSession, User
from ..core.permissions import load_user_with_memberships
from ..core.security import token_hash
from ..extensions import db
from ..timeutil import utcnow

# Danish and local additions to the shipped list of common passwords.
COMMON_PASSWORDS = frozenset(
    """
    123456789012 1234567890123 password1234 password12345 passwordpassword qwertyuiop12
    qwertyuiopas 111111111111 000000000000 iloveyou1234 adminadmin12 letmein12345
    welcome12345 velkommen123 velkommen1234 kodeord12345 adgangskode1 adgangskode12
    sommer2024!! sommer123456 vinter123456 danmark12345 hejmeddig123 abcdefghijkl
    abc123456789 trustno11234 football1234 monkey123456 dragon123456 baseball1234
    velkommen kodeord adgangskode sommer vinter foraar efteraar danmark hejmeddig
    netvaerk netværk jobnetvaerk jobnetværk kobenhavn københavn aarhus odense
    """.split()
)
# 20,000 common passwords (Royce Williams' list as shipped by Django; see data/NOTICE.txt).
COMMON_PASSWORDS_FILE = Path(__file__).with_name("data") / "common-passwords.txt.gz"
_PADDING = string.digits + string.punctuation + string.whitespace


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords plus the local additions, lower-cased."""
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as handle:
        shipped = {line.strip().lower() for line in handle if line.strip()}
    return frozenset(shipped | COMMON_PASSWORDS)


def is_common_password(password: str) -> bool:
    """True for a listed password, a listed word padded with digits or signs
    ("Password1234!"), one repeated ("passwordpassword"), or a short pattern repeated."""
    listed = common_passwords()
    lowered = password.lower()
    for candidate in {lowered, lowered.strip(_PADDING)}:
        if not candidate:
            continue
        unit = _repeated_unit(candidate)
        if candidate in listed or len(unit) <= 4 or unit in listed:
            return True
    return len(set(lowered)) < 4


def _repeated_unit(text: str) -> str:
    """The shortest piece that `text` is a repetition of ("abcabc" -> "abc")."""
    for size in range(1, len(text) // 2 + 1):
        if len(text) % size == 0 and text[:size] * (len(text) // size) == text:
            return text[:size]
    return text


@cache
def _dummy_hash(method: str) -> str:
    return generate_password_hash("netvaerk-timing-equaliser", method=method)


def hash_password(password: str) -> str:
    """Hash a password with Werkzeug's scrypt."""
    return generate_password_hash(
        password, method=current_app.config["NETVAERK_PASSWORD_HASH_METHOD"]
    )


def password_problem(password: str) -> str | None:
    """Return why a new password is not acceptable, or None (message id, translated by caller)."""
    minimum = current_app.config["NETVAERK_PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        return "too_short"
    if is_common_password(password):
        return "too_common"
    return None


def authenticate(email: str, password: str) -> User | None:
    """Return the enabled user with this e-mail and password, in constant time, else None."""
    user = db.session.execute(
        db.select(User).where(User.email == email.strip().lower())
    ).scalar_one_or_none()
    if user is None or not user.password_hash:
        # Check a dummy hash of the same method, so both answers take the same time.
        check_password_hash(
            _dummy_hash(current_app.config["NETVAERK_PASSWORD_HASH_METHOD"]), password
        )
        return None
    if not check_password_hash(user.password_hash, password) or not user.is_enabled:
        return None
    return user


def load_user_from_session(session_id: str, browser_session: str | None = None) -> User | None:
    """Flask-Login's loader: the id carries the session version (`"<id>:<version>"`); None
    too when `browser_session` (the random id of this login) has logged out."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    ended_hash = token_hash(browser_session) if browser_session else ""
    user = load_user_with_memberships(int(user_id), ended_hash)
    if user is None or user.session_version != int(version) or not user.is_enabled:
        return None
    return user


def note_login(user: User) -> None:
    """Record a successful login."""
    user.last_login_at = utcnow()
    record("login.success", user_id=user.id, subject_type="user", subject_id=user.id)
    db.session.flush()


def note_failed_login(email: str) -> None:
    """Record a failed login without storing the password or a full unknown address.

    Committed here, not by the request: a failed login is kept whatever the page answers."""
    user = db.session.execute(
        db.select(User).where(User.email == email.strip().lower())
    ).scalar_one_or_none()
    record(
        "login.failure",
        subject_type="user",
        subject_id=user.id if user else None,
        detail=None if user else "unknown account",
    )
    db.session.flush()


def change_password(user: User, new_password: str) -> None:
    """Set a new password and end every other session of the user."""
    user.password_hash = hash_password(new_password)
    user.session_version += 1
    record("password.change", subject_type="user", subject_id=user.id)
    db.session.flush()


def change_own_password(user: User, current_password: str, new_password: str) -> None:
    """A user changes their own password: the current one must be right, the new one good."""
    if not check_password_hash(user.password_hash or "", current_password):
        raise UserError(_l("The current password is wrong."), field="current_password")
    problem = password_problem(new_password)
    if problem == "too_short":
        minimum = current_app.config["NETVAERK_PASSWORD_MIN_LENGTH"]
        raise UserError(_l("Use at least %(n)d characters.", n=minimum), field="new_password")
    if problem == "too_common":
        raise UserError(
            _l("This password is too common. Choose one that is harder to guess."),
            field="new_password",
        )
    change_password(user, new_password)


def end_session(user: User, session_id: str | None, now: datetime, keep_hours: int) -> None:
    """Log out one browser session: its id is stored (hashed), so a copy of its signed cookie
    is refused too, while the account's other sessions go on. Ended ids older than
    `keep_hours` (the longest a session lives) are pruned: their cookies have expired."""
    if session_id:
        db.session.execute(
            delete(EndedSession).where(EndedSession.ended_at < now - timedelta(hours=keep_hours))
        )
        db.session.add(EndedSession(session_hash=token_hash(session_id), ended_at=now))
    record("logout", subject_type="user", subject_id=user.id, user_id=user.id)
    db.session.flush()


def end_sessions(user: User) -> None:
    """Log out everywhere: every cookie of the account carries the old session version."""
    user.session_version += 1
    record("logout.everywhere", subject_type="user", subject_id=user.id, user_id=user.id)
    db.session.flush()


def create_user(email: str, password: str, name: str = "", is_admin: bool = False) -> User:
    """Create a staff account (the caller checks the password first)."""
    user = User(
        email=email.strip().lower(),
        name=name,
        password_hash=hash_password(password),
        is_admin=is_admin,
    )
    db.session.add(user)
    db.session.flush()
    return user


def is_kiosk_account(user: User) -> bool:
    """A kiosk account: holds only kiosk roles and is not a site administrator."""
    roles = {membership.role for membership in user.memberships}
    return not user.is_admin and roles == {"kiosk"}
