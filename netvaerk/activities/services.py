"""Rules and queries for activities: planning, sign-ups, wait lists, invitations, hours, feeds."""

from __future__ import annotations

import hashlib
import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from icalendar import Calendar, Event
from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.security import check_password_hash

from ..audit.services import record
from ..auth.services import create_user, password_problem
from ..core.models import Membership, User
from ..core.registry import on_network_created
from ..extensions import db
from ..meetings.models import Meeting
from ..timeutil import LOCAL_TZ
from .models import (
    Activity,
    ActivityType,
    CalendarFeed,
    Cancellation,
    Invitation,
    SignUp,
    WaitlistEntry,
    Wish,
)

# The seed's list of activities (key, Danish, English): the defaults of every network.
DEFAULT_TYPES = (
    ("danish", "Danskundervisning", "Danish lessons"),
    ("portrait_photo", "Portrætfoto til ansøgningen", "Portrait photo for applications"),
    ("interview_training", "Træning i jobsamtaler", "Interview training"),
    ("applications", "Jobansøgninger", "Job applications"),
    ("cv", "CV", "CV"),
    ("walk_and_talk", "Walk and talk", "Walk-and-talk"),
    ("morning_exercise", "Morgengymnastik", "Morning exercise"),
    ("group_exercises", "Gruppeøvelser", "Group exercises"),
    ("talk_job_centre", "Oplæg fra jobcenteret", "Talk from the job centre"),
    ("talk_business_owner", "Oplæg fra virksomhedsejere", "Talk from business owners"),
    ("company_visit", "Virksomhedsbesøg", "Company visit"),
    ("coaching", "Individuel coaching", "Individual coaching"),
    ("video_pitch", "Video-pitch", "Video pitch"),
    ("linkedin", "Opdatere LinkedIn", "Updating LinkedIn"),
)
SEAT_ATTEMPTS = 5
WISH_STATUSES = ("open", "planned", "declined")


class ActivityProblem(Exception):
    """A rule refused the change; `message` is a translated sentence for the user."""

    def __init__(self, message, field: str | None = None) -> None:
        # The English msgid for developers and logs; no request is needed to raise it.
        super().__init__(message._args[0] if isinstance(message, LazyString) else message)
        self.message = message
        self.field = field


def token_hash(token: str) -> str:
    """The stored form of a secret link token (SHA-256, hex)."""
    return hashlib.sha256(token.encode()).hexdigest()


def notice_hours() -> int:
    """Hours before the start within which cancelling is late (NETVAERK_CANCEL_NOTICE_HOURS)."""
    return int(current_app.config.get("NETVAERK_CANCEL_NOTICE_HOURS") or 48)


# --- activity types -------------------------------------------------------------------------


@on_network_created
def add_default_types(network) -> None:
    """Give a new network the default activity types (from the seed's list)."""
    for order, (key, name_da, name_en) in enumerate(DEFAULT_TYPES):
        db.session.add(
            ActivityType(
                network_id=network.id,
                key=key,
                name_da=name_da,
                name_en=name_en,
                sort_order=(order + 1) * 10,
            )
        )


def activity_types(network_id: int, active_only: bool = False) -> list[ActivityType]:
    """The network's activity types in their order."""
    query = db.select(ActivityType).where(ActivityType.network_id == network_id)
    if active_only:
        query = query.where(ActivityType.is_active.is_(True))
    return list(
        db.session.execute(query.order_by(ActivityType.sort_order, ActivityType.id)).scalars()
    )


def save_type(
    network_id: int,
    name_da: str,
    name_en: str,
    is_active: bool = True,
    activity_type: ActivityType | None = None,
) -> ActivityType:
    """Add a type or rename one; names must be unique within the network."""
    name_da, name_en = name_da.strip(), name_en.strip()
    if activity_type is None:
        activity_type = ActivityType(network_id=network_id, sort_order=1000)
        db.session.add(activity_type)
    activity_type.name_da = name_da
    activity_type.name_en = name_en
    activity_type.is_active = is_active
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ActivityProblem(
            _l("Another activity type has this name. Choose another name."), field="name_da"
        ) from None
    return activity_type


