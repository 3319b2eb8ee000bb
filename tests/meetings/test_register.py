"""Today's register, late corrections, attendance rates, the follow-up list and query counts."""

from datetime import date, datetime, time, timedelta

import pytest

from netvaerk.audit.models import AuditEvent
from netvaerk.extensions import db
from netvaerk.meetings import services
from netvaerk.meetings.models import Attendance

from ..conftest import count_queries
from ..factories import (
    make_activity,
    make_attendance,
    make_meeting,
    make_participant,
    make_signup,
)
from .util import freeze_local_now, post_form

NOW = datetime(2026, 3, 4, 10, 0)  # Wednesday, during the 9-12 meeting
TODAY = NOW.date()


@pytest.fixture
def today_meeting(network, monkeypatch):
    freeze_local_now(monkeypatch, NOW)
    return make_meeting(network, TODAY)


def _mark(client, meeting, participant, status, reason=""):
    return post_form(
        client,
        f"/meetings/{meeting.id}/register",
        f"/meetings/{meeting.id}/register/{participant.id}",
        {"status": status, "reason": reason},
    )


def _attendance(meeting, participant):
    db.session.expire_all()
    return db.session.execute(
        db.select(Attendance).where(
            Attendance.meeting_id == meeting.id, Attendance.participant_id == participant.id
        )
    ).scalar_one_or_none()


def test_todays_register_shows_who_is_in_and_who_is_not(client, network, login_as, today_meeting):
    amina = make_participant(network, "Amina", "Hassan")
    make_participant(network, "Lone", "Kristensen")
    make_participant(network, "Gitte", "Poulsen", status="intake")  # not expected
    make_attendance(today_meeting, amina)
    login_as("facilitator")
    html = client.get("/meetings/today").get_data(as_text=True)
    assert "Amina Hassan" in html and "Lone Kristensen" in html and "Gitte" not in html
    assert "1 tjekket ind" in html and "Ikke tjekket ind" in html


def test_facilitator_marks_present_absent_and_notified(client, network, login_as, today_meeting):
    lone = make_participant(network, "Lone", "Kristensen")
    user = login_as("facilitator")
    assert _mark(client, today_meeting, lone, "notified").status_code == 400
    assert _attendance(today_meeting, lone) is None
    assert _mark(client, today_meeting, lone, "notified", "job_interview").status_code == 302
    record = _attendance(today_meeting, lone)
    assert (record.status, record.absence_reason, record.recorded_by_id) == (
        "notified",
        "job_interview",
        user.id,
    )
    _mark(client, today_meeting, lone, "present", "personal")
    record = _attendance(today_meeting, lone)
    assert record.status == "present" and record.absence_reason is None
    assert db.session.query(Attendance).count() == 1
    assert _mark(client, today_meeting, lone, "maybe").status_code == 400
    assert _attendance(today_meeting, lone).status == "present"


def test_late_corrections_only_by_coordinators_and_recorded(
    client, app, network, login_as, today_meeting
):
    past = make_meeting(network, TODAY - timedelta(days=2))
    lone = make_participant(network, "Lone", "Kristensen")
    login_as("facilitator")
    refused = _mark(client, past, lone, "present")
    assert refused.status_code == 400
    assert "Kun en koordinator kan rette" in refused.get_data(as_text=True)
    assert _attendance(past, lone) is None

    coordinator_client = app.test_client()
    from ..conftest import log_in
    from ..factories import make_user

    coordinator = make_user("coordinator", network)
    log_in(coordinator_client, coordinator.email)
    assert _mark(coordinator_client, past, lone, "notified", "personal").status_code == 302
    record = _attendance(past, lone)
    assert record.recorded_by_id == coordinator.id and record.updated_at is not None
    event = db.session.execute(
        db.select(AuditEvent).where(AuditEvent.action == "attendance.correct")
    ).scalar_one()
    assert event.user_id == coordinator.id and event.subject_id == lone.id
    page = coordinator_client.get(f"/meetings/{past.id}/register").get_data(as_text=True)
    assert "Registreret af Coordinator" in page


def test_upcoming_meetings_take_only_notice(client, network, login_as, today_meeting):
    upcoming = make_meeting(network, TODAY + timedelta(days=1))
    lone = make_participant(network, "Lone", "Kristensen")
    login_as("facilitator")
    assert _mark(client, upcoming, lone, "present").status_code == 400
    assert _mark(client, upcoming, lone, "notified", "course").status_code == 302
    assert _attendance(upcoming, lone).status == "notified"


def test_someone_outside_the_meeting_cannot_be_marked(client, network, login_as, today_meeting):
    gitte = make_participant(network, "Gitte", "Poulsen", status="intake")
    login_as("coordinator")
    assert _mark(client, today_meeting, gitte, "present").status_code == 400
    assert _attendance(today_meeting, gitte) is None


