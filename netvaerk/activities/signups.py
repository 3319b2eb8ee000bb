"""Facilitators' places on activities: signing up, the wait list, withdrawing (late or not)
and the coordinators' late-cancellation notices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_
from sqlalchemy.orm import joinedload

from ..audit.services import record
from ..core.locks import lock_row, refused_as
from ..core.models import Membership, User
from ..extensions import db
from .errors import ActivityProblem
from .models import (
    Activity,
    Cancellation,
    SignUp,
    WaitlistEntry,
)


def notice_hours(network) -> int:
    """Hours before the start within which cancelling is late: the network's own setting."""
    return network.cancel_notice_hours


def set_notice_hours(network, hours: int) -> None:
    """Change the network's notice period (0 to 720 hours)."""
    if not 0 <= hours <= 720:
        raise ActivityProblem(_l("Give the notice period in hours, from 0 to 720."), "hours")
    network.cancel_notice_hours = hours
    db.session.flush()


# --- sign-ups -------------------------------------------------------------------------------


def _check_bookable(activity: Activity, now: datetime) -> None:
    if activity.is_off:
        raise ActivityProblem(_l("This activity is cancelled. You cannot sign up for it."))
    if activity.starts_at <= now:
        raise ActivityProblem(_l("This activity has already started. You cannot sign up for it."))


def can_run_activities(user_id: int, network_id: int) -> bool:
    """True for an enabled account that is a facilitator or coordinator in the network."""
    return (
        db.session.execute(
            db.select(Membership.id)
            .join(User, User.id == Membership.user_id)
            .where(
                Membership.user_id == user_id,
                Membership.network_id == network_id,
                Membership.role.in_(("facilitator", "coordinator")),
                User.is_enabled.is_(True),
            )
        ).first()
        is not None
    )


def sign_up(activity_id: int, user_id: int, now: datetime) -> str:
    """Give the user the lowest free place, or a place on the wait list.

    Returns "signed_up", "already" (had a place) or "waitlisted". The activity's row is locked
    first, so two people clicking at once are served one after the other; the seat number is
    unique per activity and within its places in the database, so even a writer that skipped
    the lock could never over-fill it.
    """
    lock_row(Activity, activity_id, "was_held")
    activity = db.session.get(Activity, activity_id, populate_existing=True)
    if activity is None:
        raise ActivityProblem(_l("The activity no longer exists."))
    _check_bookable(activity, now)
    if not can_run_activities(user_id, activity.network_id):
        raise ActivityProblem(_l("Only the network's facilitators can take a place."))
    holders, free = free_seats(activity)
    if user_id in holders:
        return "already"
    if not free:
        if activity.has_waitlist:
            return _join_waitlist(activity, user_id)
        raise ActivityProblem(
            _l("Sorry, someone else just took the last place. This activity is full.")
        )
    db.session.execute(
        db.delete(WaitlistEntry).where(
            WaitlistEntry.activity_id == activity_id, WaitlistEntry.user_id == user_id
        )
    )
    with _seat_taken_as_busy():
        db.session.add(
            SignUp(
                network_id=activity.network_id,
                activity_id=activity_id,
                user_id=user_id,
                seat=free[0],
                places=activity.facilitators_needed,
            )
        )
    record(
        "activity.signup",
        network_id=activity.network_id,
        subject_type="activity",
        subject_id=activity_id,
        user_id=user_id,
    )
    return "signed_up"


def _seat_taken_as_busy():
    """The block's changes in a savepoint: a seat taken by a writer that did not wait for the
    lock undoes them and refuses the sign-up."""
    return refused_as(
        ActivityProblem(_l("Many people are signing up right now. Please try again."))
    )


def free_seats(activity: Activity) -> tuple[set[int], list[int]]:
    """The users holding a place, and the free seat numbers (1 … needed), read now."""
    rows = db.session.execute(
        db.select(SignUp.seat, SignUp.user_id).where(SignUp.activity_id == activity.id)
    ).all()
    taken = {row.seat for row in rows}
    free = [s for s in range(1, activity.facilitators_needed + 1) if s not in taken]
    return {row.user_id for row in rows}, free


def _join_waitlist(activity: Activity, user_id: int) -> str:
    waiting = db.session.execute(
        db.select(WaitlistEntry.id).where(
            WaitlistEntry.activity_id == activity.id, WaitlistEntry.user_id == user_id
        )
    ).first()
    if waiting is None:  # not a double click
        with _seat_taken_as_busy():
            db.session.add(
                WaitlistEntry(
                    network_id=activity.network_id, activity_id=activity.id, user_id=user_id
                )
            )
    return "waitlisted"


def leave_waitlist(activity: Activity, user_id: int) -> None:
    """Take the user off the activity's wait list."""
    db.session.execute(
        db.delete(WaitlistEntry).where(
            WaitlistEntry.activity_id == activity.id, WaitlistEntry.user_id == user_id
        )
    )
    db.session.flush()


