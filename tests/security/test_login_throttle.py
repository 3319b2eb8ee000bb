"""Login throttling that a stranger cannot turn into a lock-out (issue #21, part 2): failed
logins are limited per account and address together, and per account only for clients the
account does not know; its own device and network still get in with the right password."""

import pytest

from netvaerk.auth.throttle import DEVICE_COOKIE

from ..conftest import csrf_token_from
from ..factories import PASSWORD, make_user

VICTIM_HOME = "192.0.2.10"


def _limits(app, limit: str) -> None:
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
