"""What meetings show on start pages: the network at a glance and today's meeting."""

from flask import g

from .. import timeutil
from ..participants import services as participants
from . import services


def _today_summary() -> dict:
    now = timeutil.local_now()
    meetings = services.meetings_on(g.network.id, now.date())
    meeting = services.todays_among(meetings, now)
    checked_in = len(services.checked_in_ids(meeting)) if meeting else 0
    return {
        "meeting": meeting,
        "checked_in": checked_in,
        "is_open": meeting is not None and services.open_among(meetings, now) == meeting,
        "next_meeting": None if meeting else services.next_meeting(g.network.id, now),
    }


def glance_panel() -> dict:
    """The network at a glance: places per group, today's meeting, the follow-up list."""
    context = _today_summary()
    context.update(
        counts=participants.active_counts(g.network.id),
        places={1: g.network.places_group1, 3: g.network.places_group3},
        follow_up=services.follow_up_list(g.network.id, timeutil.local_now())[:5],
    )
    return context


def today_panel() -> dict:
    """Today's meeting and a link to its register."""
    return _today_summary()
