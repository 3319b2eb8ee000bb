"""The meeting calendar: the weekly pattern, generation around holidays, closed days and
closures, extra meetings, moving, cancelling and reinstating one meeting.

At most one meeting is held per network and day (a partial unique index), so generation,
extra meetings, moves and reinstatements all refuse a day that is taken. Services flush;
the request commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, time, timedelta

import holidays
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..audit.services import record
from ..core.dates import check_window
from ..core.errors import UserError
from ..core.locks import lock_or_vanished, refused_as
from ..core.models import Network
from ..core.registry import MEETING_CANCELLED, MEETING_MOVED, notify
from ..extensions import db
from .models import Closure, Meeting

# The longest period one generation may cover, so a typo cannot create years of meetings.
MAX_GENERATION_DAYS = 400
DEFAULT_CLOSED_DAYS = "12-24,12-31"


class MeetingConflict(UserError):
    """Another meeting is already held on the date (or two generations ran at once)."""

    def __init__(self, message=None, field: str | None = "date") -> None:
        super().__init__(message or _l("There is already a meeting on that day."), field=field)


# --- closed days ----------------------------------------------------------------------------


def parse_closed_days(text: str | None) -> list[tuple[int, int]]:
    """(month, day) pairs from "MM-DD,MM-DD" (or "DD/MM"); raises UserError on a bad entry."""
    pairs = []
    for raw in (text or "").replace(";", ",").split(","):
        item = raw.strip()
        if not item:
            continue
        try:
            if "/" in item or "." in item:
                day_text, month_text = item.replace(".", "/").split("/")[:2]
            else:
                month_text, day_text = item.split("-")
            month, day = int(month_text), int(day_text)
            date(2024, month, day)  # a leap year accepts 29 February
        except (ValueError, TypeError):
            raise UserError(
                _l("Write each closed day as month-day, e.g. 12-24, separated by commas."),
                field="closed_days",
            ) from None
        if (month, day) not in pairs:
            pairs.append((month, day))
    return sorted(pairs)


def format_closed_days(pairs: Iterable[tuple[int, int]]) -> str:
    """The stored form of closed days: "MM-DD,MM-DD"."""
    return ",".join(f"{month:02d}-{day:02d}" for month, day in sorted(set(pairs)))


def closed_days_between(network, start: date, end: date, locale: str = "da") -> dict[date, str]:
    """The network's yearly closed days (e.g. Christmas Eve) from `start` to `end`, named."""
    try:
        pairs = parse_closed_days(network.closed_days)
    except UserError:
        pairs = parse_closed_days(DEFAULT_CLOSED_DAYS)
    found = {}
    for year in range(start.year, end.year + 1):
        for month, day in pairs:
            try:
                closed = date(year, month, day)
            except ValueError:  # 29 February in a common year
                continue
            if start <= closed <= end:
                found[closed] = _closed_day_name(closed, locale)
    return found


def _closed_day_name(day: date, locale: str) -> str:
    names = {
        (12, 24): ("Juleaftensdag", "Christmas Eve"),
        (12, 31): ("Nytårsaftensdag", "New Year's Eve"),
    }
    danish, english = names.get((day.month, day.day), ("Lukkedag", "Closed day"))
    return danish if locale == "da" else english


# --- generation -----------------------------------------------------------------------------


@dataclass
class Plan:
    """The dates a weekly pattern gives in a period, and why the other pattern days were skipped."""

    dates: list[date] = field(default_factory=list)
    holidays: list[tuple[date, str]] = field(default_factory=list)
    closed: list[date] = field(default_factory=list)


def plan_meetings(
    weekdays: Iterable[int],
    start: date,
    end: date,
    public_holidays: dict[date, str],
    closures: Iterable[tuple[date, date]],
) -> Plan:
    """The pattern dates from `start` to `end` (inclusive), skipping holidays and closures."""
    wanted = set(weekdays)
    closed_ranges = list(closures)
    plan = Plan()
    day = start
    while day <= end:
        if day.weekday() in wanted:
            if day in public_holidays:
                plan.holidays.append((day, public_holidays[day]))
            elif any(first <= day <= last for first, last in closed_ranges):
                plan.closed.append(day)
            else:
                plan.dates.append(day)
        day += timedelta(days=1)
    return plan


def danish_holidays(start: date, end: date, locale: str = "da") -> dict[date, str]:
    """Danish public holidays (helligdage) between two dates, named in the given language."""
    language = "da" if locale == "da" else "en_US"
    calendar = holidays.country_holidays(
        "DK", years=range(start.year, end.year + 1), language=language
    )
    return {day: name for day, name in calendar.items() if start <= day <= end}