# --- planning -------------------------------------------------------------------------------


@dataclass
class ActivityInput:
    """What a planner entered for an activity."""

    type_id: int | None
    meeting_id: int | None
    date: date | None
    start_time: time | None
    end_time: time | None
    title: str
    description: str
    place: str
    facilitators_needed: int
    has_waitlist: bool


def save_activity(
    network_id: int, data: ActivityInput, by_user_id: int, activity: Activity | None = None
) -> Activity:
    """Create or change an activity after checking its times and places; promotes waiters."""
    meeting = None
    if data.meeting_id:
        meeting = db.session.get(Meeting, data.meeting_id)
        if meeting is None or meeting.network_id != network_id:
            raise ActivityProblem(_l("Choose a meeting from the list."), field="meeting_id")
        day = meeting.date
        start = data.start_time or meeting.start_time
        end = data.end_time or meeting.end_time
    else:
        if data.date is None or data.start_time is None or data.end_time is None:
            raise ActivityProblem(
                _l("Choose a meeting, or give a date with start and end times."), field="date"
            )
        day, start, end = data.date, data.start_time, data.end_time
    if end <= start:
        raise ActivityProblem(_l("The end must be after the start."), field="end_time")
    if data.facilitators_needed < 1:
        raise ActivityProblem(_l("At least one facilitator is needed."), field="needed")
    activity_type = None
    if data.type_id:
        activity_type = db.session.get(ActivityType, data.type_id)
        if activity_type is None or activity_type.network_id != network_id:
            raise ActivityProblem(_l("Choose a type from the list."), field="type_id")
    if activity is not None:
        taken = db.session.execute(
            db.select(func.max(SignUp.seat)).where(SignUp.activity_id == activity.id)
        ).scalar()
        if taken and data.facilitators_needed < taken:
            raise ActivityProblem(
                _l(
                    "More facilitators have signed up than that. Ask some to cancel first, "
                    "or keep the number."
                ),
                field="needed",
            )
    title = data.title.strip() or (activity_type.name_da if activity_type else "")
    if not title:
        raise ActivityProblem(_l("Give the activity a title or a type."), field="title")
    is_new = activity is None
    if is_new:
        activity = Activity(network_id=network_id, created_by_id=by_user_id)
        db.session.add(activity)
    activity.type_id = activity_type.id if activity_type else None
    activity.meeting_id = meeting.id if meeting else None
    activity.date, activity.start_time, activity.end_time = day, start, end
    activity.title = title
    activity.description = data.description.strip()
    activity.place = data.place.strip()
    activity.facilitators_needed = data.facilitators_needed
    activity.has_waitlist = data.has_waitlist
    db.session.flush()
    record(
        "activity.create" if is_new else "activity.update",
        network_id=network_id,
        subject_type="activity",
        subject_id=activity.id,
    )
    promote_from_waitlist(activity)
    db.session.commit()
    return activity


def cancel_activity(activity: Activity) -> list[User]:
    """Cancel an activity; returns the facilitators who were signed up (to tell them)."""
    activity.is_cancelled = True
    record(
        "activity.cancel",
        network_id=activity.network_id,
        subject_type="activity",
        subject_id=activity.id,
    )
    db.session.commit()
    return [signup.user for signup in activity.signups]


# --- reading the programme ------------------------------------------------------------------


def _with_people(query, waitlist: bool = True):
    options = [
        joinedload(Activity.type),
        joinedload(Activity.meeting),
        selectinload(Activity.signups).joinedload(SignUp.user),
    ]
    if waitlist:
        options.append(selectinload(Activity.waitlist).joinedload(WaitlistEntry.user))
    return query.options(*options)


