"""Invitations for new facilitators: a secret link, accepting it (a new or an existing
account), revoking and listing the open ones."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from werkzeug.security import check_password_hash

from ..audit.services import record
from ..auth.services import create_user, password_problem
from ..core.locks import refused_as
from ..core.models import Membership, User
from ..core.security import token_hash
from ..extensions import db
from .errors import ActivityProblem
from .models import (
    Invitation,
)

# --- invitations ----------------------------------------------------------------------------


def create_invitation(
    network_id: int, email: str, name: str, by_user_id: int, now_utc: datetime, hours: int
) -> tuple[Invitation, str]:
    """A new invitation and its secret token (the token itself is never stored)."""
    email = email.strip().lower()
    existing = db.session.execute(
        db.select(Membership.id)
        .join(User, User.id == Membership.user_id)
        .where(User.email == email, Membership.network_id == network_id)
    ).first()
    if existing:
        raise ActivityProblem(_l("This person already has a role in the network."), "email")
    db.session.execute(
        update(Invitation)
        .where(
            Invitation.network_id == network_id,
            Invitation.email == email,
            Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .values(revoked_at=now_utc)
    )
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        network_id=network_id,
        email=email,
        name=name.strip(),
        token_hash=token_hash(token),
        created_by_id=by_user_id,
        created_at=now_utc,
        expires_at=now_utc + timedelta(hours=hours),
    )
    db.session.add(invitation)
    db.session.flush()
    record(
        "invitation.create",
        network_id=network_id,
        subject_type="invitation",
        subject_id=invitation.id,
    )
    db.session.flush()
    return invitation, token


def find_invitation(token: str) -> Invitation | None:
    """The invitation a link's token belongs to, if any."""
    return db.session.execute(
        db.select(Invitation).where(Invitation.token_hash == token_hash(token))
    ).scalar_one_or_none()


def invitation_problem(invitation: Invitation | None, now_utc: datetime):
    """Why an invitation link cannot be used (a translated message), or None."""
    if invitation is None or invitation.revoked_at is not None:
        return _l("This invitation link is not valid. Ask the coordinator for a new one.")
    if invitation.used_at is not None:
        return _l("This invitation has already been used. Log in with your e-mail and password.")
    if invitation.expires_at <= now_utc:
        return _l("This invitation has expired. Ask the coordinator for a new one.")
    return None


def existing_account(invitation: Invitation) -> User | None:
    """The account that already has the invited e-mail address, if any."""
    return db.session.execute(
        db.select(User).where(User.email == invitation.email)
    ).scalar_one_or_none()


def accept_invitation(invitation: Invitation, password: str, name: str, now_utc: datetime) -> User:
    """Use the invitation: set up the account (or check its password) and make it facilitator."""
    problem = invitation_problem(invitation, now_utc)
    if problem:
        raise ActivityProblem(problem)
    user = existing_account(invitation)
    if user is not None:
        if not user.password_hash or not check_password_hash(user.password_hash, password):
            raise ActivityProblem(_l("The password is wrong."), "password")
    else:
        issue = password_problem(password)
        if issue == "too_short":
            raise ActivityProblem(
                _l(
                    "Use at least %(n)d characters.",
                    n=current_app.config["NETVAERK_PASSWORD_MIN_LENGTH"],
                ),
                "password",
            )
        if issue == "too_common":
            raise ActivityProblem(
                _l("This password is too common. Choose one that is harder to guess."),
                "password",
            )
    # Claim the invitation first: of two clicks at once only one finds it unused.
    claimed = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.used_at.is_(None))
        .values(used_at=now_utc)
    ).rowcount
    used_meanwhile = ActivityProblem(
        _l("This invitation has already been used. Log in with your e-mail and password.")
    )
    if claimed != 1:  # nothing was changed: the request's boundary rolls back the rest
        raise used_meanwhile
    with refused_as(used_meanwhile):
        if user is None:
            user = create_user(invitation.email, password, name=name.strip() or invitation.name)
        db.session.add(
            Membership(user_id=user.id, network_id=invitation.network_id, role="facilitator")
        )
        db.session.execute(
            update(Invitation).where(Invitation.id == invitation.id).values(user_id=user.id)
        )
        record(
            "invitation.accept",
            network_id=invitation.network_id,
            subject_type="user",
            subject_id=user.id,
            user_id=user.id,
        )
    return user


def revoke_invitation(invitation: Invitation, now_utc: datetime) -> None:
    """Withdraw an unused invitation."""
    if invitation.used_at is None:
        invitation.revoked_at = now_utc
        db.session.flush()


def open_invitations(network_id: int, now_utc: datetime) -> list[Invitation]:
    """Invitations not used, revoked or expired."""
    return db.session.scalars(
        db.select(Invitation)
        .where(
            Invitation.network_id == network_id,
            Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now_utc,
        )
        .order_by(Invitation.created_at.desc())
    ).all()
