"""A new activity or extra meeting on a date that has passed asks for confirmation first."""

from datetime import timedelta

from netvaerk import timeutil
from netvaerk.extensions import db
from netvaerk.meetings.models import Meeting

from ..conftest import csrf_token_from
from .test_planning import activities


def _activity(client, day, **extra):
    page = client.get("/activities/new").get_data(as_text=True)
    data = {
        "csrf_token": csrf_token_from(page),
        "title": "Virksomhedsbesøg",
        "date": day.isoformat(),
        "start_time": "10:00",
        "end_time": "12:00",
        "facilitators_needed": "1",
        **extra,
    }
    return client.post("/activities/new", data=data)


def test_a_past_date_for_a_new_activity_asks_first(client, login_as, network):
    login_as("facilitator")
    yesterday = timeutil.local_today() - timedelta(days=1)
    asked = _activity(client, yesterday)
    assert asked.status_code == 200
    html = asked.get_data(as_text=True)
    assert "er overstået. Er det den dato, du mener?" in html
    assert 'name="confirm_past_date" value="1"' in html
    assert activities() == []
    assert _activity(client, yesterday, confirm_past_date="1").status_code == 302
    assert len(activities()) == 1


def test_a_future_date_needs_no_confirmation(client, login_as, network):
    login_as("facilitator")
    assert _activity(client, timeutil.local_today() + timedelta(days=3)).status_code == 302


def test_a_past_extra_meeting_asks_first(client, login_as, network):
    login_as("coordinator")
    day = timeutil.local_today() - timedelta(days=2)
    page = client.get("/meetings/").get_data(as_text=True)
    data = {
        "csrf_token": csrf_token_from(page),
        "date": day.isoformat(),
        "start": "09:00",
        "end": "12:00",
    }
    asked = client.post("/meetings/extra", data=data)
    assert asked.status_code == 200 and "Send igen for at bekræfte" in asked.get_data(as_text=True)
    assert db.session.execute(db.select(Meeting).filter_by(date=day)).first() is None
    assert (
        client.post("/meetings/extra", data={**data, "confirm_past_date": "1"}).status_code == 302
    )
    assert db.session.execute(db.select(Meeting).filter_by(date=day)).first() is not None


def test_an_end_before_the_start_is_named_at_once_not_after_the_past_date_question(
    client, login_as, network
):
    login_as("facilitator")
    yesterday = timeutil.local_today() - timedelta(days=1)
    first = _activity(client, yesterday, start_time="14:00", end_time="10:00")
    html = first.get_data(as_text=True)
    assert first.status_code == 200
    assert "Sluttidspunktet skal være efter starttidspunktet." in html
    assert activities() == []
    # a future date: the same error, from the form's own check
    later = _activity(
        client, timeutil.local_today() + timedelta(days=3), start_time="14:00", end_time="14:00"
    )
    assert "Sluttidspunktet skal være efter starttidspunktet." in later.get_data(as_text=True)
    assert activities() == []