def promote_from_waitlist(activity: Activity) -> list[int]:
    """Move waiting people onto free seats (first come first served); only flushes.

    Returns the ids of the users who got a place.
    """
    waiting = db.session.scalars(
        db.select(WaitlistEntry)
        .where(WaitlistEntry.activity_id == activity.id)
        .order_by(WaitlistEntry.id)
    ).all()
    if not waiting:
        return []
    taken = set(
        db.session.execute(
            db.select(SignUp.seat).where(SignUp.activity_id == activity.id)
        ).scalars()
    )
    free = [s for s in range(1, activity.facilitators_needed + 1) if s not in taken]
    promoted = []
    waiting_iter = iter(waiting)
    for seat in free:
        # Claim the entry with a conditional delete: of two cancellations at once, only one
        # moves a given person up.
        for entry in waiting_iter:
            claimed = db.session.execute(
                db.delete(WaitlistEntry).where(WaitlistEntry.id == entry.id)
            ).rowcount
            if claimed == 1:
                break
        else:
            break
        db.session.add(
            SignUp(
                network_id=activity.network_id,
                activity_id=activity.id,
                user_id=entry.user_id,
                seat=seat,
                places=activity.facilitators_needed,
            )
        )
        promoted.append(entry.user_id)
    db.session.flush()
    return promoted


def is_late(activity: Activity, now: datetime, hours: int) -> bool:
    """True when the activity starts within the notice period."""
    return activity.starts_at - now < timedelta(hours=hours)


@dataclass
class Withdrawal:
    """What happened when someone withdrew."""

    cancellation: Cancellation
    promoted: list[User]


def withdraw(
    activity: Activity, user_id: int, reason: str, now: datetime, notice: int
) -> Withdrawal:
    """Give up a place; late ones need a reason; the next on the wait list moves up."""
    lock_row(Activity, activity.id, "was_held")
    signup = db.session.execute(
        db.select(SignUp).where(SignUp.activity_id == activity.id, SignUp.user_id == user_id)
    ).scalar_one_or_none()
    if signup is None:
        raise ActivityProblem(_l("You are not signed up for this activity."))
    if activity.starts_at <= now:
        raise ActivityProblem(
            _l("The activity has already started. Tell the coordinator if you could not come.")
        )
    late = is_late(activity, now, notice)
    reason = (reason or "").strip()
    if late and not reason:
        raise ActivityProblem(
            _l("The activity is soon. Tell the coordinator why you cancel."), field="reason"
        )
    cancellation = Cancellation(
        network_id=activity.network_id,
        activity_id=activity.id,
        user_id=user_id,
        reason=reason,
        is_late=late,
    )
    db.session.add(cancellation)
    promoted_ids = release_seat(activity, signup)
    record(
        "activity.withdraw",
        network_id=activity.network_id,
        subject_type="activity",
        subject_id=activity.id,
        detail="late" if late else None,
    )
    promoted = [db.session.get(User, uid) for uid in promoted_ids]
    return Withdrawal(cancellation, promoted)


def release_seat(activity: Activity, signup: SignUp) -> list[int]:
    """Free a seat and move the wait list up; returns who got a place (caller holds the lock)."""
    db.session.delete(signup)
    db.session.flush()
    db.session.expire(activity, ["signups"])
    with _seat_taken_as_busy():
        promoted = promote_from_waitlist(activity) if activity.has_waitlist else []
    return promoted


def late_cancellations(network_id: int) -> list[Cancellation]:
    """Late cancellations the coordinators have not dismissed yet."""
    return db.session.scalars(
        db.select(Cancellation)
        .where(
            Cancellation.network_id == network_id,
            Cancellation.is_late.is_(True),
            Cancellation.acknowledged_at.is_(None),
        )
        .options(joinedload(Cancellation.activity), joinedload(Cancellation.user))
        .order_by(Cancellation.created_at.desc())
    ).all()


def acknowledge(cancellation: Cancellation, now: datetime) -> None:
    """Dismiss a late-cancellation notice."""
    cancellation.acknowledged_at = now
    db.session.flush()


# --- people who can no longer run activities ------------------------------------------------


def release_places_of(user_id: int, network_id: int | None, now: datetime) -> int:
    """Free the future places and wait-list entries of someone who can no longer run
    activities (role removed, account disabled); the wait lists move up. Returns how many
    places were freed."""
    upcoming = or_(
        Activity.date > now.date(),
        and_(Activity.date == now.date(), Activity.start_time > now.time()),
    )
    query = db.select(SignUp).join(Activity, Activity.id == SignUp.activity_id)
    query = query.where(SignUp.user_id == user_id, upcoming)
    if network_id is not None:
        query = query.where(SignUp.network_id == network_id)
    freed = 0
    for signup in list(db.session.execute(query).scalars()):
        lock_row(Activity, signup.activity_id, "was_held")
        activity = db.session.get(Activity, signup.activity_id)
        release_seat(activity, signup)
        record(
            "activity.withdraw",
            network_id=activity.network_id,
            subject_type="activity",
            subject_id=activity.id,
            detail="role ended",
        )
        freed += 1
    waiting = db.select(WaitlistEntry.id).join(Activity, Activity.id == WaitlistEntry.activity_id)
    waiting = waiting.where(WaitlistEntry.user_id == user_id, upcoming)
    if network_id is not None:
        waiting = waiting.where(WaitlistEntry.network_id == network_id)
    db.session.execute(
        db.delete(WaitlistEntry).where(WaitlistEntry.id.in_(waiting.scalar_subquery()))
    )
    db.session.flush()
    return freed
