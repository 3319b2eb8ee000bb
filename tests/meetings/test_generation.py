"""Meeting generation around Danish public holidays and closures; cancel, move, settings."""

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netvaerk.extensions import db
from netvaerk.meetings import services
from netvaerk.meetings.models import Closure, Meeting

from ..factories import make_meeting, make_network
from .util import freeze_local_now, post_form

NOW = datetime(2026, 3, 25, 10, 0)  # Wednesday before Easter 2026


def _meetings(network):
    return (
        db.session.execute(
            db.select(Meeting)
            .where(Meeting.network_id == network.id)
            .order_by(Meeting.pattern_date)
        )
        .scalars()
        .all()
    )


def test_easter_and_a_closure_are_skipped_and_regeneration_never_duplicates(app, network):
    # Monday, Wednesday and Thursday; Easter 2026: Maundy Thursday 2 April, Easter Monday 6 April.
    db.session.add(
        Closure(
            network_id=network.id,
            start_date=date(2026, 4, 13),
            end_date=date(2026, 4, 17),
            reason="Vinduer skiftes",
        )
    )
    db.session.commit()
    result = services.generate_meetings(network, date(2026, 3, 30), date(2026, 4, 24), NOW.date())
    days = [m.date for m in _meetings(network)]
    assert date(2026, 4, 2) not in days and date(2026, 4, 6) not in days
    assert {d for d, _ in result.holidays} == {date(2026, 4, 2), date(2026, 4, 6)}
    assert "Skærtorsdag" in dict(result.holidays)[date(2026, 4, 2)]
    assert result.closed == [date(2026, 4, 13), date(2026, 4, 15), date(2026, 4, 16)]
    assert days == [
        date(2026, 3, 30),
        date(2026, 4, 1),
        date(2026, 4, 8),
        date(2026, 4, 9),
        date(2026, 4, 20),
        date(2026, 4, 22),
        date(2026, 4, 23),
    ]
    assert all(m.start_time == time(9) and m.end_time == time(12) for m in _meetings(network))

    # Move one and cancel another: generating again recreates neither, and adds nothing.
    moved, cancelled = _meetings(network)[0], _meetings(network)[1]
    services.move_meeting(moved, date(2026, 3, 31), time(10), time(13), NOW.date())
    services.cancel_meeting(cancelled, "Personaledag")
    again = services.generate_meetings(network, date(2026, 3, 1), date(2026, 4, 30), NOW.date())
    assert again.existing == 7
    assert len(_meetings(network)) == 7 + len(again.created)
    assert date(2026, 3, 30) not in [m.date for m in _meetings(network)]
    assert (
        services.generate_meetings(network, date(2026, 3, 1), date(2026, 4, 30), NOW.date()).created
        == []
    )
    pattern_dates = [m.pattern_date for m in _meetings(network)]
    assert len(pattern_dates) == len(set(pattern_dates))


@given(
    weekdays=st.sets(st.integers(0, 6), min_size=1),
    start=st.dates(date(2024, 1, 1), date(2027, 12, 31)),
    span=st.integers(0, 60),
    closure_start=st.integers(0, 60),
    closure_length=st.integers(0, 20),
)
def test_plan_meetings_properties(weekdays, start, span, closure_start, closure_length):
    end = start + timedelta(days=span)
    holidays = services.danish_holidays(start, end)
    first_closed = start + timedelta(days=closure_start)
    closure = (first_closed, first_closed + timedelta(days=closure_length))
    plan = services.plan_meetings(weekdays, start, end, holidays, [closure])
    assert plan.dates == sorted(set(plan.dates))
    for day in plan.dates:
        assert start <= day <= end and day.weekday() in weekdays
        assert day not in holidays and not (closure[0] <= day <= closure[1])
    # Every pattern day is either a meeting, a holiday or closed: none is lost.
    pattern_days = [
        start + timedelta(days=i)
        for i in range(span + 1)
        if (start + timedelta(days=i)).weekday() in weekdays
    ]
    assert len(pattern_days) == len(plan.dates) + len(plan.holidays) + len(plan.closed)


@pytest.fixture
def coordinator(app, login_as, monkeypatch):
    freeze_local_now(monkeypatch, NOW)
    return login_as("coordinator")


def test_generate_from_the_page(client, network, coordinator):
    response = post_form(
        client,
        "/meetings/",
        "/meetings/generate",
        {"first_day": "2026-03-30", "last_day": "2026-04-10"},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "Møder oprettet: 4" in html and "Skærtorsdag" in html
    assert len(_meetings(network)) == 4


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"first_day": "2026-04-10", "last_day": "2026-04-01"}, "Slutdatoen skal være"),
        ({"first_day": "2026-01-01", "last_day": "2028-01-01"}, "Opret højst 400 dage"),
        ({"first_day": "", "last_day": "2026-04-01"}, "Skriv datoen som åååå-mm-dd"),
        ({"first_day": "1. april", "last_day": "2026-04-01"}, "Ikke en gyldig dato."),
    ],
)
def test_bad_generation_period_changes_nothing(client, network, coordinator, data, message):
    response = post_form(client, "/meetings/", "/meetings/generate", data)
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert _meetings(network) == []