def test_register_renders_the_meeting_today_slot(
    client, network, login_as, today_meeting, slot_part
):
    slot_part(
        "meeting.today",
        "TODAY'S CHORES for {{ ctx.day }}",
        lambda meeting: {"day": meeting.date.isoformat()},
    )
    login_as("facilitator")
    assert "TODAY'S CHORES for 2026-03-04" in client.get("/meetings/today").get_data(as_text=True)


def test_no_meeting_today_says_when_the_next_is(client, network, login_as, monkeypatch):
    freeze_local_now(monkeypatch, datetime(2026, 3, 3, 10, 0))  # a Tuesday
    make_meeting(network, date(2026, 3, 4))
    login_as("facilitator")
    html = client.get("/meetings/today").get_data(as_text=True)
    assert "ikke noget møde i dag" in html and "kl. 09.00" in html


def _meeting_on(network, day):
    """The network's pattern meeting on `day`, made if missing."""
    from netvaerk.meetings.models import Meeting

    found = db.session.execute(
        db.select(Meeting).where(Meeting.network_id == network.id, Meeting.pattern_date == day)
    ).scalar_one_or_none()
    return found or make_meeting(network, day)


def _history(network, participant, statuses, first_day=date(2026, 2, 2)):
    """Meetings Mon/Wed/Thu from `first_day` with the given attendance, oldest first."""
    day = first_day
    meetings = []
    for status in statuses:
        while day.weekday() not in (0, 2, 3):
            day += timedelta(days=1)
        meeting = _meeting_on(network, day)
        if status == "present":
            make_attendance(meeting, participant)
        elif status == "notified":
            make_attendance(meeting, participant, status="notified", absence_reason="personal")
        elif status == "absent":
            make_attendance(meeting, participant, status="absent")
        meetings.append(meeting)
        day += timedelta(days=1)
    return meetings


def test_attendance_rates_over_four_weeks_and_the_whole_period(app, network):
    now = datetime(2026, 3, 31, 13, 0)  # a Tuesday, after all the meetings below
    amina = make_participant(network, "Amina", "Hassan", start=date(2026, 2, 2))
    # 2 Feb .. 30 Mar: 25 pattern meetings. First 6 (before 4 March) absent, the rest split.
    statuses = (
        ["none"] * 6 + ["present", "notified", "present", "absent"] * 4 + ["present", "x", "x"]
    )
    meetings = _history(network, amina, statuses)
    services.cancel_meeting(meetings[-2], "")  # cancelled meetings are not held
    stats = services.attendance_stats(network.id, now)[amina.id]
    assert stats.held == 24
    assert stats.present == 9 and stats.notified == 4 and stats.unexplained == 11
    assert stats.rate == pytest.approx(9 / 24)
    # Last 4 weeks = 4 March .. 31 March.
    recent = [m for m in meetings if m.date >= date(2026, 3, 4) and m is not meetings[-2]]
    assert stats.recent_held == len(recent)
    assert stats.recent_present == sum(
        1 for m, s in zip(meetings, statuses, strict=False) if s == "present" and m in recent
    )
    # Before the participant's start nothing counts; a meeting today not yet over neither.
    later = make_participant(network, "Bo", "Rasmussen", start=date(2026, 3, 30))
    make_meeting(network, date(2026, 3, 31), start=time(12), end=time(15))
    assert services.attendance_stats(network.id, now)[later.id].held == 1  # only 30 March


def test_rates_of_the_rows_shown_and_of_one_participant_agree_with_everyone_s(app, network):
    now = datetime(2026, 3, 31, 13, 0)
    amina = make_participant(network, "Amina", "Hassan", start=date(2026, 2, 2))
    bo = make_participant(network, "Bo", "Rasmussen", start=date(2026, 2, 16))
    statuses = ["present", "notified", "none", "absent"] * 6 + ["present"]
    meetings = _history(network, amina, statuses)
    _history(network, bo, ["present", "none"] * 8, first_day=date(2026, 2, 16))
    everyone = services.attendance_stats(network.id, now)
    assert services.attendance_stats(network.id, now, [amina.id]) == {amina.id: everyone[amina.id]}
    assert services.attendance_stats(network.id, now, []) == {}
    stats, recent = services.participant_attendance(amina, now)
    assert stats == everyone[amina.id] and stats.held == len(meetings)
    # The latest twelve, newest first, with the attendance recorded at each.
    assert [m.id for m, _a in recent] == [m.id for m in reversed(meetings)][:12]
    assert [a.status if a else "none" for _m, a in recent] == list(reversed(statuses))[:12]
    newcomer = make_participant(network, "Carl", "Holm", start=date(2026, 3, 31))
    assert services.participant_attendance(newcomer, now) == (None, [])


