"""Issue 30: the tap of the cached grid (JSON) and the taps the kiosk stored while offline,
sent later: once each by their key, on the meeting of their day, refused when they are for
another network, in the future or on another day, and shown on the register when they came
too late or with a wrong code."""

import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from netvaerk.extensions import db
from netvaerk.meetings.models import KioskTap
from netvaerk.participants.services import set_code
from netvaerk.timeutil import LOCAL_TZ

from ..conftest import csrf_token_from, log_in
from ..factories import make_meeting, make_participant, make_user
from ..meetings.util import freeze_local_now
from .conftest import NOW
from .test_kiosk import _records


def _token(client) -> str:
    return csrf_token_from(client.get("/kiosk/").get_data(as_text=True))


def _epoch_ms(local: datetime) -> int:
    return int(local.replace(tzinfo=LOCAL_TZ).timestamp() * 1000)


def _send(client, participant_id, at: datetime = NOW, key=None, token=None, **extra):
    """Send one stored tap as kiosk.js does: JSON with the CSRF token in X-CSRFToken."""
    key = str(uuid.uuid4()) if key is None else key
    body = {"key": key, "participant": participant_id, "time": _epoch_ms(at)}
    return client.post(
        "/kiosk/api/offline-tap",
        json={**body, **extra},
        headers={"X-CSRFToken": token or _token(client)},
    )


def _taps():
    db.session.expire_all()
    return db.session.scalars(db.select(KioskTap).order_by(KioskTap.id)).all()


def _register(app, kiosk):
    coordinator = make_user("coordinator", kiosk["network"])
    staff = app.test_client()
    log_in(staff, coordinator.email)
    return staff.get(f"/meetings/{kiosk['meeting'].id}/register").get_data(as_text=True)


# --- the JSON tap of the cached grid ----------------------------------------------------------


def test_the_json_tap_checks_in_and_answers_what_the_confirmation_shows(kiosk):
    client, amina = kiosk["client"], kiosk["amina"]
    token = _token(client)
    response = client.post(f"/kiosk/api/tap/{amina.id}", headers={"X-CSRFToken": token})
    assert response.status_code == 200 and response.is_json
    data = response.get_json()
    assert data["status"] == "checked_in"
    assert data["title"] == "Velkommen, Amina! Du er tjekket ind."
    assert data["meeting"].startswith("Dagens møde: onsdag")
    assert data["undo"]["seconds"] == 10
    assert data["undo"]["url"] == f"/kiosk/checked-in/{amina.id}/undo"
    assert "Hassan" not in response.get_data(as_text=True)
    assert len(_records(kiosk["meeting"])) == 1
    again = client.post(f"/kiosk/api/tap/{amina.id}", headers={"X-CSRFToken": token})
    assert again.get_json()["status"] == "already" and again.get_json()["undo"] is None
    assert len(_records(kiosk["meeting"])) == 1
    # The JSON tap's undo is the confirmation's: the tablet's session remembers it.
    assert client.post(data["undo"]["url"], data={"csrf_token": token}).status_code == 303


def test_the_json_tap_needs_the_csrf_header(kiosk):
    response = kiosk["client"].post(f"/kiosk/api/tap/{kiosk['amina'].id}")
    assert response.status_code == 400
    assert _records(kiosk["meeting"]) == []


def test_the_json_tap_sends_a_resident_with_a_code_to_the_code_step(app, kiosk):
    kiosk["network"].checkin_code_required = True
    set_code(kiosk["amina"], "1234", user_id=kiosk["user"].id)
    db.session.commit()
    client = kiosk["client"]
    response = client.post(
        f"/kiosk/api/tap/{kiosk['amina'].id}", headers={"X-CSRFToken": _token(client)}
    )
    assert response.get_json() == {"status": "code", "url": f"/kiosk/code/{kiosk['amina'].id}"}
    assert _records(kiosk["meeting"]) == []


def test_the_json_tap_of_another_networks_resident_is_404(app, kiosk):
    from ..factories import make_network

    other = make_participant(make_network("Andet"), "Ole", "Olsen")
    client = kiosk["client"]
    response = client.post(f"/kiosk/api/tap/{other.id}", headers={"X-CSRFToken": _token(client)})
    assert response.status_code == 404 and _records(kiosk["meeting"]) == []


# --- taps stored offline ---------------------------------------------------------------------


