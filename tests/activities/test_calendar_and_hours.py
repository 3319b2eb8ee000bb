"""The facilitator's calendar feed (across a daylight-saving change) and the hours counted."""

import re
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from flask import render_template
from icalendar import Calendar

from netvaerk import timeutil
from netvaerk.activities import services
from netvaerk.activities.models import ActivityType, CalendarFeed, SignUp
from netvaerk.core.registry import parts_for
from netvaerk.extensions import db

from ..conftest import csrf_token_from
from ..factories import make_activity, make_meeting, make_participant, make_signup, make_user

FEED_RE = re.compile(
    r'<code id="feed-link">(http://localhost/activities/calendar/[^<"]+\.ics)</code>'
)


def new_feed_link(client) -> str:
    page = client.get("/activities/calendar").get_data(as_text=True)
    response = client.post("/activities/calendar", data={"csrf_token": csrf_token_from(page)})
    return FEED_RE.search(response.get_data(as_text=True)).group(1)


def test_feed_parses_back_with_the_right_times_across_dst(
    app, client, login_as, network, monkeypatch
):
    monkeypatch.setattr(timeutil, "local_today", lambda: date(2026, 10, 1))
    user = login_as("facilitator")
    summer = make_activity(network, date(2026, 10, 24), title="Lørdagsbesøg", place="Lageret")
    winter = make_activity(network, date(2026, 10, 26), title="Mandagens CV")
    other = make_activity(network, date(2026, 10, 27), title="Ikke min")
    make_signup(summer, user)
    make_signup(winter, user)
    make_signup(other, make_user("facilitator", network))
    link = new_feed_link(client)
    stored = db.session.execute(db.select(CalendarFeed)).scalar_one()
    assert link.rsplit("/", 1)[1][:-4] not in stored.token_hash
    response = app.test_client().get(link)  # no login: the token is the key
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Copenhagen"]
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Lørdagsbesøg", "Mandagens CV"}
    start_summer = events["Lørdagsbesøg"].decoded("DTSTART")
    start_winter = events["Mandagens CV"].decoded("DTSTART")
    assert events["Lørdagsbesøg"]["DTSTART"].params["TZID"] == "Europe/Copenhagen"
    assert (start_summer.hour, start_winter.hour) == (10, 10)
    assert start_summer.utcoffset() == timedelta(hours=2)
    assert start_winter.utcoffset() == timedelta(hours=1)
    assert start_summer.astimezone(UTC) == datetime(2026, 10, 24, 8, 0, tzinfo=UTC)
    assert start_winter.astimezone(UTC) == datetime(2026, 10, 26, 9, 0, tzinfo=UTC)
    assert events["Mandagens CV"].decoded("DTEND").astimezone(UTC) == datetime(
        2026, 10, 26, 11, 0, tzinfo=UTC
    )
    assert str(events["Lørdagsbesøg"]["LOCATION"]) == "Lageret"


def test_renewing_the_feed_stops_the_old_link(app, client, login_as, network):
    login_as("facilitator")
    old = new_feed_link(client)
    new = new_feed_link(client)
    guest = app.test_client()
    assert guest.get(old).status_code == 404
    assert guest.get(new).status_code == 200
    assert guest.get("/activities/calendar/not-a-token.ics").status_code == 404


def test_feed_stops_when_the_role_is_gone(app, client, login_as, network):
    from netvaerk.core.models import Membership

    user = login_as("facilitator")
    link = new_feed_link(client)
    db.session.execute(db.delete(Membership).where(Membership.user_id == user.id))
    db.session.commit()
    assert app.test_client().get(link).status_code == 404


def test_cancelled_activity_shows_as_cancelled_in_the_feed(app, client, login_as, network):
    user = login_as("facilitator")
    activity = make_activity(network, timeutil.local_today() + timedelta(days=5))
    make_signup(activity, user)
    activity.is_cancelled = True
    db.session.commit()
    calendar = Calendar.from_ical(app.test_client().get(new_feed_link(client)).data)
    (event,) = calendar.walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"