def programme(network_id: int, first: date, last: date, waitlist: bool = True) -> list[Activity]:
    """Activities of the network between two dates (inclusive), with their people loaded.

    Always three queries, however many activities there are (two without the wait lists).
    """
    query = (
        db.select(Activity)
        .where(Activity.network_id == network_id, Activity.date.between(first, last))
        .order_by(Activity.date, Activity.start_time, Activity.id)
    )
    return list(db.session.execute(_with_people(query, waitlist)).unique().scalars())


def is_bookable(activity: Activity, now: datetime) -> bool:
    """Open for sign-up: not cancelled and not yet started."""
    return not activity.is_off and activity.starts_at > now


def needing_someone(activities: list[Activity], now: datetime) -> list[Activity]:
    """The coming activities that still have open places."""
    return [a for a in activities if is_bookable(a, now) and a.open_places > 0]


def group_by_week(activities: list[Activity]) -> list[tuple[date, list[Activity]]]:
    """Activities grouped by the Monday of their week, in order."""
    weeks: dict[date, list[Activity]] = defaultdict(list)
    for activity in activities:
        weeks[activity.date - timedelta(days=activity.date.weekday())].append(activity)
    return sorted(weeks.items())


def activities_on(network_id: int, day: date) -> list[Activity]:
    """The activities of one day that take place (not cancelled), with their facilitators."""
    query = (
        db.select(Activity)
        .outerjoin(Activity.meeting)
        .where(
            Activity.network_id == network_id,
            Activity.date == day,
            Activity.is_cancelled.is_(False),
            func.coalesce(Meeting.is_cancelled, False).is_(False),
        )
        .order_by(Activity.start_time, Activity.id)
    )
    # Today's activities are shown with their facilitators, never with a wait list.
    return list(db.session.execute(_with_people(query, waitlist=False)).unique().scalars())


def to_confirm(network_id: int, now: datetime, user_id: int | None = None) -> list[Activity]:
    """Started activities of the last 60 days whose hours are not confirmed yet.

    With `user_id`, only those the user was signed up for and has not confirmed.
    """
    query = db.select(Activity).where(
        Activity.network_id == network_id,
        Activity.date.between(now.date() - timedelta(days=60), now.date()),
        Activity.is_cancelled.is_(False),
        Activity.was_held.is_not(False),
    )
    unconfirmed = db.select(SignUp.activity_id).where(SignUp.hours_confirmed_at.is_(None))
    if user_id is not None:
        unconfirmed = unconfirmed.where(SignUp.user_id == user_id)
    query = query.where(Activity.id.in_(unconfirmed)).order_by(Activity.date, Activity.start_time)
    activities = db.session.execute(_with_people(query)).unique().scalars()
    return [a for a in activities if a.starts_at <= now and not a.is_off]


def facilitators(network_id: int) -> list[User]:
    """Staff who can run activities in the network: facilitators, then coordinators."""
    return list(
        db.session.execute(
            db.select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.network_id == network_id,
                Membership.role.in_(("facilitator", "coordinator")),
                User.is_enabled.is_(True),
            )
            .order_by(Membership.role.desc(), User.name, User.email)
        ).scalars()
    )


def coordinator_emails(network_id: int) -> list[str]:
    """E-mail addresses of the network's coordinators."""
    return list(
        db.session.execute(
            db.select(User.email)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.network_id == network_id, Membership.role == "coordinator")
        ).scalars()
    )


# --- sign-ups -------------------------------------------------------------------------------


def _check_bookable(activity: Activity, now: datetime) -> None:
    if activity.is_off:
        raise ActivityProblem(_l("This activity is cancelled. You cannot sign up for it."))
    if activity.starts_at <= now:
        raise ActivityProblem(_l("This activity has already started. You cannot sign up for it."))


def _is_member_who_can_run(user_id: int, network_id: int) -> bool:
    return (
        db.session.execute(
            db.select(Membership.id).where(
                Membership.user_id == user_id,
                Membership.network_id == network_id,
                Membership.role.in_(("facilitator", "coordinator")),
            )
        ).first()
        is not None
    )


