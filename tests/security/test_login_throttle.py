"""Login throttling that a stranger cannot turn into a lock-out (issue #21, part 2; issue #27):
failed logins are limited per address, per account and client, and per account only for
clients the account does not know; its own device and network still get in with the right
password, successful logins never count, and a centre behind one address is never locked out
by its own staff (nor its kiosk by anyone else's failures)."""

import pytest

from netvaerk.auth.throttle import DEVICE_COOKIE

from ..conftest import csrf_token_from
from ..factories import PASSWORD, make_user

VICTIM_HOME = "192.0.2.10"


CENTRE = "192.0.2.77"


def _limits(app, limit: str) -> None:
    app.config["NETVAERK_RATELIMIT_LOGIN_ADDRESS"] = limit
    app.config["NETVAERK_RATELIMIT_LOGIN"] = limit
    app.config["NETVAERK_RATELIMIT_LOGIN_ACCOUNT"] = limit


def _attempt(client, email, address, password="wrong-password-1"):
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token},
        environ_base={"REMOTE_ADDR": address},
    )


def _log_out(client, address):
    page = client.get("/", environ_base={"REMOTE_ADDR": address}, follow_redirects=True)
    token = csrf_token_from(page.get_data(as_text=True))
    client.post("/logout", data={"csrf_token": token}, environ_base={"REMOTE_ADDR": address})


@pytest.fixture
def victim(app, network):
    """An account that logged in before from its home address, on its own device."""
    user = make_user("coordinator", network)
    device = app.test_client()
    assert _attempt(device, user.email, VICTIM_HOME, PASSWORD).status_code == 302
    assert device.get_cookie(DEVICE_COOKIE, domain="localhost", path="/login") is not None
    _log_out(device, VICTIM_HOME)
    return {"user": user, "device": device}


def _strangers_guess(app, email, count=10):
    answers = []
    for n in range(count):
        stranger = app.test_client()
        answers.append(_attempt(stranger, email, f"203.0.113.{n + 1}").status_code)
    return answers


def test_ten_strangers_do_not_lock_out_the_accounts_own_device(app, victim):
    _limits(app, "5 per minute")
    email = victim["user"].email
    answers = _strangers_guess(app, email, 10)
    assert answers[:5] == [200] * 5 and set(answers[5:]) == {429}
    # The right password on the account's own device, from a café's address: in.
    response = _attempt(victim["device"], email, "198.51.100.7", PASSWORD)
    assert response.status_code == 302


def test_ten_strangers_do_not_lock_out_the_accounts_own_network(app, victim):
    _limits(app, "5 per minute")
    email = victim["user"].email
    _strangers_guess(app, email, 10)
    new_browser = app.test_client()  # no device cookie, but the usual address
    assert _attempt(new_browser, email, VICTIM_HOME, PASSWORD).status_code == 302


def test_an_unknown_client_is_throttled_while_strangers_guess(app, victim):
    _limits(app, "5 per minute")
    email = victim["user"].email
    _strangers_guess(app, email, 10)
    elsewhere = app.test_client()
    assert _attempt(elsewhere, email, "198.51.100.99", PASSWORD).status_code == 429


def test_guessing_from_a_known_client_is_still_limited_per_account_and_address(app, victim):
    _limits(app, "3 per minute")
    email, device = victim["user"].email, victim["device"]
    answers = [_attempt(device, email, VICTIM_HOME).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    # Another account from the same address is not slowed down by that.
    other = make_user("facilitator", victim["user"].memberships[0].network)
    assert _attempt(app.test_client(), other.email, "198.51.100.5", PASSWORD).status_code == 302


def test_successful_logins_do_not_count_against_the_account(app, victim):
    _limits(app, "3 per minute;100 per hour")
    email = victim["user"].email
    for n in range(4):
        client, address = app.test_client(), f"198.51.100.{20 + n}"
        assert _attempt(client, email, address, PASSWORD).status_code == 302
        _log_out(client, address)
    assert _attempt(app.test_client(), email, "198.51.100.30").status_code == 200


def test_a_forged_device_cookie_is_no_key(app, victim):
    _limits(app, "5 per minute")
    email = victim["user"].email
    _strangers_guess(app, email, 10)
    forger = app.test_client()
    forger.set_cookie(DEVICE_COOKIE, "[1,2,3]", domain="localhost", path="/login")
    assert _attempt(forger, email, "198.51.100.99", PASSWORD).status_code == 429


def test_successful_logins_never_count_against_the_address(app, network):
    _limits(app, "3 per minute")
    for _ in range(6):
        client, user = app.test_client(), make_user("facilitator", network)
        assert _attempt(client, user.email, CENTRE, PASSWORD).status_code == 302
        _log_out(client, CENTRE)
    # Six logins from the centre's address, and the next failure is still only a failure.
    assert _attempt(app.test_client(), "someone@example.org", CENTRE).status_code == 200


def test_a_centre_behind_one_address_is_never_locked_out_by_its_staff(app, network):
    """With the default limits: the 40 logins in 25 minutes of the penetration test, mostly
    successful, and a dozen new staff members who each mistype twice before getting in."""
    staff = [make_user("facilitator", network) for _ in range(12)]
    for n in range(40):
        client, user = app.test_client(), staff[n % len(staff)]
        password = "wrong-password-1" if n % 8 == 0 else PASSWORD
        response = _attempt(client, user.email, CENTRE, password)
        assert response.status_code == (200 if password != PASSWORD else 302), n
    for user in staff:
        newcomer = app.test_client()
        assert [_attempt(newcomer, user.email, CENTRE).status_code for _ in range(2)] == [200] * 2
        assert _attempt(newcomer, user.email, CENTRE, PASSWORD).status_code == 302


def test_a_known_device_is_not_blocked_by_failures_at_its_own_address(app, victim, network):
    _limits(app, "3 per minute")
    email = victim["user"].email
    # At the victim's own address, others guess the victim's password and other accounts'.
    guesses = [_attempt(app.test_client(), email, VICTIM_HOME).status_code for _ in range(5)]
    guesses += [
        _attempt(app.test_client(), f"n{n}@example.org", VICTIM_HOME).status_code for n in range(5)
    ]
    assert guesses.count(429) >= 5  # they are slowed down ...
    # ... but the account's own device, at that same address, gets in.
    assert _attempt(victim["device"], email, VICTIM_HOME, PASSWORD).status_code == 302


def test_the_kiosk_is_never_locked_out_by_other_accounts_failures(app, network):
    _limits(app, "3 per minute")
    kiosk = make_user("kiosk", network)
    failures = [
        _attempt(app.test_client(), f"staff{n}@example.org", CENTRE).status_code for n in range(6)
    ]
    assert failures[-1] == 429  # the centre's address is over its limit for everyone else
    # A new tablet (no device cookie) still logs in as the kiosk ...
    assert _attempt(app.test_client(), kiosk.email, CENTRE, PASSWORD).status_code == 302
    # ... while wrong passwords for the kiosk account itself are still limited.
    guesses = [_attempt(app.test_client(), kiosk.email, CENTRE).status_code for _ in range(4)]
    assert guesses == [200, 200, 200, 429]