def _past_activity(network, day, type_key="cv", **fields):
    activity_type = db.session.execute(
        db.select(ActivityType).where(
            ActivityType.network_id == network.id, ActivityType.key == type_key
        )
    ).scalar_one()
    return make_activity(network, day, type_id=activity_type.id, **fields)


def test_facilitator_confirms_hours_and_the_month_adds_up(app, client, login_as, network):
    user = login_as("facilitator")
    colleague = make_user("facilitator", network)
    yesterday = timeutil.local_today() - timedelta(days=1)
    activity = _past_activity(network, yesterday, needed=2)
    mine = make_signup(activity, user)
    theirs = make_signup(activity, colleague)
    page = client.get(f"/activities/{activity.id}").get_data(as_text=True)
    assert f"s{mine.id}-hours" in page and f"s{theirs.id}-hours" not in page
    response = client.post(
        f"/activities/{activity.id}/hours/{mine.id}",
        data={"csrf_token": csrf_token_from(page), f"s{mine.id}-hours": "2.5"},
        follow_redirects=True,
    )
    assert "Timerne er bekræftet." in response.get_data(as_text=True)
    # a facilitator cannot confirm someone else's hours
    forbidden = client.post(
        f"/activities/{activity.id}/hours/{theirs.id}",
        data={"csrf_token": csrf_token_from(page), f"s{theirs.id}-hours": "3"},
    )
    assert forbidden.status_code == 403
    db.session.expire_all()
    assert db.session.get(SignUp, mine.id).hours == Decimal("2.50")
    assert db.session.get(SignUp, theirs.id).hours is None
    by_person = services.hours_by_facilitator(network.id, yesterday.year, yesterday.month)
    assert [(r["user_id"], r["hours"], r["activities"]) for r in by_person] == [
        (user.id, Decimal("2.50"), 1)
    ]
    by_type = services.hours_by_type(network.id, yesterday.year, yesterday.month)
    assert [(r["name_en"], r["hours"]) for r in by_type] == [("CV", Decimal("2.50"))]
    assert services.activities_held(network.id, yesterday.year, yesterday.month) == 1


