"""Accounts from an intranet's word: find or link the staff account, and give it the roles
its groups map to. Everything is checked before anything is written."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import _

from ..audit.services import record
from ..core.errors import UserError
from ..core.models import Membership, Network, User
from ..core.transaction import once_more_after_a_clash
from ..extensions import db
from ..timeutil import utcnow
from .models import Identity, ManagedMembership
from .settings import ROLE_RANK, group_roles


class SignInRefused(UserError):
    """The intranet's answer cannot sign anyone in; nothing was created or changed."""


@dataclass(frozen=True)
class Claims:
    """What the intranet says about the person (an ID token, a proxy's headers, the host)."""

    issuer: str
    subject: str
    email: str = ""
    name: str = ""
    groups: tuple[str, ...] = field(default_factory=tuple)
    email_verified: bool | None = None
    # False: the source says nothing about groups, so roles are left as they are.
    has_groups: bool = True


def grants_for(groups: Iterable[str]) -> dict[int, str]:
    """Network id -> role from the user's groups (the strongest role when several map to one
    network). A group meant for netvaerk that maps to no network refuses the sign-in."""
    mapping = group_roles(current_app.config)
    prefix = current_app.config["NETVAERK_SSO_GROUP_PREFIX"]
    wanted: dict[str, str] = {}
    for group in groups:
        if group not in mapping:
            if prefix and group.startswith(prefix):
                raise SignInRefused(
                    _(
                        "Your intranet group %(group)s does not match any network in netvaerk. "
                        "Ask the administrator to add it.",
                        group=group,
                    )
                )
            continue
        network_name, role = mapping[group]
        if ROLE_RANK[role] > ROLE_RANK.get(wanted.get(network_name, ""), 0):
            wanted[network_name] = role
    if not wanted:
        return {}
    networks = dict(
        db.session.execute(
            db.select(Network.name, Network.id).where(Network.name.in_(wanted))
        ).all()
    )
    missing = sorted(set(wanted) - set(networks))
    if missing:
        raise SignInRefused(
            _(
                "Your intranet group names the network %(name)s, which does not exist in "
                "netvaerk. Ask the administrator.",
                name=missing[0],
            )
        )
    return {networks[name]: role for name, role in wanted.items()}


def sign_in(claims: Claims) -> User:
    """The account for these claims, created or linked on first sign-in, with its roles in
    step with the groups. Raises SignInRefused before any change."""
    if not claims.subject:
        raise SignInRefused(_("The intranet did not say who you are. Try again."))
    grants = grants_for(claims.groups) if claims.has_groups else None
    identity = db.session.execute(
        db.select(Identity).where(
            Identity.issuer == claims.issuer, Identity.subject == claims.subject
        )
    ).scalar_one_or_none()
    user = db.session.get(User, identity.user_id) if identity is not None else None
    if user is None:
        user = _account_by_email(claims, grants)
    if not user.is_enabled:
        raise SignInRefused(_("Your account is disabled. Ask the administrator."))
    if identity is None:
        identity = Identity(user_id=user.id, issuer=claims.issuer, subject=claims.subject)
        db.session.add(identity)
        record("sso.link", subject_type="user", subject_id=user.id, user_id=user.id)
    identity.last_login_at = utcnow()
    if grants is not None:
        apply_grants(user, grants)
    db.session.flush()
    return user


def _account_by_email(claims: Claims, grants: dict[int, str] | None) -> User:
    """The existing account with the claimed e-mail, or a new one (only with a role)."""
    email = claims.email.strip().lower()
    if not email:
        raise SignInRefused(_("The intranet did not send your e-mail address. Ask its support."))
    if claims.email_verified is False:
        raise SignInRefused(
            _("The intranet has not confirmed your e-mail address, so it cannot be linked.")
        )
    user = db.session.execute(db.select(User).where(User.email == email)).scalar_one_or_none()
    if user is not None:
        return user
    if grants == {}:
        raise SignInRefused(
            _("You have no role in any network in netvaerk. Ask the administrator.")
        )
    user = User(email=email[:254], name=claims.name[:120], password_hash=None)
    db.session.add(user)
    db.session.flush()
    record("sso.account_created", subject_type="user", subject_id=user.id, user_id=user.id)
    return user


def apply_grants(user: User, grants: dict[int, str]) -> None:
    """Make the roles that came from groups match `grants`; roles granted by hand stay."""
    grants = dict(grants)
    managed = set(
        db.session.execute(
            db.select(ManagedMembership.membership_id)
            .join(Membership, Membership.id == ManagedMembership.membership_id)
            .where(Membership.user_id == user.id)
        ).scalars()
    )
    memberships = db.session.execute(
        db.select(Membership).where(Membership.user_id == user.id)
    ).scalars()
    for membership in list(memberships):
        role = grants.pop(membership.network_id, None)
        if role is None:
            if membership.id in managed:
                _remove(membership)
            continue
        if membership.role != role:
            _audit_role(
                "role.change",
                membership.network_id,
                user.id,
                f"from={membership.role} to={role} (intranet group)",
            )
            membership.role = role
        if membership.id not in managed:
            db.session.add(ManagedMembership(membership_id=membership.id))
    for network_id, role in grants.items():
        membership = Membership(user_id=user.id, network_id=network_id, role=role)
        db.session.add(membership)
        db.session.flush()
        db.session.add(ManagedMembership(membership_id=membership.id))
        _audit_role("role.grant", network_id, user.id, f"role={role} (intranet group)")


def _audit_role(action: str, network_id: int, user_id: int, detail: str) -> None:
    """Audit a role the intranet's groups changed: the user is both subject and actor."""
    record(
        action,
        network_id=network_id,
        subject_type="user",
        subject_id=user_id,
        detail=detail,
        user_id=user_id,
    )


def _remove(membership: Membership) -> None:
    _audit_role(
        "role.remove",
        membership.network_id,
        membership.user_id,
        f"role={membership.role} (intranet group removed)",
    )
    db.session.execute(
        db.delete(ManagedMembership).where(ManagedMembership.membership_id == membership.id)
    )
    db.session.delete(membership)


def sign_in_racing(claims: Claims) -> User:
    """`sign_in`, once more when a simultaneous first sign-in of the same person created the
    account or link first (the database's unique constraints refuse the second copy). A
    sign-in is the first change of its request, so the boundary may roll it back and retry
    (`core.transaction.once_more_after_a_clash`)."""
    return once_more_after_a_clash(lambda: sign_in(claims))
