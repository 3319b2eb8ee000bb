"""Issue #17: meetings stay consistent when things change (moving, extra meetings, holidays,
closed days, extreme dates, the kiosk's language). Each test reproduces one report."""

from datetime import date, datetime, time

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from netvaerk.activities.models import Activity
from netvaerk.extensions import db
from netvaerk.meetings import calendar
from netvaerk.meetings.models import Meeting
from netvaerk.tasks.models import OutboxMessage

from ..conftest import csrf_token_from, log_in
from ..factories import make_activity, make_meeting, make_participant, make_signup, make_user
from .util import freeze_local_now, post_form

NOW = datetime(2026, 12, 1, 8, 0)  # a Tuesday


@pytest.fixture
def coordinator_client(app, network, login_as, client, monkeypatch):
    freeze_local_now(monkeypatch, NOW)
    login_as("coordinator")
    return client


def _held_on(network, day) -> int:
    db.session.expire_all()
    return db.session.execute(
        select(func.count(Meeting.id)).where(
            Meeting.network_id == network.id, Meeting.date == day, Meeting.is_cancelled.is_(False)
        )
    ).scalar()


def test_moving_a_meeting_moves_its_activities(coordinator_client, network):
    meeting = make_meeting(network, date(2026, 12, 7))
    activity = make_activity(network, meeting.date, meeting=meeting)
    response = post_form(
        coordinator_client,
        f"/meetings/{meeting.id}/move",
        f"/meetings/{meeting.id}/move",
        {"date": "2026-12-08", "start": "10:00", "end": "13:00"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Activity, activity.id).date == date(2026, 12, 8)


def test_cancelling_a_meeting_tells_its_facilitators(app, coordinator_client, network):
    app.config["NETVAERK_SMTP_HOST"] = "smtp.example.org"
    meeting = make_meeting(network, date(2026, 12, 7))
    activity = make_activity(network, meeting.date, meeting=meeting, title="CV-værksted")
    helper = make_user("facilitator", network, email="hjaelper@example.org")
    make_signup(activity, helper)
    response = post_form(
        coordinator_client,
        f"/meetings/{meeting.id}/cancel",
        f"/meetings/{meeting.id}/cancel",
        {"reason": "Vandskade"},
    )
    assert response.status_code == 302
    sent = db.session.scalars(db.select(OutboxMessage)).all()
    assert [(m.kind, m.recipient_list, m.status) for m in sent] == [
        ("activities.cancelled", ["hjaelper@example.org"], "queued")
    ]
    assert "CV-værksted" in sent[0].body


def test_cancelling_sends_no_mail_when_the_change_is_rolled_back(app, network):
    app.config["NETVAERK_SMTP_HOST"] = "smtp.example.org"
    meeting = make_meeting(network, date(2026, 12, 7))
    activity = make_activity(network, meeting.date, meeting=meeting)
    make_signup(activity, make_user("facilitator", network))
    with app.test_request_context():
        calendar.cancel_meeting(meeting, "")
        assert db.session.query(OutboxMessage).count() == 1
        db.session.rollback()
    db.session.commit()
    assert db.session.query(OutboxMessage).count() == 0


def test_an_extra_meeting_is_not_doubled_by_generation(coordinator_client, network):
    page = "/meetings/"
    post_form(
        coordinator_client,
        page,
        "/meetings/extra",
        {"date": "2027-02-08", "start": "09:00", "end": "12:00"},
    )
    post_form(
        coordinator_client,
        page,
        "/meetings/generate",
        {"first_day": "2027-02-01", "last_day": "2027-02-14"},
    )
    assert _held_on(network, date(2027, 2, 8)) == 1


def test_a_meeting_moved_onto_an_ungenerated_pattern_day_is_not_doubled(app, network):
    meeting = make_meeting(network, date(2027, 1, 6))
    calendar.move_meeting(meeting, date(2027, 2, 8), time(9), time(12), NOW.date())
    calendar.generate_meetings(network, date(2027, 2, 1), date(2027, 2, 14), NOW.date())
    db.session.commit()
    assert _held_on(network, date(2027, 2, 8)) == 1


def test_the_database_allows_one_held_meeting_per_day(app, network):
    make_meeting(network, date(2027, 3, 1))
    make_meeting(network, date(2027, 3, 1), pattern_date=None, is_cancelled=True)
    with pytest.raises(IntegrityError):
        make_meeting(network, date(2027, 3, 1), pattern_date=None)
    db.session.rollback()


def test_christmas_eve_and_new_years_eve_are_closed_by_default(app, network):
    # 24 and 31 December 2026 are Thursdays, pattern days of the network (Mon, Wed, Thu).
    result = calendar.generate_meetings(network, date(2026, 12, 21), date(2027, 1, 3), NOW.date())
    db.session.commit()
    assert date(2026, 12, 24) not in result.created
    assert date(2026, 12, 31) not in result.created
    assert {day for day, _name in result.holidays} >= {date(2026, 12, 24), date(2026, 12, 31)}
    assert result.created == [
        date(2026, 12, 21),
        date(2026, 12, 23),
        date(2026, 12, 28),
        date(2026, 12, 30),
    ]


def test_closed_days_are_editable(coordinator_client, network):
    response = post_form(
        coordinator_client,
        "/meetings/settings",
        "/meetings/settings",
        {"weekdays": ["0", "2", "3"], "start": "09:00", "end": "12:00", "closed_days": "12-23"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    result = calendar.generate_meetings(network, date(2026, 12, 21), date(2026, 12, 31), NOW.date())
    assert date(2026, 12, 23) not in result.created and date(2026, 12, 24) in result.created
    bad = post_form(
        coordinator_client,
        "/meetings/settings",
        "/meetings/settings",
        {"weekdays": ["0"], "start": "09:00", "end": "12:00", "closed_days": "24. december"},
    )
    assert bad.status_code == 200 and "måned-dag" in bad.get_data(as_text=True)


def test_moving_onto_a_holiday_warns(coordinator_client, network):
    meeting = make_meeting(network, date(2026, 12, 21))
    response = post_form(
        coordinator_client,
        f"/meetings/{meeting.id}/move",
        f"/meetings/{meeting.id}/move",
        {"date": "2026-12-25", "start": "09:00", "end": "12:00"},
        follow_redirects=True,
    )
    text = response.get_data(as_text=True)
    assert "normalt lukket" in text and "Juledag" in text


def test_moving_into_a_closure_warns(coordinator_client, network):
    from netvaerk.meetings.models import Closure

    db.session.add(
        Closure(
            network_id=network.id,
            start_date=date(2027, 7, 5),
            end_date=date(2027, 7, 30),
            reason="Sommerferie",
        )
    )
    db.session.commit()
    meeting = make_meeting(network, date(2027, 6, 28))
    response = post_form(
        coordinator_client,
        f"/meetings/{meeting.id}/move",
        f"/meetings/{meeting.id}/move",
        {"date": "2027-07-06", "start": "09:00", "end": "12:00"},
        follow_redirects=True,
    )
    assert "Sommerferie" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("/meetings/generate", {"first_day": "9999-12-01", "last_day": "9999-12-31"}),
        ("/meetings/generate", {"first_day": "0001-01-01", "last_day": "0001-01-31"}),
        ("/meetings/extra", {"date": "0001-01-01", "start": "09:00", "end": "12:00"}),
        ("/meetings/extra", {"date": "9999-12-31", "start": "09:00", "end": "12:00"}),
        ("/meetings/closures", {"start_date": "0001-01-01", "end_date": "9999-12-31"}),
    ],
)
def test_extreme_dates_get_a_message_not_an_error(coordinator_client, network, action, data):
    page = "/meetings/closures" if "closures" in action else "/meetings/"
    response = post_form(coordinator_client, page, action, data)
    assert response.status_code == 200
    assert "Vælg en dato fra" in response.get_data(as_text=True)
    assert db.session.execute(select(func.count(Meeting.id))).scalar() == 0


def test_moving_a_meeting_to_year_one_is_refused(coordinator_client, network):
    meeting = make_meeting(network, date(2026, 12, 7))
    response = post_form(
        coordinator_client,
        f"/meetings/{meeting.id}/move",
        f"/meetings/{meeting.id}/move",
        {"date": "0001-12-07", "start": "09:00", "end": "12:00"},
    )
    assert response.status_code == 200 and "Vælg en dato fra" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).date == date(2026, 12, 7)