def test_weekly_pattern_settings(client, network, coordinator):
    upcoming = make_meeting(network, date(2026, 3, 30))  # a Monday, still in the pattern
    dropped = make_meeting(network, date(2026, 4, 1))  # a Wednesday, dropped below
    bad = post_form(
        client,
        "/meetings/settings",
        "/meetings/settings",
        {"start": "12:00", "end": "09:00"},
    )
    html = bad.get_data(as_text=True)
    assert "Vælg mindst én mødedag" in html and "Sluttidspunktet skal ligge efter" in html
    ok = post_form(
        client,
        "/meetings/settings",
        "/meetings/settings",
        {
            "weekdays": ["0", "1", "3"],
            "start": "09:30",
            "end": "12:30",
            "apply_upcoming": "y",
            "checkin_code_required": "y",
        },
    )
    assert ok.status_code == 302
    db.session.expire_all()
    assert network.weekdays == [0, 1, 3] and network.meeting_start == time(9, 30)
    assert network.checkin_code_required
    assert upcoming.start_time == time(9, 30) and not upcoming.is_cancelled
    assert dropped.is_cancelled


def test_closures_crud_cancels_upcoming_meetings_inside(client, network, coordinator):
    inside = make_meeting(network, date(2026, 7, 8))
    outside = make_meeting(network, date(2026, 8, 10))
    bad = post_form(
        client,
        "/meetings/closures",
        "/meetings/closures",
        {"start_date": "2026-07-31", "end_date": "2026-07-01"},
    )
    assert "Slutdatoen skal være" in bad.get_data(as_text=True)
    assert db.session.query(Closure).count() == 0
    post_form(
        client,
        "/meetings/closures",
        "/meetings/closures",
        {"start_date": "2026-07-01", "end_date": "2026-07-31", "reason": "Sommerferie"},
    )
    closure = db.session.execute(db.select(Closure)).scalar_one()
    db.session.expire_all()
    assert inside.is_cancelled and not outside.is_cancelled
    edit = f"/meetings/closures/{closure.id}/edit"
    assert (
        post_form(
            client,
            edit,
            edit,
            {"start_date": "2026-07-06", "end_date": "2026-07-31", "reason": "Ferie"},
        ).status_code
        == 302
    )
    db.session.refresh(closure)
    assert closure.start_date == date(2026, 7, 6) and closure.reason == "Ferie"
    post_form(client, "/meetings/closures", f"/meetings/closures/{closure.id}/delete", {})
    assert db.session.query(Closure).count() == 0


def test_cancel_move_and_reinstate_a_meeting(client, network, coordinator):
    meeting = make_meeting(network, date(2026, 3, 30))
    make_meeting(network, date(2026, 4, 1))
    base = f"/meetings/{meeting.id}"
    clash = post_form(
        client,
        f"{base}/move",
        f"{base}/move",
        {"date": "2026-04-01", "start": "09:00", "end": "12:00"},
    )
    assert clash.status_code == 200 and "allerede et møde den dag" in clash.get_data(as_text=True)
    bad = post_form(
        client,
        f"{base}/move",
        f"{base}/move",
        {"date": "2026-03-31", "start": "13:00", "end": "12:00"},
    )
    assert "Sluttidspunktet skal ligge efter" in bad.get_data(as_text=True)
    db.session.refresh(meeting)
    assert meeting.date == date(2026, 3, 30)
    post_form(
        client,
        f"{base}/move",
        f"{base}/move",
        {"date": "2026-03-31", "start": "10:00", "end": "13:00"},
    )
    db.session.refresh(meeting)
    assert (meeting.date, meeting.pattern_date, meeting.start_time) == (
        date(2026, 3, 31),
        date(2026, 3, 30),
        time(10),
    )
    post_form(client, f"{base}/cancel", f"{base}/cancel", {"reason": "Sygdom"})
    db.session.refresh(meeting)
    assert meeting.is_cancelled and meeting.cancel_reason == "Sygdom"
    post_form(client, "/meetings/", f"{base}/reinstate", {})
    db.session.refresh(meeting)
    assert not meeting.is_cancelled


def test_other_networks_meetings_answer_404(client, network, coordinator):
    other = make_meeting(make_network("Andet netværk"), date(2026, 3, 30))
    assert client.get(f"/meetings/{other.id}/move").status_code == 404
    assert client.get(f"/meetings/{other.id}/register").status_code == 404
    assert client.get("/meetings/99999/register").status_code == 404
    response = post_form(client, "/meetings/", f"/meetings/{other.id}/cancel", {"reason": "x"})
    assert response.status_code == 404
    db.session.refresh(other)
    assert not other.is_cancelled


def test_facilitators_cannot_plan_meetings(client, network, login_as):
    login_as("facilitator")
    for url in ("/meetings/", "/meetings/settings", "/meetings/closures", "/meetings/follow-up"):
        assert client.get(url).status_code == 403


def test_generating_a_past_month_asks_first_and_changes_nothing_until_confirmed(
    client, network, coordinator
):
    """January's meetings made in March would count as held meetings with nobody present."""
    period = {"first_day": "2026-01-01", "last_day": "2026-01-31"}
    first = post_form(client, "/meetings/", "/meetings/generate", period)
    html = first.get_data(as_text=True)
    assert first.status_code == 200
    assert "Perioden begynder torsdag den 1. januar 2026, som er overstået" in html
    assert html.count('name="confirm_past_date" value="1"') == 1  # not the extra meeting's form
    assert _meetings(network) == []
    confirmed = post_form(
        client, "/meetings/", "/meetings/generate", {**period, "confirm_past_date": "1"}
    )
    assert confirmed.status_code == 302
    assert _meetings(network) and all(m.date.month == 1 for m in _meetings(network))
