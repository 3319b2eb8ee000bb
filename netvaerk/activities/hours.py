"""Facilitator hours: confirming hours and whether an activity was held, and the monthly
totals per facilitator and per type."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func

from ..audit.services import record
from ..core.models import User
from ..core.months import month_bounds
from ..extensions import db
from .errors import ActivityProblem
from .models import (
    Activity,
    ActivityType,
    SignUp,
)

# --- hours ----------------------------------------------------------------------------------


def confirm_hours(signup: SignUp, hours: Decimal, by_user_id: int, now: datetime) -> None:
    """Confirm that an activity was held and how many hours the facilitator spent."""
    activity = signup.activity
    if activity.starts_at > now:
        raise ActivityProblem(_l("Hours can be confirmed once the activity has started."))
    if activity.is_off or activity.was_held is False:
        raise ActivityProblem(_l("This activity was not held, so it has no hours."))
    if hours is None or hours <= 0 or hours > 24:
        raise ActivityProblem(_l("Give the hours as a number above 0 and at most 24."), "hours")
    signup.hours = Decimal(hours).quantize(Decimal("0.01"))
    signup.hours_confirmed_at = now
    signup.hours_confirmed_by_id = by_user_id
    activity.was_held = True
    record(
        "activity.hours",
        network_id=activity.network_id,
        subject_type="activity_signup",
        subject_id=signup.id,
    )
    db.session.flush()


def mark_not_held(activity: Activity, now: datetime) -> None:
    """Record that a past activity did not take place (no hours are counted)."""
    if activity.starts_at > now:
        raise ActivityProblem(_l("Cancel a coming activity instead."))
    activity.was_held = False
    for signup in activity.signups:
        signup.hours = None
        signup.hours_confirmed_at = None
        signup.hours_confirmed_by_id = None
    db.session.flush()


def _month_filter(network_id: int, year: int, month: int):
    first, last = month_bounds(year, month)
    return (
        Activity.network_id == network_id,
        Activity.date.between(first, last),
        Activity.was_held.is_(True),
        SignUp.hours.is_not(None),
    )


def _hours_and_activities():
    """The measures of the month's tables: confirmed hours and the activities they came from."""
    return func.sum(SignUp.hours), func.count(func.distinct(Activity.id))


def _rounded(total) -> Decimal:
    return Decimal(total or 0).quantize(Decimal("0.01"))


def hours_by_facilitator(network_id: int, year: int, month: int) -> list[dict]:
    """Confirmed hours per facilitator in a month: user_id, name, hours, activities."""
    rows = db.session.execute(
        db.select(User.id, User.name, User.email, *_hours_and_activities())
        .join(SignUp, SignUp.user_id == User.id)
        .join(Activity, Activity.id == SignUp.activity_id)
        .where(*_month_filter(network_id, year, month))
        .group_by(User.id, User.name, User.email)
        .order_by(User.name, User.email)
    ).all()
    return [
        {
            "user_id": uid,
            "name": name or email,
            "hours": _rounded(total),
            "activities": count,
        }
        for uid, name, email, total, count in rows
    ]


def hours_by_type(network_id: int, year: int, month: int) -> list[dict]:
    """Confirmed hours per activity type in a month: type_id, name_da, name_en, hours,
    activities (activities without a type have type_id None)."""
    rows = db.session.execute(
        db.select(
            ActivityType.id, ActivityType.name_da, ActivityType.name_en, *_hours_and_activities()
        )
        .select_from(Activity)
        .join(SignUp, SignUp.activity_id == Activity.id)
        .outerjoin(ActivityType, ActivityType.id == Activity.type_id)
        .where(*_month_filter(network_id, year, month))
        .group_by(ActivityType.id, ActivityType.name_da, ActivityType.name_en)
        .order_by(ActivityType.name_da)
    ).all()
    return [
        {
            "type_id": tid,
            "name_da": name_da or "",
            "name_en": name_en or "",
            "hours": _rounded(total),
            "activities": count,
        }
        for tid, name_da, name_en, total, count in rows
    ]


def activities_held(network_id: int, year: int, month: int) -> int:
    """How many activities were confirmed as held in a month."""
    first, last = month_bounds(year, month)
    return db.session.execute(
        db.select(func.count(Activity.id)).where(
            Activity.network_id == network_id,
            Activity.date.between(first, last),
            Activity.was_held.is_(True),
        )
    ).scalar_one()
