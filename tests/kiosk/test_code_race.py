"""The kiosk code's tries are taken and counted in one statement: codes sent at the same moment
cannot check more than MAX_CODE_ATTEMPTS between them (issue #21, part 3). Runs on SQLite and,
with NETVAERK_TEST_DATABASE_URL, on PostgreSQL."""

import threading
from datetime import timedelta

import pytest

from netvaerk import timeutil
from netvaerk.extensions import db
from netvaerk.participants import services
from netvaerk.participants.services import CODE_LOCK_MINUTES, MAX_CODE_ATTEMPTS, set_code

from ..conftest import csrf_token_from
from .test_kiosk import _records, _tap

RIGHT = "1234"


def _with_code(app, kiosk):
    kiosk["network"].checkin_code_required = True
    db.session.commit()
    with app.test_request_context():
        set_code(kiosk["amina"], RIGHT, user_id=kiosk["user"].id)
    db.session.commit()


def _answer(html: str) -> str:
    if "Velkommen, Amina!" in html:
        return "in"
    if "Koden er ikke rigtig" in html:
        return "wrong"
    if "For mange forkerte koder" in html:
        return "locked"
    return "other"


def _send_at_once(app, kiosk, codes: list[str]) -> list[str]:
    """POST every code to Amina's button at the same moment, each from its own client."""
    first = kiosk["client"]
    token = csrf_token_from(first.get("/kiosk/").get_data(as_text=True))
    cookie = first.get_cookie("netvaerk_session", domain="localhost").value
    url = f"/kiosk/check-in/{kiosk['amina'].id}"
    barrier = threading.Barrier(len(codes))
    results: list[tuple[int, str]] = []

    def send(code: str) -> None:
        client = app.test_client()
        client.set_cookie("netvaerk_session", cookie, domain="localhost")
        barrier.wait()
        # A right code answers with the confirmation; a wrong one redirects to the code step,
        # which shows its error.
        response = client.post(url, data={"csrf_token": token, "code": code}, follow_redirects=True)
        results.append((response.status_code, _answer(response.get_data(as_text=True))))

    threads = [threading.Thread(target=send, args=(code,)) for code in codes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {status for status, _ in results} == {200}, results
    answers = [answer for _, answer in results]
    assert answers.count("other") == 0
    return answers


@pytest.fixture
def checked(monkeypatch) -> list[str]:
    """The codes actually compared with the stored hash."""
    compared: list[str] = []
    original = services.check_password_hash

    def spy(hashed: str, code: str) -> bool:
        compared.append(code)
        return original(hashed, code)

    monkeypatch.setattr(services, "check_password_hash", spy)
    return compared


@pytest.mark.commits
def test_forty_one_wrong_codes_at_once_check_exactly_three(app, kiosk, checked):
    _with_code(app, kiosk)
    answers = _send_at_once(app, kiosk, [f"{n:04d}" for n in range(41)])
    assert len(checked) == MAX_CODE_ATTEMPTS
    # The third wrong code already answers that the step is locked.
    assert answers.count("wrong") == MAX_CODE_ATTEMPTS - 1
    assert answers.count("locked") == 41 - MAX_CODE_ATTEMPTS + 1
    assert _records(kiosk["meeting"]) == []


@pytest.mark.commits
def test_forty_wrong_codes_and_the_right_one_at_once(app, kiosk, checked):
    """The attack of the report: 40 guesses and the right code together. Only the right code
    (if it got one of the tries) resets the count, so at most MAX_CODE_ATTEMPTS guesses are
    checked before it and as many after it: never the 20 of the report."""
    _with_code(app, kiosk)
    answers = _send_at_once(app, kiosk, [f"{n:04d}" for n in range(40)] + [RIGHT])
    assert answers.count("in") <= 1
    wrong_checked = len([code for code in checked if code != RIGHT])
    if RIGHT in checked:
        assert answers.count("in") == 1
        assert wrong_checked <= 2 * MAX_CODE_ATTEMPTS - 1
    else:
        assert wrong_checked == MAX_CODE_ATTEMPTS
    assert len(_records(kiosk["meeting"])) == answers.count("in")


def test_the_lock_ends_and_the_right_code_then_checks_in(app, kiosk, monkeypatch):
    _with_code(app, kiosk)
    client = kiosk["client"]
    for code in ("0000", "0001", "0002"):
        _tap(client, kiosk["amina"], code=code)
    assert _answer(_tap(client, kiosk["amina"], code=RIGHT).get_data(as_text=True)) == "locked"
    later = timeutil.utcnow() + timedelta(minutes=CODE_LOCK_MINUTES + 1)
    monkeypatch.setattr(timeutil, "utcnow", lambda: later)
    assert _answer(_tap(client, kiosk["amina"], code="0003").get_data(as_text=True)) == "wrong"
    assert _answer(_tap(client, kiosk["amina"], code=RIGHT).get_data(as_text=True)) == "in"