def sign_up(activity_id: int, user_id: int, now: datetime) -> str:
    """Give the user the lowest free place, or a place on the wait list.

    Returns "signed_up", "already" (had a place) or "waitlisted". The seat number is unique
    per activity in the database; when two people take the same seat at once, the loser's
    insert fails and it tries the next free seat, so a full activity is never over-filled.
    """
    for _attempt in range(SEAT_ATTEMPTS):
        activity = db.session.get(Activity, activity_id, populate_existing=True)
        if activity is None:
            raise ActivityProblem(_l("The activity no longer exists."))
        _check_bookable(activity, now)
        if not _is_member_who_can_run(user_id, activity.network_id):
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
        db.session.add(
            SignUp(
                network_id=activity.network_id,
                activity_id=activity_id,
                user_id=user_id,
                seat=free[0],
            )
        )
        record(
            "activity.signup",
            network_id=activity.network_id,
            subject_type="activity",
            subject_id=activity_id,
            user_id=user_id,
        )
        try:
            db.session.commit()
            return "signed_up"
        except IntegrityError:
            db.session.rollback()
    raise ActivityProblem(_l("Many people are signing up right now. Please try again."))


def free_seats(activity: Activity) -> tuple[set[int], list[int]]:
    """The users holding a place, and the free seat numbers (1 … needed), read now."""
    rows = db.session.execute(
        db.select(SignUp.seat, SignUp.user_id).where(SignUp.activity_id == activity.id)
    ).all()
    taken = {row.seat for row in rows}
    free = [s for s in range(1, activity.facilitators_needed + 1) if s not in taken]
    return {row.user_id for row in rows}, free


def _join_waitlist(activity: Activity, user_id: int) -> str:
    db.session.add(
        WaitlistEntry(network_id=activity.network_id, activity_id=activity.id, user_id=user_id)
    )
    try:
        db.session.commit()
    except IntegrityError:  # already waiting (a double click)
        db.session.rollback()
    return "waitlisted"


def leave_waitlist(activity: Activity, user_id: int) -> None:
    """Take the user off the activity's wait list."""
    db.session.execute(
        db.delete(WaitlistEntry).where(
            WaitlistEntry.activity_id == activity.id, WaitlistEntry.user_id == user_id
        )
    )
    db.session.commit()


def promote_from_waitlist(activity: Activity) -> list[int]:
    """Move waiting people onto free seats (first come first served); caller commits.

    Returns the ids of the users who got a place.
    """
    waiting = list(
        db.session.execute(
            db.select(WaitlistEntry)
            .where(WaitlistEntry.activity_id == activity.id)
            .order_by(WaitlistEntry.id)
        ).scalars()
    )
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
    for _attempt in range(SEAT_ATTEMPTS):
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
        db.session.delete(signup)
        db.session.flush()
        cancellation = Cancellation(
            network_id=activity.network_id,
            activity_id=activity.id,
            user_id=user_id,
            reason=reason,
            is_late=late,
        )
        db.session.add(cancellation)
        promoted_ids = promote_from_waitlist(activity) if activity.has_waitlist else []
        record(
            "activity.withdraw",
            network_id=activity.network_id,
            subject_type="activity",
            subject_id=activity.id,
            detail="late" if late else None,
        )
        try:
            db.session.commit()
            break
        except IntegrityError:  # a sign-up took the freed seat first: read again
            db.session.rollback()
    else:
        raise ActivityProblem(_l("Many people are signing up right now. Please try again."))
    promoted = [db.session.get(User, uid) for uid in promoted_ids]
    return Withdrawal(cancellation, promoted)


def late_cancellations(network_id: int) -> list[Cancellation]:
    """Late cancellations the coordinators have not dismissed yet."""
    return list(
        db.session.execute(
            db.select(Cancellation)
            .where(
                Cancellation.network_id == network_id,
                Cancellation.is_late.is_(True),
                Cancellation.acknowledged_at.is_(None),
            )
            .options(joinedload(Cancellation.activity), joinedload(Cancellation.user))
            .order_by(Cancellation.created_at.desc())
        ).scalars()
    )


