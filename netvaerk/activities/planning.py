"""Planning activities: the network's activity types, creating, changing and cancelling
activities, reading the programme, and the participants' wishes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func
from sqlalchemy.orm import joinedload, selectinload

from ..audit.services import record
from ..core.locks import lock_row, refused_as
from ..core.models import Membership, User
from ..core.registry import ACTIVITY_CANCELLED, ACTIVITY_MOVED, notify
from ..extensions import db
from ..meetings.models import Meeting
from .errors import ActivityProblem
from .models import (
    Activity,
    ActivityType,
    SignUp,
    WaitlistEntry,
    Wish,
)
from .signups import promote_from_waitlist

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


WISH_STATUSES = ("open", "planned", "declined")


# --- activity types -------------------------------------------------------------------------


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
    clash = db.select(ActivityType.id).where(
        ActivityType.network_id == network_id,
        (ActivityType.name_da == name_da) | (ActivityType.name_en == name_en),
    )
    if activity_type is not None:
        clash = clash.where(ActivityType.id != activity_type.id)
    if db.session.execute(clash.limit(1)).first() is not None:
        raise ActivityProblem(
            _l("Another activity type has this name. Choose another name."), field="name_da"
        )
    if activity_type is None:
        activity_type = ActivityType(network_id=network_id, sort_order=1000)
        db.session.add(activity_type)
    activity_type.name_da = name_da
    activity_type.name_en = name_en
    activity_type.is_active = is_active
    db.session.flush()
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


def may_edit(activity: Activity, user_id: int, role: str | None) -> bool:
    """Coordinators edit every activity of their network; a facilitator only the activities
    they planned or run (signed up for): least privilege among volunteers."""
    if role == "coordinator":
        return True
    return activity.created_by_id == user_id or any(s.user_id == user_id for s in activity.signups)


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
        raise ActivityProblem(
            _l("At least one facilitator is needed."), field="facilitators_needed"
        )
    activity_type = None
    if data.type_id:
        activity_type = db.session.get(ActivityType, data.type_id)
        if activity_type is None or activity_type.network_id != network_id:
            raise ActivityProblem(_l("Choose a type from the list."), field="type_id")
    if activity is not None:
        fit_places(activity, data.facilitators_needed)
    title = data.title.strip() or (activity_type.name_da if activity_type else "")
    if not title:
        raise ActivityProblem(_l("Give the activity a title or a type."), field="title")
    before = None if activity is None else (activity.date, activity.start_time, activity.end_time)
    with _places_refused_as():
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
    record(
        "activity.create" if is_new else "activity.update",
        network_id=network_id,
        subject_type="activity",
        subject_id=activity.id,
    )
    promote_from_waitlist(activity)
    db.session.flush()
    if before is not None and before != (activity.date, activity.start_time, activity.end_time):
        notify(ACTIVITY_MOVED, activity=activity, before=before)
    return activity


def fit_places(activity: Activity, places: int) -> None:
    """Make room for a new number of places: refuse fewer than the seats taken, and move the
    taken seats down (1, 2, …) so that none is above the new number. Locks the activity."""
    lock_row(Activity, activity.id, "was_held")
    taken = db.session.scalars(
        db.select(SignUp).where(SignUp.activity_id == activity.id).order_by(SignUp.seat)
    ).all()
    if len(taken) > places:
        raise ActivityProblem(
            _l(
                "More facilitators have signed up than that. Ask some to cancel first, "
                "or keep the number."
            ),
            field="facilitators_needed",
        )
    for number, signup in enumerate(taken, start=1):
        if signup.seat != number:
            signup.seat = number
            db.session.flush()


def _places_refused_as():
    """The block's changes in a savepoint: the database refuses places below a seat taken
    meanwhile, which undoes them and says so."""
    return refused_as(
        ActivityProblem(
            _l(
                "More facilitators have signed up than that. Ask some to cancel first, "
                "or keep the number."
            ),
            field="facilitators_needed",
        )
    )


def cancel_activity(activity: Activity) -> list[User]:
    """Cancel an activity; returns the facilitators who were signed up (to tell them)."""
    activity.is_cancelled = True
    record(
        "activity.cancel",
        network_id=activity.network_id,
        subject_type="activity",
        subject_id=activity.id,
    )
    db.session.flush()
    people = [signup.user for signup in activity.signups]
    notify(ACTIVITY_CANCELLED, activity=activity, people=people)
    return people


# --- reading the programme ------------------------------------------------------------------


def _with_people(query, waitlist: bool = True):
    """The activities with their type, meeting and facilitators (and wait lists).

    Without the wait lists, the sign-ups are joined into the activities' own statement: one
    statement whether or not there are activities (a second, SELECT IN, statement would run
    only when there are, so a page's statements would depend on the data). With them, each
    list is read by its own statement, rather than joining the two lists' rows into a product.
    """
    options = [joinedload(Activity.type), joinedload(Activity.meeting)]
    if waitlist:
        options.append(selectinload(Activity.signups).joinedload(SignUp.user))
        options.append(selectinload(Activity.waitlist).joinedload(WaitlistEntry.user))
    else:
        options.append(joinedload(Activity.signups).joinedload(SignUp.user))
    return query.options(*options)


def programme(network_id: int, first: date, last: date, waitlist: bool = True) -> list[Activity]:
    """Activities of the network between two dates (inclusive), with their people loaded.

    At most three queries, however many activities there are (one without the wait lists).
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


def _taking_place_on(query, network_id: int, day: date):
    """Only the activities of one day that take place (neither they nor their meeting are
    cancelled)."""
    return query.outerjoin(Meeting, Meeting.id == Activity.meeting_id).where(
        Activity.network_id == network_id,
        Activity.date == day,
        Activity.is_cancelled.is_(False),
        func.coalesce(Meeting.is_cancelled, False).is_(False),
    )


def activities_on(network_id: int, day: date) -> list[Activity]:
    """The activities of one day that take place (not cancelled), with their facilitators."""
    query = _taking_place_on(db.select(Activity), network_id, day).order_by(
        Activity.start_time, Activity.id
    )
    # Today's activities are shown with their facilitators, never with a wait list.
    return list(db.session.execute(_with_people(query, waitlist=False)).unique().scalars())


def times_on(network_id: int, day: date):
    """A select of the times, titles and places of the activities of a day that take place
    (sort: the id, after the start), for a page that shows no more."""
    return _taking_place_on(
        db.select(
            Activity.id.label("sort"),
            Activity.start_time.label("start_time"),
            Activity.end_time.label("end_time"),
            Activity.title.label("title"),
            Activity.place.label("place"),
        ),
        network_id,
        day,
    )


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
    return db.session.scalars(
        db.select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.network_id == network_id,
            Membership.role.in_(("facilitator", "coordinator")),
            User.is_enabled.is_(True),
        )
        .order_by(Membership.role.desc(), User.name, User.email)
    ).all()


def coordinator_emails(network_id: int) -> list[str]:
    """E-mail addresses of the network's coordinators."""
    return db.session.scalars(
        db.select(User.email)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.network_id == network_id, Membership.role == "coordinator")
    ).all()


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
    db.session.flush()
    return wish


def set_wish_status(wish: Wish, status: str) -> None:
    """Mark a wish as planned or declined (or open again)."""
    if status not in WISH_STATUSES:
        raise ActivityProblem(_l("Choose a status from the list."))
    wish.status = status
    db.session.flush()


def wishes(network_id: int) -> list[Wish]:
    """The network's wishes, open ones first, newest first."""
    return db.session.scalars(
        db.select(Wish)
        .where(Wish.network_id == network_id)
        .options(joinedload(Wish.type))
        .order_by((Wish.status != "open"), Wish.created_at.desc(), Wish.id.desc())
    ).all()


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


# --- following the meetings -----------------------------------------------------------------


def follow_moved_meeting(meeting: Meeting) -> None:
    """The activities on a meeting take its new date (their own hours stay)."""
    for activity in db.session.execute(
        db.select(Activity).where(Activity.meeting_id == meeting.id)
    ).scalars():
        activity.date = meeting.date
    db.session.flush()