@pytest.mark.parametrize("value", ["0", "-1", "25", "mange"])
def test_bad_hours_change_nothing(app, client, login_as, network, value):
    user = login_as("facilitator")
    activity = _past_activity(network, timeutil.local_today() - timedelta(days=1))
    signup = make_signup(activity, user)
    page = client.get(f"/activities/{activity.id}").get_data(as_text=True)
    response = client.post(
        f"/activities/{activity.id}/hours/{signup.id}",
        data={"csrf_token": csrf_token_from(page), f"s{signup.id}-hours": value},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "Skriv timerne som et tal over 0 og højst 24." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(SignUp, signup.id).hours is None


def test_hours_of_a_coming_activity_are_refused(app, network):
    user = make_user("facilitator", network)
    activity = make_activity(network, timeutil.local_today() + timedelta(days=3))
    signup = make_signup(activity, user)
    with pytest.raises(services.ActivityProblem):
        services.confirm_hours(signup, Decimal(2), user.id, timeutil.local_now())


def test_hours_per_facilitator_and_type_in_a_month(app, network):
    coordinator = make_user("coordinator", network)
    a, b = make_user("facilitator", network), make_user("facilitator", network)
    now = datetime(2026, 4, 30, 18, 0)
    cv1 = _past_activity(network, date(2026, 4, 6), needed=2)
    cv2 = _past_activity(network, date(2026, 4, 20))
    walk = _past_activity(network, date(2026, 4, 8), type_key="walk_and_talk")
    march = _past_activity(network, date(2026, 3, 30))
    not_held = _past_activity(network, date(2026, 4, 9))
    for activity, person, hours in (
        (cv1, a, "2"),
        (cv1, b, "1.5"),
        (cv2, a, "3"),
        (walk, b, "1"),
        (march, a, "4"),
    ):
        signup = make_signup(activity, person)
        services.confirm_hours(signup, Decimal(hours), coordinator.id, now)
    make_signup(not_held, a)
    services.mark_not_held(not_held, now)
    people = {
        r["user_id"]: (r["hours"], r["activities"])
        for r in services.hours_by_facilitator(network.id, 2026, 4)
    }
    assert people == {a.id: (Decimal("5.00"), 2), b.id: (Decimal("2.50"), 2)}
    types = {
        r["name_en"]: (r["hours"], r["activities"])
        for r in services.hours_by_type(network.id, 2026, 4)
    }
    assert types == {"CV": (Decimal("6.50"), 2), "Walk-and-talk": (Decimal("1.00"), 1)}
    assert services.activities_held(network.id, 2026, 4) == 3
    assert services.hours_by_facilitator(network.id, 2026, 5) == []


def test_kiosk_and_meeting_parts_show_todays_activities(app, network):
    today = timeutil.local_today()
    meeting = make_meeting(network, today)
    helper = make_user("facilitator", network)
    running = make_activity(
        network, today, meeting=meeting, title="Morgengymnastik", place="Gården"
    )
    make_signup(running, helper)
    make_activity(network, today, title="Aflyst ting", is_cancelled=True)
    make_activity(network, today + timedelta(days=1), title="I morgen")
    participant = make_participant(network)
    with app.test_request_context("/"):
        kiosk = parts_for("kiosk.confirmation", participant=participant, meeting=meeting)
        html = "".join(render_template(t, ctx=c) for t, c in kiosk)
        assert "Dagens aktiviteter" in html and "Morgengymnastik" in html and "Gården" in html
        assert "Aflyst ting" not in html and "I morgen" not in html
        assert helper.name not in html  # residents see the programme, not the staff
        staff = parts_for("meeting.today", meeting=meeting)
        html = "".join(render_template(t, ctx=c) for t, c in staff)
        assert "Morgengymnastik" in html and helper.name in html
    other_day = make_meeting(network, today + timedelta(days=2))
    with app.test_request_context("/"):
        assert not any(
            t.endswith("_kiosk_today.html")
            for t, _ in parts_for("kiosk.confirmation", participant=participant, meeting=other_day)
        )


def test_wishes_are_recorded_without_names(app, client, login_as, network):
    login_as("facilitator")
    page = client.get("/activities/wishes").get_data(as_text=True)
    response = client.post(
        "/activities/wishes",
        data={"csrf_token": csrf_token_from(page), "text": "Oplæg om iværksætteri"},
        follow_redirects=True,
    )
    assert "Ønsket er noteret." in response.get_data(as_text=True)
    empty = client.post(
        "/activities/wishes", data={"csrf_token": csrf_token_from(page), "text": " "}
    )
    assert empty.status_code == 200
    (wish,) = services.wishes(network.id)
    client.post(
        f"/activities/wishes/{wish.id}/status",
        data={"csrf_token": csrf_token_from(page), "status": "planned"},
    )
    db.session.refresh(wish)
    assert wish.status == "planned" and wish.text == "Oplæg om iværksætteri"


def test_demo_has_a_programme_with_open_places_and_runs_twice(app, runner):
    from netvaerk.activities.models import Activity
    from netvaerk.core.models import User

    assert runner.invoke(args=["demo"]).exit_code == 0
    counts = (
        db.session.query(Activity).count(),
        db.session.query(SignUp).count(),
        db.session.query(User).count(),
    )
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert (
        db.session.query(Activity).count(),
        db.session.query(SignUp).count(),
        db.session.query(User).count(),
    ) == counts
    now = timeutil.local_now()
    activities = services.programme(
        db.session.query(Activity).first().network_id,
        now.date() - timedelta(days=30),
        now.date() + timedelta(days=30),
    )
    assert services.needing_someone(activities, now)
    assert any(a.starts_at <= now and a.was_held for a in activities)
    assert sum(1 for a in activities if a.date >= now.date() and not a.open_places) >= 1
    assert db.session.query(SignUp).filter(SignUp.hours.is_not(None)).count() > 0
    assert time(0) < activities[0].start_time
