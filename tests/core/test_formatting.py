"""Dates, times and numbers in the reader's language: Danish "27. november 2026", "kl. 09.30",
"1,5"; English "27 November 2026", "09:30", "1.5", never the US "11/27/26"."""

from datetime import date, datetime, time

import pytest
from flask_babel import refresh
from hypothesis import given
from hypothesis import strategies as st

from netvaerk.labels import date_pattern, format_clock, format_day, format_moment

DAY = date(2026, 11, 27)


@pytest.mark.parametrize(
    ("lang", "style", "expected"),
    [
        ("da", "long", "27. november 2026"),
        ("da", "full", "fredag den 27. november 2026"),
        ("da", "medium", "27. nov. 2026"),
        ("da", "EEEE d MMMM", "fredag den 27. november"),  # a pattern written without the dot
        ("da", "d MMMM y", "27. november 2026"),
        ("da", "EEE d. MMM", "fre. 27. nov."),
        ("da", "MMMM y", "november 2026"),
        ("en", "long", "27 November 2026"),
        ("en", "full", "Friday 27 November 2026"),
        ("en", "medium", "27 Nov 2026"),
        ("en", "EEEE d. MMMM", "Friday 27 November"),  # the Danish dot is dropped in English
        ("en", "EEE d. MMM", "Fri 27 Nov"),
    ],
)
def test_dates_are_written_the_languages_way(app, lang, style, expected):
    with app.test_request_context(headers={"Accept-Language": lang}):
        refresh()
        assert format_day(DAY, style) == expected


def test_times_and_moments(app):
    moment = datetime(2026, 11, 27, 12, 24)  # UTC, 13:24 in Copenhagen
    with app.test_request_context(headers={"Accept-Language": "da"}):
        refresh()
        assert format_clock(time(9, 30)) == "09.30"
        assert format_moment(moment) == "27. nov. 2026 kl. 13.24"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        refresh()  # the test's app context is shared: forget the Danish of the last request
        assert format_clock(time(9, 30)) == "09:30"
        assert format_moment(moment) == "27 Nov 2026, 13:24"
        assert "/" not in format_moment(moment) and "PM" not in format_moment(moment)


def test_templates_use_the_danish_formats(app):
    from flask import render_template_string

    with app.test_request_context(headers={"Accept-Language": "da"}):
        refresh()
        html = render_template_string(
            "{{ d|date('long') }}|{{ t|hhmm }}|{{ n|number }}|{{ p|percent }}",
            d=DAY,
            t=time(9, 30),
            n=1.5,
            p=0.38,
        )
    assert html == "27. november 2026|09.30|1,5|38 %"


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_danish_day_numbers_always_have_their_dot(day):
    assert date_pattern("d MMMM y", "da") == "d. MMMM y"
    assert date_pattern("d. MMMM y", "en") == "d MMMM y"
