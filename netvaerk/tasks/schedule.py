"""When a periodic job is due: its occurrences in Copenhagen time, as moments in UTC.

A job runs once per occurrence, and an occurrence is a local day: the job's key in
`netvaerk_job_run` is (name, day), so the hour that happens twice when summer time ends runs
it once, and a day of 23 or 25 hours still has one run. A time of day inside the hour skipped
when summer time begins (02:00-03:00) runs an hour later by the clock, as zoneinfo reads it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from ..timeutil import LOCAL_TZ


def scheduled_moment(day: date, at: time) -> datetime:
    """The naive-UTC moment of the local time `at` on `day` (the first one, if it happens twice)."""
    local = datetime.combine(day, at).replace(tzinfo=LOCAL_TZ, fold=0)
    return local.astimezone(UTC).replace(tzinfo=None)


def latest_occurrence(
    at: time, now: datetime, weekdays: tuple[int, ...] | None = None
) -> tuple[date, datetime] | None:
    """The last occurrence (local day, UTC moment) at or before `now` (naive UTC), if any in
    the past week."""
    today = now.replace(tzinfo=UTC).astimezone(LOCAL_TZ).date()
    for back in range(8):
        day = today - timedelta(days=back)
        if weekdays is not None and day.weekday() not in weekdays:
            continue
        moment = scheduled_moment(day, at)
        if moment <= now:
            return day, moment
    return None


def due_occurrence(job, now: datetime) -> date | None:
    """The day of the job's occurrence that should run now: the latest one, unless it is
    older than the job's grace period (a worker that was down does not run stale work)."""
    found = latest_occurrence(job.at, now, job.weekdays)
    if found is None:
        return None
    day, moment = found
    return day if now - moment <= timedelta(hours=job.grace_hours) else None