def acknowledge(cancellation: Cancellation, now: datetime) -> None:
    """Dismiss a late-cancellation notice."""
    cancellation.acknowledged_at = now
    db.session.commit()


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
    db.session.commit()


def mark_not_held(activity: Activity, now: datetime) -> None:
    """Record that a past activity did not take place (no hours are counted)."""
    if activity.starts_at > now:
        raise ActivityProblem(_l("Cancel a coming activity instead."))
    activity.was_held = False
    for signup in activity.signups:
        signup.hours = None
        signup.hours_confirmed_at = None
        signup.hours_confirmed_by_id = None
    db.session.commit()


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """The first and last day of a month."""
    first = date(year, month, 1)
    return first, date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)


def _month_filter(network_id: int, year: int, month: int):
    first, last = month_bounds(year, month)
    return (
        Activity.network_id == network_id,
        Activity.date.between(first, last),
        Activity.was_held.is_(True),
        SignUp.hours.is_not(None),
    )


def hours_by_facilitator(network_id: int, year: int, month: int) -> list[dict]:
    """Confirmed hours per facilitator in a month: user_id, name, hours, activities."""
    rows = db.session.execute(
        db.select(
            User.id,
            User.name,
            User.email,
            func.sum(SignUp.hours),
            func.count(func.distinct(Activity.id)),
        )
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
            "hours": Decimal(total or 0).quantize(Decimal("0.01")),
            "activities": count,
        }
        for uid, name, email, total, count in rows
    ]


