"""The periodic jobs' schedule: Copenhagen time, once per day, across both summer-time switches."""

from datetime import date, datetime, time, timedelta

import pytest

from netvaerk.core.registry import PeriodicJob
from netvaerk.tasks.schedule import due_occurrence, latest_occurrence, scheduled_moment


def _simulate(job: PeriodicJob, start: datetime, days: int) -> dict[date, datetime]:
    """Tick every minute (naive UTC) for `days`; the first moment each occurrence was due."""
    ran: dict[date, datetime] = {}
    now = start
    while now < start + timedelta(days=days):
        day = due_occurrence(job, now)
        if day is not None and day not in ran:
            ran[day] = now
        now += timedelta(minutes=1)
    return ran


def test_a_daily_job_runs_once_a_day_at_local_time_across_the_switch_to_summer_time():
    job = PeriodicJob("x", print, at=time(3, 30))
    ran = _simulate(job, datetime(2026, 3, 27, 12, 0), days=3)
    # Winter time is UTC+1, summer time (from 29 March 2026, 02:00) UTC+2.
    assert ran == {
        date(2026, 3, 28): datetime(2026, 3, 28, 2, 30),
        date(2026, 3, 29): datetime(2026, 3, 29, 1, 30),
        date(2026, 3, 30): datetime(2026, 3, 30, 1, 30),
    }


def test_a_daily_job_runs_once_a_day_at_local_time_across_the_end_of_summer_time():
    job = PeriodicJob("x", print, at=time(3, 30))
    ran = _simulate(job, datetime(2026, 10, 23, 12, 0), days=3)
    assert ran == {
        date(2026, 10, 24): datetime(2026, 10, 24, 1, 30),
        date(2026, 10, 25): datetime(2026, 10, 25, 2, 30),
        date(2026, 10, 26): datetime(2026, 10, 26, 2, 30),
    }


def test_the_repeated_hour_runs_once_at_its_first_occurrence():
    job = PeriodicJob("x", print, at=time(2, 30))
    ran = _simulate(job, datetime(2026, 10, 24, 12, 0), days=2)
    # 02:30 happens at 00:30 UTC (summer time) and again at 01:30 UTC (winter time).
    assert ran[date(2026, 10, 25)] == datetime(2026, 10, 25, 0, 30)
    assert len(ran) == 2


def test_a_time_in_the_skipped_hour_still_runs_that_day():
    job = PeriodicJob("x", print, at=time(2, 30))
    ran = _simulate(job, datetime(2026, 3, 28, 12, 0), days=2)
    # 02:30 does not exist on 29 March; the job runs at 03:30 summer time (01:30 UTC).
    assert ran[date(2026, 3, 29)] == datetime(2026, 3, 29, 1, 30)
    assert len(ran) == 2


def test_weekdays_limit_the_occurrences():
    job = PeriodicJob("x", print, at=time(10, 0), weekdays=(0,))  # Mondays
    ran = _simulate(job, datetime(2026, 10, 21, 0, 0), days=14)
    assert sorted(ran) == [date(2026, 10, 26), date(2026, 11, 2)]
    assert ran[date(2026, 10, 26)] == datetime(2026, 10, 26, 9, 0)


@pytest.mark.parametrize(
    "now, expected",
    [
        (datetime(2026, 6, 1, 1, 29), None),  # 03:29 local: before today's run, yesterday's stale
        (datetime(2026, 6, 1, 1, 30), date(2026, 6, 1)),
        (datetime(2026, 6, 1, 7, 30), date(2026, 6, 1)),  # six hours late: still made up
        (datetime(2026, 6, 1, 7, 31), None),  # later: left for the next night
    ],
)
def test_a_missed_occurrence_is_made_up_within_its_grace_period(now, expected):
    job = PeriodicJob("x", print, at=time(3, 30), grace_hours=6)
    assert due_occurrence(job, now) == expected


def test_latest_occurrence_and_moment_agree():
    day, moment = latest_occurrence(time(9, 0), datetime(2026, 1, 5, 12, 0))
    assert day == date(2026, 1, 5) and moment == scheduled_moment(day, time(9, 0))
    assert moment == datetime(2026, 1, 5, 8, 0)
