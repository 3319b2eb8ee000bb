"""Hardening: headers, caching, sessions, passwords, rate limits, request size, error pages."""

from datetime import timedelta

import pytest
from flask import Flask
from flask_migrate import upgrade
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, text

from netvaerk import create_app, timeutil
from netvaerk.audit.models import AuditEvent
from netvaerk.auth.services import common_passwords, password_problem
from netvaerk.core.models import User
from netvaerk.extensions import db

from ..conftest import csrf_token_from, log_in
from ..core.test_addon import make_host
from ..factories import PASSWORD, make_user

DANISH = {"Accept-Language": "da"}
ENGLISH = {"Accept-Language": "en"}


# ------------------------------------------------------------------ headers


def test_security_headers_on_every_page(client):
    for response in (client.get("/login"), client.get("/no-such-page")):
        csp = response.headers["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
        assert directives["script-src"] == "'self'" and "unsafe-inline" not in csp
        assert directives["object-src"] == "'none'"
        assert directives["base-uri"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"  # no framing unless configured
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "Strict-Transport-Security" not in response.headers


def test_hsts_only_over_https(client):
    response = client.get("/login", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_frame_ancestors_can_be_configured(app, client):
    app.config["NETVAERK_FRAME_ANCESTORS"] = "https://intranet.example.org"
    response = client.get("/login")
    assert (
        "frame-ancestors https://intranet.example.org"
        in response.headers["Content-Security-Policy"]
    )
    assert "X-Frame-Options" not in response.headers


def test_pages_of_logged_in_users_are_not_stored(client, login_as):
    assert "no-store" not in client.get("/login").headers.get("Cache-Control", "")
    login_as("coordinator")
    for url in ("/", "/password", "/audit", "/no-such-page"):
        assert client.get(url).headers["Cache-Control"] == "no-store", url
    static = client.get("/static/netvaerk.css")
    assert "no-store" not in static.headers.get("Cache-Control", "")
    static.close()


@pytest.mark.commits
def test_addon_sets_headers_only_on_its_own_pages(app, tmp_path, database_url):
    host = make_host(tmp_path, database_url)
    client = host.test_client()
    assert "Content-Security-Policy" not in client.get("/").headers
    page = client.get("/intranet/netvaerk/login")
    assert "object-src 'none'" in page.headers["Content-Security-Policy"]
    with host.app_context():
        db.session.remove()
        db.engine.dispose()


# ------------------------------------------------------------------ error pages


def _boom_app(app):
    @app.route("/boom")
    def boom():
        raise RuntimeError("secret detail")

    app.config["PROPAGATE_EXCEPTIONS"] = False


ERRORS = {
    400: ("Ugyldig forespørgsel", "Bad request"),
    403: ("Ikke tilladt", "Not allowed"),
    404: ("Siden findes ikke", "Not found"),
    405: ("Ikke tilladt", "Not allowed"),
    413: ("For stor", "Too large"),
    429: ("For mange forsøg", "Too many attempts"),
    500: ("Noget gik galt", "Something went wrong"),
}


def _provoke(app, client, code, headers):
    if code == 400:
        token = csrf_token_from(client.get("/login", headers=headers).get_data(as_text=True))
        return client.post("/language", data={"lang": "xx", "csrf_token": token}, headers=headers)
    if code == 403:
        return client.get("/audit", headers=headers)
    if code == 404:
        return client.get("/no-such-page", headers=headers)
    if code == 405:
        return client.get("/logout", headers=headers)
    if code == 413:
        return client.post("/login", data={"email": "x" * (3 * 1024 * 1024)}, headers=headers)
    if code == 429:
        app.config["NETVAERK_RATELIMIT_LOGIN"] = "2 per minute"
        for _ in range(2):
            log_in(client, "nobody@example.org", "wrong-password-here")
        token = csrf_token_from(client.get("/login", headers=headers).get_data(as_text=True))
        return client.post(
            "/login",
            data={"email": "nobody@example.org", "password": "x" * 12, "csrf_token": token},
            headers=headers,
        )
    _boom_app(app)
    return client.get("/boom", headers=headers)


@pytest.mark.fresh_app  # adds a route
@pytest.mark.parametrize("code", sorted(ERRORS))
@pytest.mark.parametrize("language", ["da", "en"])
def test_error_pages_in_both_languages(app, client, network, code, language):
    make_user("facilitator", network, email="fac@example.org")
    if code == 403:
        log_in(client, "fac@example.org")
    headers = DANISH if language == "da" else ENGLISH
    response = _provoke(app, client, code, headers)
    assert response.status_code == code
    html = response.get_data(as_text=True)
    assert ERRORS[code][0 if language == "da" else 1] in html
    assert f'<html lang="{language}">' in html
    assert "Traceback" not in html and "secret detail" not in html


@pytest.mark.fresh_app  # adds a route
def test_internal_error_is_logged_with_the_reference_shown(app, client, caplog):
    _boom_app(app)
    html = client.get("/boom", headers=ENGLISH).get_data(as_text=True)
    reference = html.split("Reference: ", 1)[1][:8]
    assert any(reference in record.getMessage() for record in caplog.records)
    assert any(record.exc_info for record in caplog.records)


def test_csrf_failure_is_a_friendly_page(client):
    response = client.post("/login", data={"email": "a@example.org"}, headers=ENGLISH)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "The form could not be sent" in html and "reload the page" in html


def test_nul_bytes_are_refused_before_any_view(client):
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"email": "a\x00@example.org", "password": "x", "csrf_token": token}
    )
    assert response.status_code == 400
    assert client.get("/login?next=%00").status_code == 400


# ------------------------------------------------------------------ login limits


def _attempt(client, email, address):
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    return client.post(
        "/login",
        data={"email": email, "password": "wrong-password-1", "csrf_token": token},
        environ_base={"REMOTE_ADDR": address},
    )


@pytest.mark.parametrize("known", [True, False])
def test_login_attempts_are_limited_per_account(app, client, network, known):
    app.config["NETVAERK_RATELIMIT_LOGIN"] = "3 per minute"
    app.config["NETVAERK_RATELIMIT_LOGIN_ACCOUNT"] = "3 per minute"
    email = make_user("coordinator", network).email if known else "nobody@example.org"
    answers = [_attempt(client, email, f"10.0.0.{n}").status_code for n in range(1, 5)]
    # The same answers whether the account exists or not: nothing to learn from the limit.
    assert answers == [200, 200, 200, 429]
    blocked = _attempt(client, email, "10.0.0.9")
    assert blocked.status_code == 429
    assert "For mange forsøg" in blocked.get_data(as_text=True)


def test_login_attempts_are_limited_per_address(app, client, network):
    app.config["NETVAERK_RATELIMIT_LOGIN_ADDRESS"] = "3 per minute"
    answers = [_attempt(client, f"user{n}@example.org", "10.0.0.1").status_code for n in range(4)]
    assert answers == [200, 200, 200, 429]
    assert _attempt(client, "other@example.org", "10.0.0.2").status_code == 200


def test_disabled_account_gets_the_same_answer_as_a_wrong_password(app, client, network):
    user = make_user("coordinator", network)
    user.is_enabled = False
    db.session.commit()
    html = log_in(client, user.email).get_data(as_text=True)
    assert "E-mail eller adgangskode er forkert." in html
    assert client.get("/").status_code == 302


# ------------------------------------------------------------------ sessions


def test_session_is_renewed_at_login(app, client, network):
    user = make_user("coordinator", network)
    old_token = csrf_token_from(client.get("/login").get_data(as_text=True))
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    log_in(client, user.email)
    with client.session_transaction() as session:
        assert "planted" not in session
    # The CSRF secret is new too: a token from before the login no longer works.
    response = client.post("/language", data={"lang": "en", "csrf_token": old_token})
    assert response.status_code == 400


def test_logout_ends_the_session_even_for_a_copied_cookie(app, client, network):
    user = make_user("coordinator", network)
    log_in(client, user.email)
    stolen = client.get_cookie("netvaerk_session").value
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert "/login" in client.get("/").location
    thief = app.test_client()
    thief.set_cookie("netvaerk_session", stolen, domain="localhost")
    assert "/login" in thief.get("/").location


def test_disabling_an_account_ends_its_sessions(app, client, network):
    user = make_user("coordinator", network)
    log_in(client, user.email)
    assert client.get("/").status_code == 200
    admin_client = app.test_client()
    admin = make_user("admin")
    log_in(admin_client, admin.email)
    page = admin_client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    response = admin_client.post(
        f"/admin/users/{user.id}/enabled",
        data={"enabled": "0", "csrf_token": csrf_token_from(page)},
    )
    assert response.status_code == 302
    assert "/login" in client.get("/").location
    db.session.refresh(user)
    assert not user.is_enabled


def _clock(monkeypatch, start):
    """Let the tests move netvaerk's clock."""
    now = {"t": start}
    monkeypatch.setattr(timeutil, "utcnow", lambda: now["t"])
    return now


def test_idle_staff_sessions_end(app, client, network, monkeypatch):
    now = _clock(monkeypatch, timeutil.utcnow())
    user = make_user("coordinator", network)
    log_in(client, user.email)
    now["t"] += timedelta(minutes=29)
    assert client.get("/").status_code == 200
    now["t"] += timedelta(minutes=29)
    assert client.get("/").status_code == 200  # activity keeps the session alive
    now["t"] += timedelta(minutes=31)
    response = client.get("/", follow_redirects=True)
    assert "Du er blevet logget ud, fordi sessionen var udløbet" in response.get_data(as_text=True)
    assert "/login" in client.get("/").location


def test_staff_sessions_have_an_absolute_lifetime(app, client, network, monkeypatch):
    now = _clock(monkeypatch, timeutil.utcnow())
    user = make_user("facilitator", network)
    log_in(client, user.email)
    for _ in range(10 * 3):  # busy all day, a click every 20 minutes
        now["t"] += timedelta(minutes=20)
        assert client.get("/").status_code == 200
    now["t"] += timedelta(minutes=20)
    assert "/login" in client.get("/").location


def test_the_kiosk_stays_logged_in(app, client, network, monkeypatch):
    now = _clock(monkeypatch, timeutil.utcnow())
    kiosk = make_user("kiosk", network)
    log_in(client, kiosk.email)
    assert client.get_cookie("netvaerk_session").expires is not None  # survives a restart
    now["t"] += timedelta(hours=14)
    response = client.get("/")
    assert response.status_code in (200, 302)
    assert "/login" not in (response.location or "")


def test_staff_cookies_end_with_the_browser(client, login_as):
    login_as("coordinator")
    assert client.get_cookie("netvaerk_session").expires is None


def test_no_accounts_exist_without_the_demo(tmp_path):
    url = "sqlite:///" + str(tmp_path / "fresh.sqlite")
    app = create_app(
        {
            "TESTING": True,
            "NETVAERK_DATABASE_URL": url,
            "SQLALCHEMY_DATABASE_URI": url,
            "NETVAERK_INSTANCE_PATH": str(tmp_path),
            "SECRET_KEY": "x",
        }
    )
    with app.app_context():
        upgrade()
        assert db.session.query(User).count() == 0
        assert app.test_client().get("/").status_code == 302
        db.session.remove()
        db.engine.dispose()
    engine = create_engine(url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM netvaerk_user")).scalar() == 0
    engine.dispose()


@pytest.mark.commits
def test_proxy_count_makes_the_visitors_address_count(tmp_path, app, network):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    proxied = create_app(
        {
            "TESTING": True,
            "NETVAERK_DATABASE_URL": url,
            "SQLALCHEMY_DATABASE_URI": url,
            "NETVAERK_INSTANCE_PATH": str(tmp_path),
            "SECRET_KEY": "x",
            "NETVAERK_PROXY_COUNT": 1,
            "NETVAERK_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )
    email = make_user("coordinator", network).email  # read here: not through proxied's engine
    client = proxied.test_client()
    # Over HTTPS Flask-WTF also wants a same-origin Referer (sent under our Referrer-Policy).
    headers = {
        "X-Forwarded-For": "203.0.113.7",
        "X-Forwarded-Proto": "https",
        "Referer": "https://localhost/login",
    }
    with proxied.app_context():
        token = csrf_token_from(client.get("/login", headers=headers).get_data(as_text=True))
        response = client.post(
            "/login",
            data={"email": email, "password": PASSWORD, "csrf_token": token},
            headers=headers,
        )
        assert response.status_code == 302
        assert "Strict-Transport-Security" in response.headers
        db.session.remove()
        db.engine.dispose()
    event = db.session.execute(
        db.select(AuditEvent).where(AuditEvent.action == "login.success")
    ).scalar_one()
    assert event.ip_address == "203.0.113.7"


# ------------------------------------------------------------------ passwords


@pytest.mark.parametrize(
    "password",
    [
        "password1234",
        "Password1234!",
        "passwordpassword",
        "abcabcabcabc",
        "123412341234",
        "!!!!!!!!!!!!",
        "qwertyuiop123",
        "Velkommen2024!",
        "iloveyou!!!!",
        "football2025",
        "Netværk123456",
    ],
)
def test_common_passwords_are_refused(app, password):
    assert password_problem(password) == "too_common"


@pytest.mark.parametrize(
    "password",
    ["kaffe-og-kage-i-pavillonen", "Hedemarken 7 ligger mod syd", "8305-2291-7730", "tX9#mq2!Lp0z"],
)
def test_good_passwords_are_accepted(app, password):
    assert password_problem(password) is None


def test_the_shipped_list_is_loaded(app):
    listed = common_passwords()
    assert len(listed) > 19000
    assert {"123456", "password", "velkommen"} <= listed


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=11))
def test_short_passwords_are_always_refused(password):
    app = Flask(__name__)
    app.config["NETVAERK_PASSWORD_MIN_LENGTH"] = 12
    with app.app_context():
        assert password_problem(password) == "too_short"


def test_password_change_refuses_a_common_password_from_the_list(app, client, network):
    user = make_user("coordinator", network)
    log_in(client, user.email)
    page = client.get("/password").get_data(as_text=True)
    response = client.post(
        "/password",
        data={
            "current_password": PASSWORD,
            "new_password": "Sunshine2024!",
            "confirm": "Sunshine2024!",
            "csrf_token": csrf_token_from(page),
        },
    )
    assert "Adgangskoden er for almindelig" in response.get_data(as_text=True)
