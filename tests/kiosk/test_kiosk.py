"""The check-in tablet: the grid, check-in (also two taps at once), hours, codes, language,
and the kiosk account's confinement to its own pages."""

import re
import threading
from datetime import date, datetime, time, timedelta

import pytest
from flask import url_for

from netvaerk import timeutil
from netvaerk.extensions import db
from netvaerk.meetings.models import Attendance
from netvaerk.participants.services import set_code

from ..conftest import count_queries, csrf_token_from, log_in
from ..factories import make_meeting, make_participant
from ..meetings.util import freeze_local_now


def _tap(client, participant, **data):
    token = csrf_token_from(client.get("/kiosk/").get_data(as_text=True))
    return client.post(
        f"/kiosk/check-in/{participant.id}",
        data={"csrf_token": token, **data},
        follow_redirects=True,
    )


def _records(meeting):
    db.session.expire_all()
    return (
        db.session.execute(db.select(Attendance).where(Attendance.meeting_id == meeting.id))
        .scalars()
        .all()
    )


def test_kiosk_lands_on_the_grid_of_active_first_names(kiosk):
    response = kiosk["client"].get("/", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    names = re.findall(r'kiosk-name__name">([^<]+)<', html)
    assert names == ["Amina H.", "Lone K."]
    assert "Hassan" not in html and "Gitte" not in html and "Bo R" not in html
    assert html.count('method="post" action="/kiosk/check-in/') == 2
    # The only script is kiosk.js, from our own static folder (no inline JavaScript: strict CSP).
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/kiosk.js" defer>']
    assert 'data-kiosk-refresh="/kiosk/"' in html and 'http-equiv="refresh"' not in html


def test_check_in_confirms_and_twice_keeps_one_record(kiosk):
    response = _tap(kiosk["client"], kiosk["amina"])
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Velkommen, Amina! Du er tjekket ind." in html
    # The way back to the names: a visible countdown with "More time" (kiosk.js) and, for a
    # browser without JavaScript, a big button; no <meta refresh> (WCAG 2.2.1).
    assert 'http-equiv="refresh"' not in html
    assert 'data-kiosk-return="/kiosk/"' in html and "data-more-time" in html
    assert re.search(r'<a class="button kiosk-back" href="/kiosk/">Tilbage til navnene</a>', html)
    again = _tap(kiosk["client"], kiosk["amina"]).get_data(as_text=True)
    assert "Du var allerede tjekket ind, Amina." in again
    records = _records(kiosk["meeting"])
    assert len(records) == 1 and records[0].status == "present" and records[0].source == "kiosk"
    grid = kiosk["client"].get("/kiosk/").get_data(as_text=True)
    assert "kiosk-name--in" in grid


def test_check_in_turns_an_earlier_absence_into_present(kiosk):
    from ..factories import make_attendance

    make_attendance(
        kiosk["meeting"],
        kiosk["lone"],
        status="notified",
        absence_reason="course",
        source="register",
    )
    first = _tap(kiosk["client"], kiosk["lone"]).get_data(as_text=True)
    assert "Velkommen, Lone! Du er tjekket ind." in first
    (record,) = _records(kiosk["meeting"])
    assert (record.status, record.absence_reason, record.source) == ("present", None, "kiosk")
    assert record.checked_in_at is not None
    # The next tap finds the resident present: nothing changes, and the page says so.
    checked_in_at = record.checked_in_at
    again = _tap(kiosk["client"], kiosk["lone"]).get_data(as_text=True)
    assert "Du var allerede tjekket ind, Lone." in again
    (record,) = _records(kiosk["meeting"])
    assert record.checked_in_at == checked_in_at


@pytest.mark.commits
def test_two_taps_at_the_same_moment_make_one_record(app, kiosk):
    """Real concurrent requests, each thread with its own client (SQLite or PostgreSQL)."""
    clients = []
    for _ in range(4):
        client = app.test_client()
        log_in(client, kiosk["user"].email)
        token = csrf_token_from(client.get("/kiosk/").get_data(as_text=True))
        clients.append((client, token))
    barrier = threading.Barrier(len(clients))
    results: list[int] = []
    url = f"/kiosk/check-in/{kiosk['amina'].id}"

    def tap(client, token):
        barrier.wait()
        results.append(client.post(url, data={"csrf_token": token}).status_code)

    threads = [threading.Thread(target=tap, args=pair) for pair in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [200] * len(clients)
    assert len(_records(kiosk["meeting"])) == 1


def test_outside_the_meetings_hours_nothing_is_recorded(kiosk, monkeypatch):
    freeze_local_now(monkeypatch, datetime(2026, 3, 4, 12, 30))  # after the meeting
    make_meeting(kiosk["network"], date(2026, 3, 5))
    html = kiosk["client"].get("/kiosk/").get_data(as_text=True)
    assert "Der er ikke noget møde lige nu" in html
    assert "Næste møde er torsdag den 5. marts 2026 kl. 09.00." in html
    assert "kiosk-name" not in html
    token = csrf_token_from(html)
    response = kiosk["client"].post(
        f"/kiosk/check-in/{kiosk['amina'].id}", data={"csrf_token": token}
    )
    assert "der blev ikke registreret noget" in response.get_data(as_text=True)
    assert _records(kiosk["meeting"]) == []


def test_check_in_opens_half_an_hour_before(kiosk, monkeypatch):
    freeze_local_now(monkeypatch, datetime(2026, 3, 4, 8, 20))
    html = kiosk["client"].get("/kiosk/").get_data(as_text=True)
    assert "Næste møde er i dag kl. 09.00" in html
    freeze_local_now(monkeypatch, datetime(2026, 3, 4, 8, 30))
    assert _tap(kiosk["client"], kiosk["amina"]).status_code == 200
    assert len(_records(kiosk["meeting"])) == 1


def test_cancelled_meeting_is_not_open(kiosk):
    kiosk["meeting"].is_cancelled = True
    db.session.commit()
    assert "Der er ikke noget møde lige nu" in kiosk["client"].get("/kiosk/").get_data(as_text=True)


def test_unknown_inactive_and_other_networks_residents_answer_404(kiosk):
    from ..factories import make_network

    other = make_participant(make_network("Andet netværk"), "Eva", "Andersen")
    gitte = db.session.execute(
        db.select(db.metadata.tables["netvaerk_participant"].c.id).where(
            db.metadata.tables["netvaerk_participant"].c.first_name == "Gitte"
        )
    ).scalar_one()
    client = kiosk["client"]
    token = csrf_token_from(client.get("/kiosk/").get_data(as_text=True))
    for participant_id in (other.id, gitte, 99999):
        response = client.post(f"/kiosk/check-in/{participant_id}", data={"csrf_token": token})
        assert response.status_code == 404
    assert _records(kiosk["meeting"]) == []


def test_confirmation_in_english_after_the_switch(kiosk):
    client = kiosk["client"]
    token = csrf_token_from(client.get("/kiosk/").get_data(as_text=True))
    switched = client.post("/language", data={"lang": "en", "next": "/kiosk/", "csrf_token": token})
    assert switched.status_code == 302 and switched.location.endswith("/kiosk/")
    assert "Tap your name to check in" in client.get("/kiosk/").get_data(as_text=True)
    html = _tap(client, kiosk["amina"]).get_data(as_text=True)
    assert "Welcome, Amina! You are checked in." in html


def test_slots_on_the_screen_and_the_confirmation(kiosk, slot_part):
    slot_part("kiosk.screen", "ACTIVITIES TODAY", lambda network, meeting: {})
    slot_part(
        "kiosk.confirmation",
        "YOUR TASK TODAY, {{ ctx.name }}",
        lambda participant, meeting: {"name": participant.first_name},
    )
    assert "ACTIVITIES TODAY" in kiosk["client"].get("/kiosk/").get_data(as_text=True)
    assert "YOUR TASK TODAY, Amina" in _tap(kiosk["client"], kiosk["amina"]).get_data(as_text=True)


def test_personal_code_step_limits_wrong_codes_and_reveals_nothing(app, kiosk):
    network = kiosk["network"]
    network.checkin_code_required = True
    db.session.commit()
    with app.test_request_context():
        set_code(kiosk["amina"], "2580", user_id=kiosk["user"].id)
        set_code(kiosk["lone"], "1111", user_id=kiosk["user"].id)
        db.session.commit()  # the service only flushes
    client = kiosk["client"]
    first = _tap(client, kiosk["amina"]).get_data(as_text=True)
    assert "Tast din firecifrede kode" in first or "Din firecifrede kode" in first
    assert _records(kiosk["meeting"]) == []
    # Lone's code typed on Amina's button: just "not right", never whose code it is.
    wrong = _tap(client, kiosk["amina"], code="1111").get_data(as_text=True)
    assert "Koden er ikke rigtig" in wrong and "Lone" not in wrong
    assert "Koden er fire cifre" in _tap(client, kiosk["amina"], code="12").get_data(as_text=True)
    assert "Koden er ikke rigtig" in _tap(client, kiosk["amina"], code="0000").get_data(
        as_text=True
    )
    locked = _tap(client, kiosk["amina"], code="9999").get_data(as_text=True)
    assert "For mange forkerte koder" in locked
    # Even the right code is refused while locked.
    still = _tap(client, kiosk["amina"], code="2580").get_data(as_text=True)
    assert "For mange forkerte koder" in still
    assert _records(kiosk["meeting"]) == []
    # Others are not locked out.
    ok = _tap(client, kiosk["lone"], code="1111").get_data(as_text=True)
    assert "Velkommen, Lone!" in ok


def test_right_code_checks_in(app, kiosk):
    kiosk["network"].checkin_code_required = True
    db.session.commit()
    with app.test_request_context():
        set_code(kiosk["amina"], "2580", user_id=kiosk["user"].id)
        db.session.commit()  # the service only flushes
    html = _tap(kiosk["client"], kiosk["amina"], code="2580").get_data(as_text=True)
    assert "Velkommen, Amina!" in html
    assert len(_records(kiosk["meeting"])) == 1


def test_the_kiosk_reaches_no_other_page(app, kiosk):
    """Every URL except the kiosk's own, logout, language and static files answers 403."""
    client = kiosk["client"]
    token = csrf_token_from(client.get("/kiosk/").get_data(as_text=True))
    allowed = {
        "netvaerk.kiosk.index",
        "netvaerk.kiosk.check_in",
        "netvaerk.kiosk.code",
        "netvaerk.kiosk.confirmation",
        "netvaerk.kiosk.undo",
        # Issue 30: the tap as data, a tap sent later from the tablet, the service worker.
        "netvaerk.kiosk.api_tap",
        "netvaerk.kiosk.offline_tap",
        "netvaerk.kiosk.service_worker",
        # A form a coordinator put on the tablet for a resident (issue 6) is answered there.
        "netvaerk.evaluations.answer_on_tablet",
        # The resident's own page after a check-in with the code (issue 30).
        "netvaerk.mypage.kiosk_code",
        "netvaerk.mypage.kiosk_page",
        "netvaerk.mypage.kiosk_done",
        "netvaerk.mypage.kiosk_wish",
        "netvaerk.core.home",
        "netvaerk.core.set_language",
        "netvaerk.auth.logout",
        "netvaerk.static",
        "static",
    }
    checked = 0
    with app.test_request_context():
        rules = [
            (rule, url_for(rule.endpoint, **dict.fromkeys(rule.arguments, 1)))
            for rule in app.url_map.iter_rules()
            if rule.endpoint not in allowed and "filename" not in rule.arguments
        ]
    for rule, url in rules:
        url = url.replace("http://localhost", "")
        if "GET" in rule.methods:
            assert client.get(url).status_code == 403, url
        else:
            assert client.post(url, data={"csrf_token": token}).status_code == 403, url
        checked += 1
    assert checked > 20
    assert client.get("/").location.endswith("/kiosk/")


@pytest.mark.parametrize("role", ["coordinator", "facilitator", "steering"])
def test_staff_do_not_use_the_kiosk_page(client, network, login_as, role):
    login_as(role)
    assert client.get("/kiosk/").status_code == 403


def test_demo_gives_a_usable_kiosk_whatever_the_hour(app, runner, monkeypatch):
    from netvaerk.demo import DEMO_PASSWORD

    for moment in (datetime(2026, 3, 8, 23, 59, 30), datetime(2026, 3, 9, 0, 0, 5)):
        freeze_local_now(monkeypatch, moment)
        result = runner.invoke(args=["demo"])
        assert result.exit_code == 0, result.output
        client = app.test_client()
        log_in(client, "kiosk@example.org", DEMO_PASSWORD)
        html = client.get("/", follow_redirects=True).get_data(as_text=True)
        names = re.findall(r'kiosk-name__name">([^<]+)<', html)
        assert len(names) >= 7, (moment, html[-2000:])
    meetings_before = db.session.execute(db.text("SELECT count(*) FROM netvaerk_meeting")).scalar()
    attendance_before = db.session.execute(
        db.text("SELECT count(*) FROM netvaerk_attendance")
    ).scalar()
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert db.session.execute(db.text("SELECT count(*) FROM netvaerk_meeting")).scalar() == (
        meetings_before
    )
    assert db.session.execute(db.text("SELECT count(*) FROM netvaerk_attendance")).scalar() == (
        attendance_before
    )
    assert time(0) <= moment.time()


def test_a_tap_answers_with_the_confirmation_at_a_url_that_reload_does_not_resend(kiosk):
    """One request: the tap answers with the confirmation, which names its own URL for the
    tablet's history (kiosk.js puts it in place of the POST); a GET of that URL shows it again,
    and a resent tap (a reload without the script) records nothing more."""
    client = kiosk["client"]
    token = csrf_token_from(client.get("/kiosk/").get_data(as_text=True))
    url = f"/kiosk/check-in/{kiosk['amina'].id}"
    response = client.post(url, data={"csrf_token": token})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Velkommen, Amina! Du er tjekket ind." in html
    own = f"/kiosk/checked-in/{kiosk['amina'].id}"
    assert f'data-kiosk-url="{own}"' in html
    for _ in range(2):
        html = client.get(own).get_data(as_text=True)
        assert "Velkommen, Amina! Du er tjekket ind." in html
    resent = client.post(url, data={"csrf_token": token}).get_data(as_text=True)
    assert "Du var allerede tjekket ind, Amina." in resent
    assert len(_records(kiosk["meeting"])) == 1
    # Someone else's confirmation URL is not shown: it leads to the names.
    other = client.get(f"/kiosk/checked-in/{kiosk['lone'].id}")
    assert other.status_code == 302 and other.location.endswith("/kiosk/")


def test_the_confirmation_url_expires_after_a_few_minutes(kiosk, monkeypatch):
    client = kiosk["client"]
    _tap(client, kiosk["amina"])
    real_utcnow = timeutil.utcnow
    monkeypatch.setattr(timeutil, "utcnow", lambda: real_utcnow() + timedelta(minutes=3))
    later = client.get(f"/kiosk/checked-in/{kiosk['amina'].id}")
    assert later.status_code == 302 and later.location.endswith("/kiosk/")


def test_wrong_code_redirects_to_the_code_page_with_the_error(app, kiosk):
    kiosk["network"].checkin_code_required = True
    db.session.commit()
    with app.test_request_context():
        set_code(kiosk["amina"], "2580", user_id=kiosk["user"].id)
    db.session.commit()  # the service only flushes
    client = kiosk["client"]
    token = csrf_token_from(client.get("/kiosk/").get_data(as_text=True))
    url = f"/kiosk/check-in/{kiosk['amina'].id}"
    wrong = client.post(url, data={"csrf_token": token, "code": "1111"})
    assert wrong.status_code == 303 and wrong.location.endswith(f"/kiosk/code/{kiosk['amina'].id}")
    page = client.get(wrong.location).get_data(as_text=True)
    assert "Koden er ikke rigtig" in page
    # The error is shown once: a reload shows the plain code step.
    assert "Koden er ikke rigtig" not in client.get(wrong.location).get_data(as_text=True)


@pytest.mark.commits
def test_a_tap_runs_four_statements_whether_new_or_repeated(kiosk):
    """Issue 19: one request, four statements: the user with their memberships (every page),
    the resident with the day's meetings, the check-in (INSERT … ON CONFLICT DO NOTHING), and
    today's task and activities (one UNION ALL). A repeated tap runs the same four."""
    client = kiosk["client"]
    token = csrf_token_from(client.get("/kiosk/").get_data(as_text=True))
    url = f"/kiosk/check-in/{kiosk['amina'].id}"
    for words in ("Du er tjekket ind", "Du var allerede tjekket ind"):
        with count_queries() as statements:
            response = client.post(url, data={"csrf_token": token})
        assert words in response.get_data(as_text=True)
        assert len(statements) == 4, "\n\n".join(s[:200] for s in statements)
    assert len(_records(kiosk["meeting"])) == 1
