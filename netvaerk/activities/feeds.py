"""The personal iCalendar feed of a facilitator's activities, behind a secret link."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, time, timedelta

import segno
from flask_babel import lazy_gettext as _l
from icalendar import Calendar, Event
from sqlalchemy.orm import joinedload

from ..core.locks import refused_as
from ..extensions import db
from ..timeutil import LOCAL_TZ
from .errors import ActivityProblem
from .invitations import token_hash
from .models import (
    Activity,
    CalendarFeed,
    SignUp,
)
from .signups import can_run_activities

# --- calendar feed --------------------------------------------------------------------------


def renew_feed(user_id: int, network_id: int) -> str:
    """A new secret feed token for the user; the old link stops working."""
    token = secrets.token_urlsafe(32)
    feed = db.session.execute(
        db.select(CalendarFeed).where(
            CalendarFeed.user_id == user_id, CalendarFeed.network_id == network_id
        )
    ).scalar_one_or_none()
    renewed_meanwhile = ActivityProblem(
        _l("Your calendar link was renewed at the same moment. Try again.")
    )
    with refused_as(renewed_meanwhile):
        if feed is None:
            feed = CalendarFeed(user_id=user_id, network_id=network_id)
            db.session.add(feed)
        feed.token_hash = token_hash(token)
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
    if not can_run_activities(feed.user_id, feed.network_id):
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


def qr_code(link: str) -> str:
    """The calendar link as a QR code (an SVG data URI) to scan with a phone's camera."""
    return segno.make(link, error="m").svg_data_uri(scale=4, border=2)
