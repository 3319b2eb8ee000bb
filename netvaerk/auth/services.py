"""Accounts and passwords: hashing, checking, loading the user of a session."""

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from ..audit.services import record
from ..core.models import User
from ..extensions import db
from ..timeutil import utcnow

# Checked when the e-mail is unknown, so that both answers take the same time.
_DUMMY_HASH = generate_password_hash("netvaerk-timing-equaliser")

COMMON_PASSWORDS = frozenset(
    """
    123456789012 1234567890123 password1234 password12345 passwordpassword qwertyuiop12
    qwertyuiopas 111111111111 000000000000 iloveyou1234 adminadmin12 letmein12345
    welcome12345 velkommen123 velkommen1234 kodeord12345 adgangskode1 adgangskode12
    sommer2024!! sommer123456 vinter123456 danmark12345 hejmeddig123 abcdefghijkl
    abc123456789 trustno11234 football1234 monkey123456 dragon123456 baseball1234
    """.split()
)


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
    if password.lower() in COMMON_PASSWORDS or len(set(password)) < 4:
        return "too_common"
    return None


def authenticate(email: str, password: str) -> User | None:
    """Return the enabled user with this e-mail and password, in constant time, else None."""
    user = db.session.execute(
        db.select(User).where(User.email == email.strip().lower())
    ).scalar_one_or_none()
    if user is None or not user.password_hash:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.is_enabled:
        return None
    return user


def load_user_from_session(session_id: str) -> User | None:
    """Flask-Login's loader: the id carries the session version (`"<id>:<version>"`)."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version) or not user.is_enabled:
        return None
    return user


def note_login(user: User) -> None:
    """Record a successful login."""
    user.last_login_at = utcnow()
    record("login.success", user_id=user.id, subject_type="user", subject_id=user.id)
    db.session.commit()


def note_failed_login(email: str) -> None:
    """Record a failed login without storing the password or a full unknown address."""
    user = db.session.execute(
        db.select(User).where(User.email == email.strip().lower())
    ).scalar_one_or_none()
    record(
        "login.failure",
        subject_type="user",
        subject_id=user.id if user else None,
        detail=None if user else "unknown account",
    )
    db.session.commit()


def change_password(user: User, new_password: str) -> None:
    """Set a new password and end every other session of the user."""
    user.password_hash = hash_password(new_password)
    user.session_version += 1
    record("password.change", subject_type="user", subject_id=user.id)
    db.session.commit()


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