def days_off(network, start: date, end: date, locale: str = "da") -> dict[date, str]:
    """Public holidays and the network's yearly closed days, named."""
    return {
        **closed_days_between(network, start, end, locale),
        **danish_holidays(start, end, locale),
    }


def _closure_ranges(network_id: int, start: date, end: date) -> list[tuple[date, date]]:
    return [
        (first, last)
        for first, last in db.session.execute(
            select(Closure.start_date, Closure.end_date).where(
                Closure.network_id == network_id,
                Closure.end_date >= start,
                Closure.start_date <= end,
            )
        ).all()
    ]


@dataclass
class GenerationResult:
    """What one generation did: meetings created, already there, and pattern days skipped."""

    created: list[date]
    existing: int
    holidays: list[tuple[date, str]]
    closed: list[date]


def check_period(start: date, end: date, today: date) -> None:
    """A period forwards in time, within the date window and at most MAX_GENERATION_DAYS."""
    check_window(start, today, "first_day")
    check_window(end, today, "last_day")
    if end < start:
        raise UserError(_l("The end date must be on or after the start date."), field="last_day")
    if (end - start).days > MAX_GENERATION_DAYS:
        raise UserError(
            _l("Generate at most %(n)d days at a time.", n=MAX_GENERATION_DAYS), field="last_day"
        )


def generate_meetings(
    network, start: date, end: date, today: date, locale: str = "da"
) -> GenerationResult:
    """Create the network's pattern meetings from `start` to `end`; never duplicates.

    A pattern day is skipped when it is a holiday or a closed day, lies in a closure, already
    has its pattern meeting (even moved or cancelled), or already has another meeting held
    that day (an extra or a moved one).
    """
    check_period(start, end, today)
    plan = plan_meetings(
        network.weekdays,
        start,
        end,
        days_off(network, start, end, locale),
        _closure_ranges(network.id, start, end),
    )
    taken = set(
        db.session.execute(
            select(Meeting.pattern_date).where(
                Meeting.network_id == network.id,
                Meeting.pattern_date >= start,
                Meeting.pattern_date <= end,
            )
        ).scalars()
    ) | set(
        db.session.execute(
            select(Meeting.date).where(
                Meeting.network_id == network.id,
                Meeting.date >= start,
                Meeting.date <= end,
                Meeting.is_cancelled.is_(False),
            )
        ).scalars()
    )
    created = [day for day in plan.dates if day not in taken]
    with _day_taken_as(_l("Someone else generated meetings at the same moment. Try again.")):
        db.session.add_all(
            Meeting(
                network_id=network.id,
                date=day,
                pattern_date=day,
                start_time=network.meeting_start,
                end_time=network.meeting_end,
            )
            for day in created
        )
    if created:
        record(
            "meeting.generate",
            network_id=network.id,
            detail=f"{start.isoformat()} – {end.isoformat()}: {len(created)}",
        )
    return GenerationResult(created, len(plan.dates) - len(created), plan.holidays, plan.closed)


def _day_taken_as(message=None):
    """The block's changes in a savepoint: a day taken by a concurrent request meanwhile
    undoes them and becomes a MeetingConflict."""
    return refused_as(MeetingConflict(message))


def update_pattern(
    network,
    weekdays: list[int],
    start: time,
    end: time,
    today: date,
    apply_upcoming: bool = False,
    cancel_reason: str = "",
) -> int:
    """Save the weekly pattern; optionally bring upcoming pattern meetings in line with it.

    Upcoming meetings that were never moved get the new hours; those on a weekday no longer in
    the pattern are cancelled. Returns how many upcoming meetings changed.
    """
    old_start, old_end = network.meeting_start, network.meeting_end
    network.meeting_weekdays = ",".join(str(d) for d in sorted(set(weekdays)))
    network.meeting_start = start
    network.meeting_end = end
    changed = 0
    if apply_upcoming:
        upcoming = db.session.execute(
            select(Meeting).where(
                Meeting.network_id == network.id,
                Meeting.date > today,
                Meeting.pattern_date == Meeting.date,
                Meeting.is_cancelled.is_(False),
                Meeting.start_time == old_start,
                Meeting.end_time == old_end,
            )
        ).scalars()
        for meeting in list(upcoming):
            if meeting.date.weekday() not in weekdays:
                cancel_meeting(meeting, cancel_reason)
            else:
                meeting.start_time, meeting.end_time = start, end
                db.session.flush()
                notify(MEETING_MOVED, meeting=meeting)
            changed += 1
    db.session.flush()
    return changed


def save_closed_days(network, text: str) -> None:
    """Set the network's yearly closed days (e.g. "12-24,12-31")."""
    network.closed_days = format_closed_days(parse_closed_days(text))
    db.session.flush()


