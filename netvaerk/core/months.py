"""Calendar months as the statistics and the facilitators' hours count them."""

from __future__ import annotations

import calendar
from datetime import date


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """The first and last day of a month."""
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
