"""Safe by default (issue #27): cookies are `Secure` outside debug and NETVAERK_COOKIE_SECURE
works both ways; links never follow a Host header nobody checked; the host check ignores case;
start-up warns without a base URL and refuses a Flask without TRUSTED_HOSTS.

The production set-up itself (gunicorn as in the README, real HTTP) is in
`test_production_server.py`; these tests build the app in the test process.
"""

import logging

import pytest

from netvaerk import config as config_module
from netvaerk import create_app

from ..conftest import IsolatedClient, csrf_token_from, log_in
from ..factories import make_user
from .test_trusted_hosts import ForgedHostClient


def _app(tmp_path, **settings):
    """A standalone app that touches no database, configured like production unless told."""
    config = {
        "SECRET_KEY": "safe-defaults",
        "NETVAERK_DATABASE_URL": "sqlite://",
        "SQLALCHEMY_DATABASE_URI": "sqlite://",
        "NETVAERK_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    config.update(settings)
    return create_app(config)


def _session_cookie(app) -> str:
    """The Set-Cookie header of the session cookie on the login page (its CSRF token)."""
    response = app.test_client().get("/login", base_url="https://localhost")
    cookies = [c for c in response.headers.getlist("Set-Cookie") if "netvaerk_session=" in c]
    assert len(cookies) == 1
    return cookies[0]


def test_the_session_cookie_is_secure_in_production(tmp_path):
    cookie = _session_cookie(_app(tmp_path))
    assert "; Secure" in cookie and "; HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_the_session_cookie_is_not_secure_in_debug_mode(tmp_path):
    assert "; Secure" not in _session_cookie(_app(tmp_path, DEBUG=True))


@pytest.mark.parametrize(
    ("value", "debug", "secure"),
    [("0", False, False), ("false", False, False), ("1", True, True), ("yes", True, True)],
)
def test_netvaerk_cookie_secure_works_both_ways(tmp_path, monkeypatch, value, debug, secure):
    monkeypatch.setenv("NETVAERK_COOKIE_SECURE", value)
    app = _app(tmp_path, DEBUG=debug)
    assert app.config["SESSION_COOKIE_SECURE"] is secure
    assert ("; Secure" in _session_cookie(app)) is secure


def test_an_operators_own_session_cookie_setting_is_kept(tmp_path):
    assert _app(tmp_path, SESSION_COOKIE_SECURE=False).config["SESSION_COOKIE_SECURE"] is False


def test_the_host_check_ignores_case(tmp_path):
    app = _app(tmp_path, NETVAERK_BASE_URL="https://Netvaerk.Example.DK")
    client = app.test_client()
    assert client.get("/login", base_url="https://NETVAERK.example.dk").status_code == 200
    assert client.get("/login", base_url="https://netvaerk.example.dk").status_code == 200
    assert client.get("/login", base_url="https://evil.example").status_code == 400


def test_production_without_a_base_url_logs_a_warning(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="netvaerk"):
        _app(tmp_path)
    assert any("NETVAERK_BASE_URL is not set" in r.getMessage() for r in caplog.records)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="netvaerk"):
        _app(tmp_path, NETVAERK_BASE_URL="https://netvaerk.example.dk")
        _app(tmp_path, DEBUG=True)
    assert not any("NETVAERK_BASE_URL" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("old", ["3.0.3", "2.3.0"])
def test_start_up_refuses_a_flask_without_trusted_hosts(tmp_path, monkeypatch, old):
    monkeypatch.setattr(config_module, "version", lambda name: old)
    with pytest.raises(RuntimeError, match="Flask 3.1 or newer"):
        _app(tmp_path)


def test_the_flask_version_check_accepts_3_1_and_later():
    for installed in ("3.1.0", "3.1.3", "3.2.0rc1", "4.0"):
        config_module.require_flask(installed)


def test_links_never_use_an_unchecked_host_in_production(app, network):
    """Production without a base URL or TRUSTED_HOSTS: a forged Host is not in the link."""
    app.config.update(SERVER_NAME=None, TESTING=False, NETVAERK_BASE_URL=None)
    app.config["TRUSTED_HOSTS"] = None
    app.test_client_class = ForgedHostClient
    client = app.test_client()
    assert log_in(client, make_user("facilitator", network).email).status_code == 200
    page = client.get("/activities/calendar").get_data(as_text=True)
    response = client.post("/activities/calendar", data={"csrf_token": csrf_token_from(page)})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<code id="feed-link">/activities/calendar/' in html and "evil.example" not in html


class IntranetClient(IsolatedClient):
    """A browser whose requests name `Host: intra.example.dk`."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("base_url", "http://intra.example.dk")
        return super().open(*args, **kwargs)


def test_links_use_a_checked_host(app, network):
    """With TRUSTED_HOSTS the request's host was checked, so links may name it."""
    app.config.update(SERVER_NAME=None, TESTING=False, NETVAERK_BASE_URL=None)
    app.config["TRUSTED_HOSTS"] = ["intra.example.dk"]
    app.test_client_class = IntranetClient
    client = app.test_client()
    assert log_in(client, make_user("facilitator", network).email).status_code == 200
    page = client.get("/activities/calendar").get_data(as_text=True)
    response = client.post("/activities/calendar", data={"csrf_token": csrf_token_from(page)})
    html = response.get_data(as_text=True)
    assert '<code id="feed-link">http://intra.example.dk/activities/calendar/' in html
