"""The production set-up of the README, over real HTTP (issue #27): gunicorn serving
`netvaerk:create_app()` with NETVAERK_BASE_URL and nothing else about cookies or hosts. Its
cookies are `Secure`, other hosts are refused, and the host check ignores case.

One server for the whole module, one worker, on its own SQLite file: the test database plays
no part, so this runs the same under SQLite and PostgreSQL suites.
"""

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from netvaerk import create_app
from netvaerk.extensions import db

from ..conftest import CSRF_RE
from ..factories import PASSWORD, make_network, make_user

BASE_HOST = "netvaerk.example.dk"
GUNICORN = Path(sys.executable).with_name("gunicorn")
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _prepare_database(instance: Path) -> tuple[str, str]:
    """A SQLite file with the schema and one facilitator; returns (database URL, e-mail)."""
    url = f"sqlite:///{instance / 'production.sqlite'}"
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "prepare",
            "NETVAERK_DATABASE_URL": url,
            "SQLALCHEMY_DATABASE_URI": url,
            "NETVAERK_INSTANCE_PATH": str(instance),
            "NETVAERK_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )
    with app.app_context():
        db.create_all()
        email = make_user("facilitator", make_network()).email
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return url, email


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """gunicorn on a free port, configured as the README's production section says."""
    instance = tmp_path_factory.mktemp("production")
    url, email = _prepare_database(instance)
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("NETVAERK_", "FLASK_"))
    }
    env.update(
        NETVAERK_DATABASE_URL=url,
        NETVAERK_INSTANCE_PATH=str(instance),
        NETVAERK_SECRET_KEY="production-test-secret",
        NETVAERK_BASE_URL=f"https://{BASE_HOST}",
        PYTHONPATH=str(ROOT),  # this checkout's netvaerk, whatever the venv points at
    )
    process = subprocess.Popen(
        [str(GUNICORN), "--workers", "1", "--bind", f"127.0.0.1:{port}", "netvaerk:create_app()"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if _request(port, "GET", "/login")[0] == 200:
                    break
            except OSError:
                pass
            assert process.poll() is None, process.stderr.read().decode()
            assert time.monotonic() < deadline, "gunicorn did not answer"
            time.sleep(0.1)
        yield {"port": port, "email": email, "process": process}
    finally:
        os.killpg(process.pid, signal.SIGINT)  # quick shutdown
        process.wait(timeout=10)
        process.stderr.close()


def _request(port, method, path, host=BASE_HOST, cookies=None, form=None):
    """One real HTTP request; returns (status, headers as a list of pairs, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Host": host}
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    result = response.status, response.getheaders(), response.read().decode()
    connection.close()
    return result


def _set_cookies(headers) -> dict[str, str]:
    """Set-Cookie headers by cookie name."""
    found = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            found[value.split("=", 1)[0]] = value
    return found


def _value(set_cookie: str) -> str:
    return set_cookie.split("=", 1)[1].split(";", 1)[0]


def test_cookies_are_secure_and_the_host_is_checked(server):
    port = server["port"]
    # The host check ignores case; the session cookie (it holds the CSRF token) is Secure.
    status, headers, html = _request(port, "GET", "/login", host="NETVAERK.Example.DK")
    assert status == 200
    session = _set_cookies(headers)["netvaerk_session"]
    assert "; Secure" in session and "; HttpOnly" in session and "SameSite=Lax" in session
    token = CSRF_RE.search(html).group(1)
    # Logging in: a new session cookie and the device cookie, both Secure.
    status, headers, _ = _request(
        port,
        "POST",
        "/login",
        cookies={"netvaerk_session": _value(session)},
        form={"email": server["email"], "password": PASSWORD, "csrf_token": token},
    )
    assert status == 302
    cookies = _set_cookies(headers)
    assert "; Secure" in cookies["netvaerk_device"] and "; HttpOnly" in cookies["netvaerk_device"]
    assert "; Secure" in cookies["netvaerk_session"]
    logged_in = {"netvaerk_session": _value(cookies["netvaerk_session"])}
    status, headers, page = _request(port, "GET", "/activities/calendar", cookies=logged_in)
    assert status == 200
    logged_in["netvaerk_session"] = _value(_set_cookies(headers)["netvaerk_session"])
    token = CSRF_RE.search(page).group(1)
    # Another host is refused before any page runs, even logged in and with a valid form.
    for method, path in (("GET", "/login"), ("POST", "/activities/calendar")):
        status, _, body = _request(
            port, method, path, host="evil.example", cookies=logged_in, form={"csrf_token": token}
        )
        assert status == 400 and "evil.example" not in body
    # The right host gets its link, built from the base URL.
    status, _, page = _request(
        port, "POST", "/activities/calendar", cookies=logged_in, form={"csrf_token": token}
    )
    assert status == 200, page
    link = rf"https://{re.escape(BASE_HOST)}/activities/calendar/[^<\"]+\.ics"
    assert re.search(rf'<code id="feed-link">{link}</code>', page)
