"""The window of dates a person may type or ask for, so that a typo (year 1, year 9999)
gets a clear message instead of a page error."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from .errors import UserError

YEARS_BACK = 2
YEARS_AHEAD = 5


def _shift_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def date_window(today: date) -> tuple[date, date]:
    """The first and last date accepted: two years back to five years ahead of `today`."""
    return _shift_years(today, -YEARS_BACK), _shift_years(today, YEARS_AHEAD)


def in_window(day: date, today: date) -> bool:
    """True when `day` lies within the accepted window."""
    first, last = date_window(today)
    return first <= day <= last


def check_window(day: date, today: date, field: str | None = None) -> None:
    """Raise a UserError naming the window when `day` lies outside it."""
    if not in_window(day, today):
        first, last = date_window(today)
        raise UserError(
            _l(
                "Choose a date from %(first)s to %(last)s.",
                first=format_date(first),
                last=format_date(last),
            ),
            field=field,
        )


def parse_day(value: str | None, today: date) -> date | None:
    """A date from a query string (yyyy-mm-dd) within the window, else None."""
    try:
        day = date.fromisoformat((value or "").strip())
    except ValueError:
        return None
    return day if in_window(day, today) else None


def week_start_of(day: date) -> date:
    """The Monday of the week `day` falls in."""
    return day - timedelta(days=day.weekday())
