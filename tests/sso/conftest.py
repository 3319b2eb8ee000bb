"""Fixtures of the single sign-on tests: a real OpenID provider and an app that trusts it."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import httpx
import pytest

from netvaerk import create_app
from netvaerk.extensions import db

from ..conftest import IsolatedClient, _config, _empty_all_tables
from .provider_process import Provider, free_port, why_unavailable

GROUP_ROLES = {
    "netvaerk-hedemarken-coordinator": "Hedemarken:coordinator",
    "netvaerk-hedemarken-facilitator": "Hedemarken:facilitator",
    "netvaerk-vollsmose-steering": "Vollsmose:steering",
    "netvaerk-nowhere-coordinator": "Nowhere:coordinator",
}
# The browser journey's live server listens here (registered with the provider in advance).
BROWSER_PORT = free_port()


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    """panva/oidc-provider on Node.js, for the whole session; skipped only without node."""
    reason = why_unavailable()
    if reason:
        pytest.skip(reason)
    bases = ["http://localhost", "http://localhost/intranet/netvaerk"]
    bases.append(f"http://127.0.0.1:{BROWSER_PORT}")
    provider = Provider(
        tmp_path_factory.mktemp("oidc"),
        redirect_uris=[base + "/sso/callback" for base in bases],
        logout_uris=[base + "/login" for base in bases],
    )
    provider.start()
    try:
        yield provider
    finally:
        provider.stop()


def sso_config(provider: Provider, **extra) -> dict:
    """The settings that make netvaerk trust the test provider."""
    return {
        "NETVAERK_OIDC_ISSUER": provider.issuer,
        "NETVAERK_OIDC_CLIENT_ID": provider.client_id,
        "NETVAERK_OIDC_CLIENT_SECRET": provider.client_secret,
        "NETVAERK_OIDC_NAME": "Boligforeningens intranet",
        "NETVAERK_SSO_GROUP_ROLES": GROUP_ROLES,
        **extra,
    }


@pytest.fixture
def make_sso_app(_schema, database_url, tmp_path, oidc_provider):
    """Build an app trusting the provider, with extra settings; emptied after the test."""
    made = []

    def make(**extra):
        config = _config(database_url, str(tmp_path / f"instance{len(made)}"))
        config.update(sso_config(oidc_provider, **extra))
        app = create_app(config)
        app.test_client_class = IsolatedClient
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            _empty_all_tables()
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def sso_app(make_sso_app):
    """An app trusting the provider; the test body runs in its app context."""
    app = make_sso_app()
    with app.app_context():
        yield app


FORM_ACTION = re.compile(r'<form[^>]*action="([^"]+)"')


def with_query(url: str, **changes) -> str:
    """`url` with some query parameters replaced."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


def through_provider(authorize_url: str, login: str, stop_at: str) -> str:
    """Sign in at the provider's own login page as `login`; the URL it sends the browser
    back to (the first redirect that starts with `stop_at`)."""
    with httpx.Client(follow_redirects=False, trust_env=False, timeout=15) as browser:
        response = browser.get(authorize_url)
        for _ in range(10):
            if response.is_redirect:
                target = urljoin(str(response.url), response.headers["location"])
                if target.startswith(stop_at):
                    return target
                response = browser.get(target)
                continue
            action = FORM_ACTION.search(response.text)
            assert action, response.text[:500]
            response = browser.post(
                urljoin(str(response.url), action.group(1)),
                data={"prompt": "login", "login": login, "password": "any"},
            )
    raise AssertionError("the provider never sent the browser back")


def sso_login(client, login: str, prefix: str = "", tamper_authorize=None, tamper_callback=None):
    """Log in through the provider as the user `login`; netvaerk's answer to the callback."""
    start = client.get(prefix + "/sso/login")
    assert start.status_code == 302, start.status_code
    authorize_url = start.location
    if tamper_authorize:
        authorize_url = tamper_authorize(authorize_url)
    callback = through_provider(authorize_url, login, stop_at="http://localhost/")
    if tamper_callback:
        callback = tamper_callback(callback)
    parts = urlsplit(callback)
    return client.get(parts.path + "?" + parts.query)