def test_an_offline_tap_counts_once_at_its_own_time(kiosk):
    client, amina = kiosk["client"], kiosk["amina"]
    key = str(uuid.uuid4())
    tapped = NOW - timedelta(minutes=10)
    first = _send(client, amina.id, tapped, key)
    assert first.status_code == 200
    assert first.get_json() == {"outcome": "counted", "replayed": False}
    (record,) = _records(kiosk["meeting"])
    assert record.status == "present" and record.source == "kiosk"
    assert record.checked_in_at == tapped.replace(tzinfo=LOCAL_TZ).astimezone(UTC).replace(
        tzinfo=None
    )
    # A replay (the tablet sends it again) changes nothing.
    again = _send(client, amina.id, tapped, key)
    assert again.get_json() == {"outcome": "counted", "replayed": True}
    assert len(_records(kiosk["meeting"])) == 1 and len(_taps()) == 1


def test_a_replayed_key_with_another_resident_changes_nothing(kiosk):
    client = kiosk["client"]
    key = str(uuid.uuid4())
    _send(client, kiosk["amina"].id, key=key)
    assert _send(client, kiosk["lone"].id, key=key).get_json()["replayed"] is True
    assert [r.participant_id for r in _records(kiosk["meeting"])] == [kiosk["amina"].id]


def test_an_offline_tap_of_someone_already_in_is_kept_once(kiosk):
    client = kiosk["client"]
    _send(client, kiosk["amina"].id)
    assert _send(client, kiosk["amina"].id).get_json()["outcome"] == "already"
    assert len(_records(kiosk["meeting"])) == 1


@pytest.mark.parametrize(
    "case",
    ["other_network", "future", "other_day", "no_meeting", "inactive", "no_key", "no_time"],
)
def test_bad_offline_taps_are_refused_and_change_nothing(kiosk, case):
    from ..factories import make_network

    client, amina = kiosk["client"], kiosk["amina"]
    participant_id, at, extra = amina.id, NOW, {}
    if case == "other_network":
        participant_id = make_participant(make_network("Andet"), "Ole", "Olsen").id
    elif case == "future":
        at = NOW + timedelta(minutes=30)
    elif case == "other_day":
        make_meeting(kiosk["network"], (NOW - timedelta(days=1)).date())
        at = NOW - timedelta(days=1)
    elif case == "no_meeting":
        at = NOW.replace(hour=7)
    elif case == "inactive":
        participant_id = make_participant(kiosk["network"], "Gitte", "P", status="left").id
    elif case == "no_key":
        extra = {"key": ""}
    elif case == "no_time":
        extra = {"time": "yesterday"}
    response = _send(client, participant_id, at, **extra)
    assert response.status_code == 422 and response.get_json()["error"]
    assert _records(kiosk["meeting"]) == [] and _taps() == []


def test_an_offline_tap_refused_in_danish(kiosk):
    response = _send(kiosk["client"], kiosk["amina"].id, NOW + timedelta(hours=1))
    assert response.get_json()["error"] == "Tidspunktet for tjek-ind ligger i fremtiden."


def test_a_tap_arriving_after_the_grace_period_is_shown_as_too_late(app, kiosk, monkeypatch):
    client, amina = kiosk["client"], kiosk["amina"]
    # The 9-12 meeting ended at 12; 60 minutes of grace by default; it arrives at 13:05.
    freeze_local_now(monkeypatch, NOW.replace(hour=13, minute=5))
    response = _send(client, amina.id, NOW)
    assert response.get_json() == {"outcome": "late", "replayed": False}
    assert _records(kiosk["meeting"]) == []
    (tap,) = _taps()
    assert tap.outcome == "late" and tap.meeting_id == kiosk["meeting"].id
    register = _register(app, kiosk)
    assert "Kom for sent til at tælle" in register and "Amina Hassan" in register


def test_a_tap_within_the_grace_period_counts(kiosk, monkeypatch):
    freeze_local_now(monkeypatch, NOW.replace(hour=12, minute=55))
    response = _send(kiosk["client"], kiosk["amina"].id, NOW)
    assert response.get_json()["outcome"] == "counted"
    assert len(_records(kiosk["meeting"])) == 1


def test_the_grace_period_is_a_setting(app, kiosk, monkeypatch):
    app.config["NETVAERK_KIOSK_OFFLINE_GRACE_MINUTES"] = 10
    freeze_local_now(monkeypatch, NOW.replace(hour=12, minute=15))
    assert _send(kiosk["client"], kiosk["amina"].id, NOW).get_json()["outcome"] == "late"