def test_rates_count_only_inside_periods_after_coming_back(app, network):
    from netvaerk.participants.models import ParticipationPeriod

    tariq = make_participant(network, "Tariq", "Mahmoud", start=date(2026, 2, 2))
    tariq.periods[0].end_date = date(2026, 2, 6)
    tariq.periods.append(ParticipationPeriod(network_id=network.id, start_date=date(2026, 2, 16)))
    db.session.commit()
    _history(network, tariq, ["present"] * 9)  # 2 Feb .. 19 Feb
    stats = services.attendance_stats(network.id, datetime(2026, 3, 1, 12))[tariq.id]
    # 2, 4, 5 Feb in the first period; 16, 18, 19 Feb in the second; 9, 11, 12 Feb outside.
    assert stats.held == 6 and stats.present == 6


def test_follow_up_after_three_unexplained_absences_in_a_row(app, network):
    now = datetime(2026, 3, 1, 12)
    jesper = make_participant(network, "Jesper", "Madsen", start=date(2026, 2, 2))
    lone = make_participant(network, "Lone", "Kristensen", start=date(2026, 2, 2))
    mette = make_participant(network, "Mette", "Jørgensen", start=date(2026, 2, 2))
    _history(network, jesper, ["present", "present", "none", "absent", "none"])
    _history(network, lone, ["none", "none", "none", "present", "none"])
    _history(network, mette, ["present", "none", "notified", "none", "none"])
    rows = services.follow_up_list(network.id, now)
    assert [(r.participant.first_name, r.missed_in_a_row) for r in rows] == [("Jesper", 3)]
    assert rows[0].last_attended == date(2026, 2, 4)


def test_follow_up_page_and_home_panel(client, network, login_as, monkeypatch):
    freeze_local_now(monkeypatch, datetime(2026, 3, 1, 12))
    jesper = make_participant(network, "Jesper", "Madsen", start=date(2026, 2, 2))
    _history(network, jesper, ["none", "none", "none"])
    login_as("coordinator")
    assert "Jesper Madsen" in client.get("/meetings/follow-up").get_data(as_text=True)
    home = client.get("/").get_data(as_text=True)
    assert "Netværket lige nu" in home and "udeblevet fra 3 møder i træk" in home
    assert "Gruppe 1: 1 af 7 pladser optaget" in home


def _populate(network, people: int, meetings: int, first_day: date):
    participants = [
        make_participant(network, f"Person{i}", f"Efternavn{i}", start=date(2026, 1, 5))
        for i in range(people)
    ]
    day = first_day
    made = 0
    while made < meetings:
        if day.weekday() in (0, 2, 3):
            meeting = make_meeting(network, day)
            for i, participant in enumerate(participants):
                if (i + made) % 3:
                    make_attendance(meeting, participant)
            made += 1
        day += timedelta(days=1)
    return participants


def _queries(client, url):
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(statements)


@pytest.mark.commits
def test_query_counts_do_not_grow_with_the_data(client, network, login_as, today_meeting):
    login_as("coordinator")
    few = _populate(network, 2, 3, date(2026, 1, 5))
    small = {
        url: _queries(client, url)
        for url in ("/participants/", f"/participants/{few[0].id}", "/meetings/today")
    }
    many = _populate(network, 12, 20, date(2026, 1, 12))
    large = {
        url: _queries(client, url)
        for url in ("/participants/", f"/participants/{many[0].id}", "/meetings/today")
    }
    assert list(small.values()) == list(large.values()), (small, large)
    assert max(large.values()) <= 15, large  # the ceiling of tests/perf


@pytest.mark.commits
def test_register_statements_do_not_depend_on_what_the_day_holds(
    client, network, login_as, today_meeting
):
    """Today's activities (with or without facilitators) and rows recorded on the register
    (with who recorded them) are read by the page's own statements, not by extra ones."""
    user = login_as("coordinator")
    amina = make_participant(network, "Amina", "Hassan")
    make_participant(network, "Lone", "Kristensen")
    bare = _queries(client, "/meetings/today")
    activity = make_activity(network, TODAY, needed=2, meeting=today_meeting)
    make_signup(activity, user)
    make_activity(network, TODAY, title="Jobsøgning", start_time=time(11), end_time=time(12))
    make_attendance(today_meeting, amina, source="register", recorded_by_id=user.id)
    html = client.get("/meetings/today").get_data(as_text=True)
    assert "CV-værksted" in html and "Jobsøgning" in html and "Registreret af" in html
    assert _queries(client, "/meetings/today") == bare
