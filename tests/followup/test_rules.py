"""Property tests of the pure rules: check dates and the 30-day "not reached" rule."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from netvaerk.followup.checks import add_months, effective_status
from netvaerk.followup.models import CHECK_WINDOW_DAYS, StatusCheck

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


@given(day=days, months=st.integers(min_value=1, max_value=60))
def test_a_check_falls_in_the_right_month_never_before_leaving(day, months):
    due = add_months(day, months)
    assert due > day
    assert (due.year * 12 + due.month) - (day.year * 12 + day.month) == months
    assert due.day == day.day or due.day < day.day  # only shortened at a month's end


@given(due=days, offset=st.integers(min_value=-400, max_value=400))
def test_an_open_check_counts_as_not_reached_only_after_30_days(due, offset):
    check = StatusCheck(left_on=due - timedelta(days=30), due_on=due, status=None)
    today = due + timedelta(days=offset)
    expected = "not_reached" if offset > CHECK_WINDOW_DAYS else None
    assert effective_status(check, today) == expected
    check.status = "same_job"
    assert effective_status(check, today) == "same_job"
