"""Rules of the kiosk screen that need no request, and the kiosk's own queries."""

import math
from collections import defaultdict
from datetime import date, datetime

from flask_babel import force_locale, gettext
from sqlalchemy import and_, bindparam, select

from ..core.registry import KIOSK_CONFIRMATION, parts_for
from ..extensions import db
from ..labels import format_clock, format_day
from ..meetings.checkin import UNDO_BUTTON_SECONDS
from ..meetings.models import Meeting
from ..participants.models import Participant


def grid_labels(people) -> dict[int, str]:
    """The name on each resident's button: first name and last initial, as short as possible.

    Where two residents would get the same label ("Ahmed H."), each gets as many letters of
    the last name as it takes to tell them apart, up to the whole last name; residents whose
    whole names are the same keep them and a number ("Ahmed Hassan (2)").
    """
    labels: dict[int, str] = {}
    groups: dict[str, list] = defaultdict(list)
    for person in people:
        groups[person.first_name.strip().casefold()].append(person)
    for same_first in groups.values():
        seen: dict[str, int] = defaultdict(int)
        for person in same_first:
            label = _label(person, _letters_needed(person, same_first))
            seen[label.casefold()] += 1
            count = seen[label.casefold()]
            labels[person.id] = label if count == 1 else f"{label} ({count})"
    return labels


def _letters_needed(person, same_first) -> int:
    """The fewest letters of the last name that no other resident's last name starts with."""
    last = person.last_name.strip().casefold()
    others = [p.last_name.strip().casefold() for p in same_first if p is not person]
    for letters in range(1, len(last) + 1):
        if all(other[:letters] != last[:letters] for other in others):
            return letters
    return len(last)


def _label(person, letters: int) -> str:
    last = person.last_name.strip()
    if not last:
        return person.first_name.strip()
    shown = last[:letters]
    return f"{person.first_name.strip()} {shown}{'.' if len(shown) < len(last) else ''}"


# How long the confirmation stays at its own URL (a reload within it shows it again).
CONFIRMATION_SECONDS = 120


def confirmation_is_fresh(done, participant_id: int, now_utc) -> bool:
    """True when `done` (what the check-in left in the session) confirms this resident now."""
    if not isinstance(done, dict) or done.get("participant") != participant_id:
        return False
    age = now_utc.timestamp() - float(done.get("at", 0))
    return 0 <= age <= CONFIRMATION_SECONDS


# How long the confirmation shows "That wasn't me" (the server accepts it 3 seconds longer,
# for the network: meetings.checkin.UNDO_SECONDS).


def undo_seconds_left(done, now_utc) -> int:
    """Whole seconds the confirmation still offers "That wasn't me" (0: not at all): only for
    a check-in this tap made, and only in the first UNDO_BUTTON_SECONDS."""
    if not isinstance(done, dict) or done.get("already") or not done.get("attendance"):
        return 0
    age = now_utc.timestamp() - float(done.get("at", 0))
    return max(0, math.ceil(UNDO_BUTTON_SECONDS - age)) if age >= 0 else 0


def checked_in_time(done) -> datetime | None:
    """The exact time of the check-in `done` confirms (naive UTC), or None."""
    try:
        return datetime.fromisoformat(done["checked_in"])
    except (TypeError, KeyError, ValueError):
        return None


# A tap and its confirmation each load what they need in one statement, built once: the
# resident with the day's meetings (a tap), or with the meeting checked in to (the confirmation).
_RESIDENT_AND_DAY = (
    select(Participant, Meeting)
    .outerjoin(
        Meeting,
        and_(
            Meeting.network_id == Participant.network_id,
            Meeting.date == bindparam("day"),
            Meeting.is_cancelled.is_(False),
        ),
    )
    .where(Participant.id == bindparam("participant_id"))
    .where(Participant.network_id == bindparam("network_id"))
    .order_by(Meeting.start_time, Meeting.id)
)
_RESIDENT_AND_MEETING = (
    select(Participant, Meeting)
    .outerjoin(
        Meeting,
        and_(Meeting.network_id == Participant.network_id, Meeting.id == bindparam("meeting_id")),
    )
    .where(Participant.id == bindparam("participant_id"))
    .where(Participant.network_id == bindparam("network_id"))
)


def resident_and_meetings(
    network_id: int, participant_id: int, day: date
) -> tuple[Participant | None, list[Meeting]]:
    """The network's resident (None if not the network's) and the day's meetings that are
    not cancelled, earliest first: one query."""
    rows = db.session.execute(
        _RESIDENT_AND_DAY,
        {"network_id": network_id, "participant_id": participant_id, "day": day},
    ).all()
    if not rows:
        return None, []
    return rows[0][0], [meeting for _, meeting in rows if meeting is not None]


def resident_and_meeting(
    network_id: int, participant_id: int, meeting_id: int | None
) -> tuple[Participant | None, Meeting | None]:
    """The network's resident and one of the network's meetings (None where not found): one
    query."""
    row = db.session.execute(
        _RESIDENT_AND_MEETING,
        {"network_id": network_id, "participant_id": participant_id, "meeting_id": meeting_id},
    ).first()
    return (row[0], row[1]) if row else (None, None)


def confirmation_data(participant, meeting, done: dict, now_utc) -> dict:
    """What the confirmation shows, as data for the page's own script (the JSON tap): the
    texts in the resident's language, today's task and activities, the buttons other parts
    add (a hook's "link": the resident's own page), and the undo."""
    with force_locale(done.get("locale") or "da"):
        name = participant.first_name
        if done["already"]:
            title = gettext("You were already checked in, %(name)s.", name=name)
        else:
            title = gettext("Welcome, %(name)s! You are checked in.", name=name)
        data = {
            "status": "already" if done["already"] else "checked_in",
            "lang": done.get("locale") or "da",
            "title": title,
            "meeting": gettext(
                "Today's meeting: %(day)s %(start)s–%(end)s",
                day=format_day(meeting.date, "EEEE"),
                start=format_clock(meeting.start_time),
                end=format_clock(meeting.end_time),
            ),
            "task": None,
            "activities": [],
            "activities_heading": gettext("Today's activities"),
            "links": [],
            "undo": None,
            # The words around the confirmation, in the same language as the confirmation.
            "texts": {
                "undo": gettext("That wasn't me"),
                "more-time": gettext("More time"),
                "back": gettext("Back to the names"),
                "countdown": gettext(
                    "The screen goes back to the names in %(seconds)s seconds.", seconds="{n}"
                ),
                "stopped": gettext("The screen stays. Tap “Back to the names” when you are done."),
            },
        }
        for _template, context in parts_for(
            KIOSK_CONFIRMATION, participant=participant, meeting=meeting
        ):
            if "message" in context:  # the rota's task of the day
                data["task"] = context["message"]
            if "link" in context:  # e.g. "Min side"
                data["links"].append(context["link"])
            for row in context.get("activities", ()):
                data["activities"].append(
                    f"{format_clock(row.start_time)}–{format_clock(row.end_time)} {row.title}"
                    + (f" · {row.place}" if row.place else "")
                )
    seconds = undo_seconds_left(done, now_utc)
    if seconds:
        data["undo"] = {"id": done["attendance"], "seconds": seconds}
    return data
