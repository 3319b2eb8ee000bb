"""Services for the site administrator: roles in networks and enabling or disabling accounts.

Every change is recorded in the audit trail with ids only (no names), in the same
transaction; the request commits.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from .. import timeutil
from ..audit.services import record
from ..core.errors import UserError
from ..core.locks import lock_or_vanished
from ..core.models import ROLES, Membership, Network, User
from ..core.registry import MEMBERSHIP_ENDED, notify
from ..extensions import db

# The roles that can run activities; changing to another role ends that.
ACTIVITY_ROLES = ("coordinator", "facilitator")


class AccountError(UserError):
    """A change to an account that the rules do not allow."""


def set_role(user: User, network: Network, role: str) -> str:
    """Give `user` the `role` in `network`, or change the role held there.

    Returns "granted", "changed" or "unchanged".
    """
    if role not in ROLES:
        raise AccountError(_l("Choose a role from the list."), field="role")
    membership = _membership(user.id, network.id)
    if membership is not None and membership.role == role:
        return "unchanged"
    if membership is None:
        try:
            with db.session.begin_nested():
                db.session.add(Membership(user_id=user.id, network_id=network.id, role=role))
        except IntegrityError:  # a second click granted a role at the same moment
            if _membership(user.id, network.id) is None:
                raise
            return set_role(user, network, role)
        _record_role("role.grant", network.id, user.id, f"role={role}")
        return "granted"
    _record_role("role.change", network.id, user.id, f"from={membership.role} to={role}")
    membership.role = role
    if role not in ACTIVITY_ROLES:
        _membership_ended(user.id, network.id)
    db.session.flush()
    return "changed"


def remove_role(membership: Membership) -> None:
    """Take a user's role in a network away."""
    lock_or_vanished(membership, "role")
    _record_role(
        "role.remove", membership.network_id, membership.user_id, f"role={membership.role}"
    )
    _membership_ended(membership.user_id, membership.network_id)
    db.session.delete(membership)
    db.session.flush()


def _record_role(action: str, network_id: int, user_id: int, detail: str) -> None:
    record(action, network_id=network_id, subject_type="user", subject_id=user_id, detail=detail)


def set_enabled(user: User, enabled: bool, acting_user_id: int | None) -> bool:
    """Enable or disable an account; disabling ends its sessions at once.

    Returns False when nothing changed. Administrators cannot disable themselves.
    """
    if not enabled and user.id == acting_user_id:
        raise AccountError(_l("You cannot disable your own account."))
    if user.is_enabled == enabled:
        return False
    user.is_enabled = enabled
    if not enabled:
        user.session_version += 1
        _membership_ended(user.id, None)
    record(
        "account.enable" if enabled else "account.disable", subject_type="user", subject_id=user.id
    )
    db.session.flush()
    return True


def _membership_ended(user_id: int, network_id: int | None) -> None:
    """Tell the capabilities that the user can no longer work in the network (None: any), so
    that e.g. their future places on activities are freed in the same transaction."""
    notify(MEMBERSHIP_ENDED, user_id=user_id, network_id=network_id, now=timeutil.local_now())


def _membership(user_id: int, network_id: int) -> Membership | None:
    return db.session.execute(
        db.select(Membership).where(
            Membership.user_id == user_id, Membership.network_id == network_id
        )
    ).scalar_one_or_none()


def accounts_overview() -> list[tuple[User, list[Membership]]]:
    """Every account with its memberships, ordered by e-mail."""
    users = db.session.execute(db.select(User).order_by(User.email)).scalars().all()
    memberships = db.session.execute(db.select(Membership)).scalars().all()
    by_user: dict[int, list[Membership]] = {}
    for membership in memberships:
        by_user.setdefault(membership.user_id, []).append(membership)
    return [(user, by_user.get(user.id, [])) for user in users]
