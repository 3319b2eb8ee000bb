"""What activities show on other pages: the start-page panels and the page parts."""

from datetime import timedelta

from flask import g
from flask_babel import ngettext
from flask_login import current_user

from .. import timeutil
from . import services
from .models import Activity


def _next_two_weeks(now) -> list[Activity]:
    """The next two weeks' programme, loaded once per request for both start-page panels
    (which show no wait lists)."""
    cached = g.get("_activities_two_weeks")
    if cached is None or cached[0] != now.date():
        last = now.date() + timedelta(weeks=2)
        activities = services.programme(g.network.id, now.date(), last, waitlist=False)
        cached = g._activities_two_weeks = (now.date(), activities)
    return cached[1]


def facilitator_panel() -> dict:
    """The user's next activities and the open places of the next two weeks."""
    now = timeutil.local_now()
    activities = _next_two_weeks(now)
    mine = [
        a
        for a in activities
        if not a.is_off and a.ends_at > now and any(s.user_id == current_user.id for s in a.signups)
    ]
    open_slots = [
        a
        for a in services.needing_someone(activities, now)
        if all(s.user_id != current_user.id for s in a.signups)
    ]
    return {"mine": mine[:5], "open_slots": open_slots[:5], "open_count": len(open_slots)}


def coordinator_panel() -> dict:
    """Unfilled places of the next two weeks and late cancellations not yet seen."""
    now = timeutil.local_now()
    activities = _next_two_weeks(now)
    return {
        "needing": services.needing_someone(activities, now),
        "late": services.late_cancellations(g.network.id),
    }


def kiosk_today_rows(meeting=None, **_kwargs):
    """What the confirmation's one statement reads for today's activities (see `kiosk_today`)."""
    return None if meeting is None else services.times_on(meeting.network_id, meeting.date)


def kiosk_today(rows, **_kwargs):
    """Today's activities for the resident who just checked in: times, titles and places."""
    if not rows:
        return None
    return {"activities": sorted(rows, key=lambda row: (row.start_time, row.sort))}


def meeting_today(meeting=None, **_kwargs):
    """Today's activities and who runs them, on the facilitator's meeting page."""
    if meeting is None:
        return None
    return {
        "activities": services.activities_on(meeting.network_id, meeting.date),
        "meeting_id": meeting.id,
    }


def open_places_text(count: int) -> str:
    """ "N open places" in the page's language."""
    return ngettext("%(num)d open place", "%(num)d open places", count)
