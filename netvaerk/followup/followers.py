"""Follow-up on a need-to-know basis: a coordinator names the facilitators who follow a
resident (mentor, job consultant, contact); coordinators and those facilitators see the
resident's follow-up, no other facilitator does."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..audit.services import record_about_participant
from ..core.errors import UserError
from ..core.locks import lock_or_vanished
from ..core.models import Membership, User
from ..extensions import db
from ..participants.models import Participant
from .models import FOLLOWER_ROLES, Follower


def may_follow(participant_id: int, user_id: int, role: str | None) -> bool:
    """True when `user_id` (in `role`) may see and keep the resident's follow-up."""
    if role == "coordinator":
        return True
    if role != "facilitator":
        return False
    found = db.session.execute(
        select(Follower.id).where(
            Follower.participant_id == participant_id, Follower.user_id == user_id
        )
    ).first()
    return found is not None


def followers_of(participant_id: int) -> list[Follower]:
    """The facilitators named to follow the resident, in the order named."""
    return list(
        db.session.execute(
            select(Follower).where(Follower.participant_id == participant_id).order_by(Follower.id)
        ).scalars()
    )


def facilitators_of(network_id: int) -> list[User]:
    """The network's facilitators, by name: the people a coordinator can name."""
    return list(
        db.session.execute(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.network_id == network_id, Membership.role == "facilitator")
            .order_by(User.name, User.email, User.id)
        ).scalars()
    )


def name_follower(participant: Participant, user_id: int, role: str, by_user_id: int) -> Follower:
    """Name a facilitator of the resident's network to follow them."""
    if role not in FOLLOWER_ROLES:
        raise UserError(_l("Choose what the facilitator is to the resident."), field="role")
    if user_id not in {u.id for u in facilitators_of(participant.network_id)}:
        raise UserError(_l("Choose a facilitator of the network."), field="user_id")
    follower = Follower(
        network_id=participant.network_id,
        participant_id=participant.id,
        user_id=user_id,
        role=role,
    )
    try:
        with db.session.begin_nested():
            db.session.add(follower)
    except IntegrityError as clash:
        raise UserError(
            _l("That facilitator already follows the resident."), field="user_id"
        ) from clash
    record_about_participant(
        "followup.follower", participant, detail=f"named user {user_id}", user_id=by_user_id
    )
    return follower


def remove_follower(follower: Follower, by_user_id: int) -> None:
    """The facilitator no longer follows the resident (and no longer sees their follow-up).
    A second click on "remove" while the first is saved answers 404 (Vanished)."""
    lock_or_vanished(follower, "role")
    record_about_participant(
        "followup.follower",
        follower,
        detail=f"removed user {follower.user_id}",
        user_id=by_user_id,
    )
    db.session.delete(follower)
    db.session.flush()