# --- the kiosk's language ---------------------------------------------------------------------

KIOSK_NOW = datetime(2026, 3, 4, 9, 15)  # Wednesday, the 9-12 meeting is on


@pytest.fixture
def kiosk_client(app, network, monkeypatch):
    freeze_local_now(monkeypatch, KIOSK_NOW)
    make_meeting(network, KIOSK_NOW.date())
    user = make_user("kiosk", network)
    client = app.test_client()
    log_in(client, user.email)
    return client


def _tap(client, participant):
    token = csrf_token_from(client.get("/kiosk/").get_data(as_text=True))
    # The tap answers with the confirmation (a redirect only to the code step).
    return client.post(
        f"/kiosk/check-in/{participant.id}", data={"csrf_token": token}, follow_redirects=True
    )


def test_the_kiosk_returns_to_danish_after_each_check_in(kiosk_client, network):
    english = make_participant(network, "Grace", "Smith")
    make_participant(network, "Lone", "Kristensen")
    token = csrf_token_from(kiosk_client.get("/kiosk/").get_data(as_text=True))
    kiosk_client.post("/language", data={"lang": "en", "next": "/kiosk/", "csrf_token": token})
    assert 'lang="en"' in kiosk_client.get("/kiosk/").get_data(as_text=True)
    confirmation = _tap(kiosk_client, english).get_data(as_text=True)
    assert '<html lang="en"' in confirmation
    assert '<html lang="da"' in kiosk_client.get("/kiosk/").get_data(as_text=True)


def test_a_residents_preferred_language_is_used_for_the_confirmation(kiosk_client, network):
    english = make_participant(network, "Grace", "Smith", preferred_locale="en")
    confirmation = _tap(kiosk_client, english).get_data(as_text=True)
    assert '<html lang="en"' in confirmation
    assert '<html lang="da"' in kiosk_client.get("/kiosk/").get_data(as_text=True)


def test_the_preferred_language_is_set_on_the_participants_page(coordinator_client, network):
    person = make_participant(network, "Grace", "Smith")
    page = coordinator_client.get(f"/participants/{person.id}/edit")
    assert page.status_code == 200 and 'name="preferred_locale"' in page.get_data(as_text=True)