def test_a_wrong_code_typed_offline_is_refused_and_shown(app, kiosk):
    kiosk["network"].checkin_code_required = True
    set_code(kiosk["amina"], "1234", user_id=kiosk["user"].id)
    db.session.commit()
    client = kiosk["client"]
    wrong = _send(client, kiosk["amina"].id, code="9999")
    assert wrong.get_json() == {"outcome": "wrong_code", "replayed": False}
    missing = _send(client, kiosk["amina"].id)
    assert missing.get_json()["outcome"] == "wrong_code"
    assert _records(kiosk["meeting"]) == []
    register = _register(app, kiosk)
    assert "Forkert kode" in register and "Amina Hassan" in register
    right = _send(client, kiosk["amina"].id, code="1234")
    assert right.get_json()["outcome"] == "counted"
    assert len(_records(kiosk["meeting"])) == 1


def test_offline_taps_need_the_csrf_header_and_the_kiosk(app, kiosk):
    client = kiosk["client"]
    body = {"key": str(uuid.uuid4()), "participant": kiosk["amina"].id, "time": _epoch_ms(NOW)}
    assert client.post("/kiosk/api/offline-tap", json=body).status_code == 400
    staff = app.test_client()
    log_in(staff, make_user("coordinator", kiosk["network"]).email)
    token = csrf_token_from(staff.get("/login", follow_redirects=True).get_data(as_text=True))
    refused = staff.post("/kiosk/api/offline-tap", json=body, headers={"X-CSRFToken": token})
    assert refused.status_code == 403
    assert _records(kiosk["meeting"]) == [] and _taps() == []


def test_the_service_worker_is_served_for_the_kiosk_scope(kiosk):
    response = kiosk["client"].get("/kiosk/sw.js")
    assert response.status_code == 200
    assert response.headers["Service-Worker-Allowed"] == "/kiosk/"
    assert "javascript" in response.headers["Content-Type"]
    assert "no-store" in response.headers["Cache-Control"]  # always asked anew
    assert "netvaerk-kiosk-" in response.get_data(as_text=True)


def test_an_erased_resident_leaves_no_taps(app, kiosk, monkeypatch):
    from netvaerk.meetings.personal_data import erase_attendance, export_attendance

    freeze_local_now(monkeypatch, NOW.replace(hour=13, minute=30))
    _send(kiosk["client"], kiosk["amina"].id, NOW)
    exported = export_attendance(kiosk["amina"])
    assert [t["outcome"] for t in exported["kiosk_taps_sent_later"]] == ["late"]
    erase_attendance(kiosk["amina"])
    db.session.commit()
    assert _taps() == []


@pytest.mark.commits
def test_the_same_tap_sent_twice_at_once_checks_in_once(app, kiosk):
    """Two sends of one stored tap at the same moment (two threads, e.g. the page and its
    reload): one check-in, one stored key, and both answered without an error."""
    client = kiosk["client"]
    token = _token(client)
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    key = str(uuid.uuid4())
    body = {"key": key, "participant": kiosk["amina"].id, "time": _epoch_ms(NOW)}
    barrier = threading.Barrier(2)
    answers: list = []

    def send():
        own = app.test_client()
        own.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
        barrier.wait(timeout=30)
        response = own.post("/kiosk/api/offline-tap", json=body, headers={"X-CSRFToken": token})
        answers.append((response.status_code, response.get_json()))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(status for status, _ in answers) == [200, 200]
    assert sorted(data["replayed"] for _, data in answers) == [False, True]
    assert len(_records(kiosk["meeting"])) == 1 and len(_taps()) == 1


@pytest.mark.commits
def test_the_json_tap_runs_four_statements(kiosk):
    """As light as the page's tap, without the page: the user with their memberships, the
    resident with the day's meetings, the upsert, today's task and activities (UNION ALL)."""
    from ..conftest import count_queries

    client = kiosk["client"]
    token = _token(client)
    url = f"/kiosk/api/tap/{kiosk['amina'].id}"
    for status in ("checked_in", "already"):
        with count_queries() as statements:
            response = client.post(url, headers={"X-CSRFToken": token})
        assert response.get_json()["status"] == status
        assert len(statements) == 4, "\n\n".join(s[:200] for s in statements)
    assert len(_records(kiosk["meeting"])) == 1