# --- single meetings and closures -----------------------------------------------------------


def cancel_meeting(meeting: Meeting, reason: str) -> None:
    """Cancel one meeting; it is kept (with its pattern date) so generation skips it.

    Capabilities that hang things on the meeting (activities) hear of it and tell their people.
    """
    if meeting.is_cancelled:
        return
    meeting.is_cancelled = True
    meeting.cancel_reason = (reason or "").strip()[:200] or None
    db.session.flush()
    record(
        "meeting.cancel",
        network_id=meeting.network_id,
        subject_type="meeting",
        subject_id=meeting.id,
    )
    notify(MEETING_CANCELLED, meeting=meeting)


def reinstate_meeting(meeting: Meeting) -> None:
    """Undo the cancellation of a meeting."""
    if _other_meeting_on(meeting.network_id, meeting.date, meeting.id):
        raise MeetingConflict()
    with _day_taken_as():
        meeting.is_cancelled = False
        meeting.cancel_reason = None


def _other_meeting_on(network_id: int, day: date, meeting_id: int | None) -> bool:
    query = select(Meeting.id).where(
        Meeting.network_id == network_id, Meeting.date == day, Meeting.is_cancelled.is_(False)
    )
    if meeting_id is not None:
        query = query.where(Meeting.id != meeting_id)
    return db.session.execute(query.limit(1)).first() is not None


def day_off_reason(network, day: date, locale: str = "da") -> str | None:
    """Why the centre is normally closed on `day` (a holiday, closed day or closure), or None."""
    named = days_off(network, day, day, locale)
    if day in named:
        return named[day]
    closure = db.session.execute(
        select(Closure).where(
            Closure.network_id == network.id, Closure.start_date <= day, Closure.end_date >= day
        )
    ).scalar()
    if closure is not None:
        return closure.reason or str(_l("Closed"))
    return None


def move_meeting(
    meeting: Meeting, new_date: date, start: time, end: time, today: date, locale: str = "da"
) -> str | None:
    """Move one meeting to another date or time; its pattern date stays, so no duplicate.

    Its activities move with it. Returns the reason the new day is normally closed (a holiday
    or closure), for a warning, or None.
    """
    check_window(new_date, today, "date")
    if (
        new_date != meeting.date
        and not meeting.is_cancelled
        and _other_meeting_on(meeting.network_id, new_date, meeting.id)
    ):
        raise MeetingConflict()
    with _day_taken_as():
        meeting.date = new_date
        meeting.start_time = start
        meeting.end_time = end
    record(
        "meeting.move",
        network_id=meeting.network_id,
        subject_type="meeting",
        subject_id=meeting.id,
        detail=new_date.isoformat(),
    )
    notify(MEETING_MOVED, meeting=meeting)
    return day_off_reason(db.session.get(Network, meeting.network_id), new_date, locale)


def add_extra_meeting(network, day: date, start: time, end: time, today: date) -> Meeting:
    """A meeting outside the weekly pattern (no pattern date)."""
    check_window(day, today, "date")
    if _other_meeting_on(network.id, day, None):
        raise MeetingConflict()
    meeting = Meeting(network_id=network.id, date=day, start_time=start, end_time=end)
    with _day_taken_as():
        db.session.add(meeting)
    record("meeting.extra", network_id=network.id, subject_type="meeting", subject_id=meeting.id)
    return meeting


def save_closure(closure: Closure, today: date) -> int:
    """Save a closure and cancel the upcoming meetings inside it; returns how many."""
    check_window(closure.start_date, today, "start_date")
    check_window(closure.end_date, today, "end_date")
    db.session.add(closure)
    db.session.flush()
    upcoming = db.session.execute(
        select(Meeting).where(
            Meeting.network_id == closure.network_id,
            Meeting.date >= max(today, closure.start_date),
            Meeting.date <= closure.end_date,
            Meeting.is_cancelled.is_(False),
        )
    ).scalars()
    cancelled = 0
    for meeting in list(upcoming):
        cancel_meeting(meeting, closure.reason or "")
        cancelled += 1
    return cancelled


def closures_of(network_id: int) -> list[Closure]:
    """The network's closures, earliest first."""
    return db.session.scalars(
        select(Closure).where(Closure.network_id == network_id).order_by(Closure.start_date)
    ).all()


def delete_closure(closure: Closure) -> None:
    """Remove a closure (meetings it cancelled stay cancelled until reinstated)."""
    lock_or_vanished(closure, "reason")
    db.session.delete(closure)
    db.session.flush()


def format_day(day: date) -> str:
    """A date for messages, e.g. "mandag 8. februar"."""
    return format_date(day, "EEEE d. MMMM")