def hours_by_type(network_id: int, year: int, month: int) -> list[dict]:
    """Confirmed hours per activity type in a month: type_id, name_da, name_en, hours,
    activities (activities without a type have type_id None)."""
    rows = db.session.execute(
        db.select(
            ActivityType.id,
            ActivityType.name_da,
            ActivityType.name_en,
            func.sum(SignUp.hours),
            func.count(func.distinct(Activity.id)),
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
            "hours": Decimal(total or 0).quantize(Decimal("0.01")),
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
    db.session.commit()
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
    if claimed != 1:
        db.session.rollback()
        raise ActivityProblem(
            _l("This invitation has already been used. Log in with your e-mail and password.")
        )
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
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ActivityProblem(
            _l("This invitation has already been used. Log in with your e-mail and password.")
        ) from None
    return user


def revoke_invitation(invitation: Invitation, now_utc: datetime) -> None:
    """Withdraw an unused invitation."""
    if invitation.used_at is None:
        invitation.revoked_at = now_utc
        db.session.commit()


def open_invitations(network_id: int, now_utc: datetime) -> list[Invitation]:
    """Invitations not used, revoked or expired."""
    return list(
        db.session.execute(
            db.select(Invitation)
            .where(
                Invitation.network_id == network_id,
                Invitation.used_at.is_(None),
                Invitation.revoked_at.is_(None),
                Invitation.expires_at > now_utc,
            )
            .order_by(Invitation.created_at.desc())
        ).scalars()
    )


# --- calendar feed --------------------------------------------------------------------------


def renew_feed(user_id: int, network_id: int) -> str:
    """A new secret feed token for the user; the old link stops working."""
    token = secrets.token_urlsafe(32)
    feed = db.session.execute(
        db.select(CalendarFeed).where(
            CalendarFeed.user_id == user_id, CalendarFeed.network_id == network_id
        )
    ).scalar_one_or_none()
    if feed is None:
        feed = CalendarFeed(user_id=user_id, network_id=network_id)
        db.session.add(feed)
    feed.token_hash = token_hash(token)
    try:
        db.session.commit()
    except IntegrityError:  # two renewals at once: the other one won, try once more
        db.session.rollback()
        return renew_feed(user_id, network_id)
    return token


def has_feed(user_id: int, network_id: int) -> bool:
    """True when the user has a calendar link in this network."""
    return (
        db.session.execute(
            db.select(CalendarFeed.id).where(
                CalendarFeed.user_id == user_id, CalendarFeed.network_id == network_id
            )
        ).first()
        is not None
    )


def feed_for_token(token: str) -> CalendarFeed | None:
    """The feed a secret token opens, if the owner still may see the network."""
    feed = db.session.execute(
        db.select(CalendarFeed).where(CalendarFeed.token_hash == token_hash(token))
    ).scalar_one_or_none()
    if feed is None or not feed.user.is_enabled:
        return None
    if not _is_member_who_can_run(feed.user_id, feed.network_id):
        return None
    return feed


def _local(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=LOCAL_TZ)


def calendar_bytes(feed: CalendarFeed, today: date, calendar_name: str) -> bytes:
    """The iCalendar of the feed owner's activities from 90 days back, in Copenhagen time."""
    activities = db.session.execute(
        db.select(Activity)
        .join(SignUp, SignUp.activity_id == Activity.id)
        .where(
            SignUp.user_id == feed.user_id,
            Activity.network_id == feed.network_id,
            Activity.date >= today - timedelta(days=90),
        )
        .options(joinedload(Activity.meeting))
        .order_by(Activity.date, Activity.start_time)
    ).scalars()
    calendar = Calendar()
    calendar.add("prodid", "-//netvaerk//activities//DA")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", calendar_name)
    calendar.add("x-wr-timezone", "Europe/Copenhagen")
    stamp = datetime.now(UTC)
    for activity in activities:
        event = Event()
        event.add("uid", f"activity-{activity.id}@netvaerk")
        event.add("dtstamp", stamp)
        event.add("dtstart", _local(activity.date, activity.start_time))
        event.add("dtend", _local(activity.date, activity.end_time))
        event.add("summary", activity.title)
        if activity.place:
            event.add("location", activity.place)
        if activity.description:
            event.add("description", activity.description)
        event.add("status", "CANCELLED" if activity.is_off else "CONFIRMED")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


# --- wishes ---------------------------------------------------------------------------------


def add_wish(network_id: int, text: str, type_id: int | None, by_user_id: int) -> Wish:
    """Record a participant's wish for an activity or a talk (without their name)."""
    text = text.strip()
    if not text:
        raise ActivityProblem(_l("Write the wish."), "text")
    if type_id:
        activity_type = db.session.get(ActivityType, type_id)
        if activity_type is None or activity_type.network_id != network_id:
            raise ActivityProblem(_l("Choose a type from the list."), "type_id")
    wish = Wish(
        network_id=network_id, text=text, type_id=type_id or None, recorded_by_id=by_user_id
    )
    db.session.add(wish)
    db.session.commit()
    return wish


def set_wish_status(wish: Wish, status: str) -> None:
    """Mark a wish as planned or declined (or open again)."""
    if status not in WISH_STATUSES:
        raise ActivityProblem(_l("Choose a status from the list."))
    wish.status = status
    db.session.commit()


def wishes(network_id: int) -> list[Wish]:
    """The network's wishes, open ones first, newest first."""
    return list(
        db.session.execute(
            db.select(Wish)
            .where(Wish.network_id == network_id)
            .options(joinedload(Wish.type))
            .order_by((Wish.status != "open"), Wish.created_at.desc(), Wish.id.desc())
        ).scalars()
    )


def user_names(user_ids: list[int]) -> dict[int, str]:
    """Display names of users by id (for notices)."""
    if not user_ids:
        return {}
    return {
        u.id: u.name or u.email
        for u in db.session.execute(db.select(User).where(User.id.in_(user_ids))).scalars()
    }


def bookable_for(activities: list[Activity], now: datetime) -> set[int]:
    """Ids of the activities open for sign-up now."""
    return {a.id for a in activities if is_bookable(a, now)}
