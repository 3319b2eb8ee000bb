"""Exact counts about status after leaving, for the statistics capability to protect.

Every number here is a count of people, per network: the steering group must only see them
after the statistics' disclosure control (the cell-key method), never as they come from here.
Coordinators may see their own network's exact figures.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import null, select

from .. import timeutil
from ..extensions import db
from ..participants.models import OUTCOMES, ParticipationPeriod
from .checks import effective_status, window_closes
from .models import CHECK_WINDOW_DAYS, IN_WORK_OR_EDUCATION, StatusCheck

# What a check counts as in the retention table.
RETENTION_COLUMNS = ("in_work", "not_in_work", "not_reached", "pending")


def cohort_of(day: date, by: str = "month") -> str:
    """The cohort a date belongs to: "2026-03" by month, "2026-Q1" by quarter."""
    if by == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-{day.month:02d}"


def _bucket(status: str | None) -> str:
    if status is None:
        return "pending"
    if status in IN_WORK_OR_EDUCATION:
        return "in_work"
    if status == "not_reached":
        return "not_reached"
    return "not_in_work"


def _live_checks(network_ids: list[int], today: date) -> list[StatusCheck]:
    return db.session.scalars(
        select(StatusCheck).where(
            StatusCheck.network_id.in_(network_ids),
            StatusCheck.cancelled.is_(False),
            StatusCheck.due_on <= today,
        )
    ).all()


def status_counts(network_ids: list[int], today: date, by: str = "month") -> dict:
    """{network id: {cohort of leaving: {months after: {status: people}}}} for checks whose
    date has come; a check not done within 30 days counts as "not_reached", one still open
    within its window as "pending"."""
    counts: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(lambda: defaultdict(int))))
    for check in _live_checks(network_ids, today):
        status = effective_status(check, today) or "pending"
        counts[check.network_id][cohort_of(check.left_on, by)][check.months_after][status] += 1
    return _plain(counts)


def retention_table(network_ids: list[int], today: date, by: str = "month") -> dict:
    """{network id: {cohort of leaving: {months after: {column: people}}}} with the columns
    in_work (same job, other job, education, internship), not_in_work, not_reached, pending
    and due (all checks whose date has come)."""
    table: dict = defaultdict(lambda: defaultdict(dict))
    for check in _live_checks(network_ids, today):
        cohort = table[check.network_id][cohort_of(check.left_on, by)]
        cell = cohort.setdefault(check.months_after, dict.fromkeys((*RETENTION_COLUMNS, "due"), 0))
        cell[_bucket(effective_status(check, today))] += 1
        cell["due"] += 1
    return _plain(table)


def cohort_table(network_ids: list[int], today: date, by: str = "quarter") -> dict:
    """JobAlliancen's table per cohort of starting: {network id: {cohort: row}} where row has
    started, completed (left with any outcome but "stopped"), still_active, outcomes
    {outcome: people}, and in_work_6 / in_work_12 with due_6 / due_12 (people in work or
    education at the 6- and 12-month checks, of those whose check date has come)."""
    periods = db.session.execute(
        select(ParticipationPeriod).where(
            ParticipationPeriod.network_id.in_(network_ids),
            ParticipationPeriod.start_date <= today,
        )
    ).scalars()
    rows: dict = defaultdict(dict)
    cohort_by_period: dict[int, tuple[int, str]] = {}
    for period in periods:
        key = cohort_of(period.start_date, by)
        row = rows[period.network_id].setdefault(key, _empty_row())
        row["started"] += 1
        cohort_by_period[period.id] = (period.network_id, key)
        if period.end_date is None or period.end_date > today:
            row["still_active"] += 1
            continue
        row["outcomes"][period.outcome or "unknown"] += 1
        if period.outcome != "stopped":
            row["completed"] += 1
    for check in _live_checks(network_ids, today):
        if check.months_after not in (6, 12) or check.period_id not in cohort_by_period:
            continue
        network_id, key = cohort_by_period[check.period_id]
        row = rows[network_id][key]
        row[f"due_{check.months_after}"] += 1
        if _bucket(effective_status(check, today)) == "in_work":
            row[f"in_work_{check.months_after}"] += 1
    return {network_id: dict(sorted(cohorts.items())) for network_id, cohorts in rows.items()}


def _empty_row() -> dict:
    return {
        "started": 0,
        "completed": 0,
        "still_active": 0,
        "outcomes": dict.fromkeys(OUTCOMES, 0),
        "in_work_6": 0,
        "due_6": 0,
        "in_work_12": 0,
        "due_12": 0,
    }


def _plain(value):
    """Nested defaultdicts as plain, sorted dicts."""
    if isinstance(value, dict):
        return {key: _plain(value[key]) for key in sorted(value)}
    return value


# For the steering group's report ------------------------------------------------------------

# The columns of the report's retention table: the status found at a check, as settled.
SETTLED_COLUMNS = ("in_work", "not_in_work", "not_reached")


def settled_on(check: StatusCheck) -> date:
    """The day a check's result became known: when it was recorded, and at the latest the day
    after its 30-day window closed (when it counts as not reached). Every check is settled on
    exactly one day, so it is counted in exactly one month of the report."""
    expired = window_closes(check) + timedelta(days=1)
    if check.status is None:
        return expired
    recorded = timeutil.to_local(check.recorded_at).date() if check.recorded_at else None
    return min(recorded or check.reached_on or check.due_on, expired)


def settled_checks(network_ids: list[int], first: date, last: date, keyed=None) -> dict:
    """The statistics' hook (`report_figure("followup.settled_checks")`): the exact counts of
    the status checks settled from `first` to `last` (see `settled_on`), per network, keyed by
    (months after leaving, column of SETTLED_COLUMNS, cohort of leaving by quarter), each with
    its contributors as (key, check id) so that the statistics can give the count its cell
    key. `keyed(statement, period_id)`, given by the statistics, adds the column of the key of
    a check's period to the statement (None without it, or after erasure): one statement.
    Counts only: no person, no date."""
    statement = select(StatusCheck)
    statement = keyed(statement, StatusCheck.period_id) if keyed else statement.add_columns(null())
    rows = db.session.execute(
        statement.where(
            StatusCheck.network_id.in_(list(network_ids)),
            StatusCheck.cancelled.is_(False),
            StatusCheck.left_on <= last,
            # Settled at the latest 31 days after the check's date.
            StatusCheck.due_on >= first - timedelta(days=CHECK_WINDOW_DAYS + 1),
        )
    ).all()
    counts: dict = {network_id: {} for network_id in network_ids}
    for check, record_key in rows:
        if not first <= settled_on(check) <= last:
            continue
        status = check.status or "not_reached"
        key = (check.months_after, _bucket(status), cohort_of(check.left_on, "quarter"))
        counts[check.network_id].setdefault(key, []).append((record_key, check.id))
    return counts
