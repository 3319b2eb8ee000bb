"""The generator's meetings: summer breaks, the meetings of the pattern, and check-ins."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from .data import REASONS, Person, Sim


def summer_break(year: int) -> tuple[date, date]:
    """Weeks 29-30: the centre closes for the summer."""
    monday = date.fromisocalendar(year, 29, 1)
    return monday, monday + timedelta(days=13)


def pattern_days(start: date, end: date, weekdays: list[int], skip: set[date]) -> list[date]:
    """Pattern dates between start and end, skipping holidays and closures."""
    days = []
    day = start
    while day <= end:
        if day.weekday() in weekdays and day not in skip:
            days.append(day)
        day += timedelta(days=1)
    return days


def closure_rows(sim: Sim) -> set[date]:
    """A summer break every year; returns the closed days."""
    closed: set[date] = set()
    for year in range(sim.span.start.year, sim.span.horizon.year + 1):
        first, last = summer_break(year)
        sim.add(
            "netvaerk_closure",
            network_id=sim.network.id,
            start_date=first,
            end_date=last,
            reason="Sommerferie",
        )
        closed.update(first + timedelta(days=d) for d in range((last - first).days + 1))
    return closed


def _meeting(sim: Sim, day: date, opens: time, closes: time, pattern, cancelled: bool) -> int:
    return sim.add(
        "netvaerk_meeting",
        network_id=sim.network.id,
        date=day,
        start_time=opens,
        end_time=closes,
        pattern_date=pattern,
        is_cancelled=cancelled,
        cancel_reason="Personalemøde" if cancelled else None,
        created_at=sim.span.created_at,
    )


def meeting_rows(sim: Sim, closed: set[date]) -> list[tuple[int, date, bool]]:
    """The meetings of the pattern (and one open now, for the kiosk benchmark), by date."""
    span, network = sim.span, sim.network
    days = pattern_days(span.start, span.horizon, network.weekdays, span.holidays | closed)
    open_day = span.open_now.date() if span.open_now is not None else None
    meetings = []
    for day in days:
        cancelled = day < span.end and sim.rng.random() < 0.01
        opens, closes = network.meeting_start, network.meeting_end
        if day == open_day:
            opens, closes = time(0, 0), time(23, 59, 59)
        meetings.append((_meeting(sim, day, opens, closes, day, cancelled), day, cancelled))
    if open_day is not None and open_day not in set(days):
        meeting_id = _meeting(sim, open_day, time(0, 0), time(23, 59, 59), None, False)
        meetings.append((meeting_id, open_day, False))
        meetings.sort(key=lambda m: m[1])
    return meetings


def _attendance(sim: Sim, meeting_id: int, person: Person, status: str, **row) -> None:
    sim.add(
        "netvaerk_attendance",
        meeting_id=meeting_id,
        participant_id=person.id,
        status=status,
        **row,
    )


def attendance_rows(sim: Sim, meeting_id: int, day: date, expected: list[Person]) -> list:
    """Check-ins, notified absences and absences at a past meeting; returns who came."""
    rng, start_time = sim.rng, sim.network.meeting_start
    present = []
    for person in expected:
        draw = rng.random()
        if draw < person.propensity:
            minutes = timedelta(minutes=rng.randint(-20, 40))
            stamp = sim.utc(day, (datetime.combine(day, start_time) + minutes).time())
            source = "kiosk" if rng.random() < 0.93 else "register"
            _attendance(
                sim,
                meeting_id,
                person,
                "present",
                absence_reason=None,
                checked_in_at=stamp,
                source=source,
                updated_at=stamp,
            )
            present.append(person)
        elif draw < person.propensity + (1 - person.propensity) * 0.45:
            _absence(sim, meeting_id, person, "notified", rng.choice(REASONS), start_time, day)
        elif draw < person.propensity + (1 - person.propensity) * 0.7:
            _absence(sim, meeting_id, person, "absent", None, sim.network.meeting_end, day)
    return present


def _absence(sim: Sim, meeting_id, person, status, reason, at: time, day: date) -> None:
    _attendance(
        sim,
        meeting_id,
        person,
        status,
        absence_reason=reason,
        checked_in_at=None,
        source="register",
        updated_at=sim.utc(day, at),
    )
