"""The browser journey through the real OpenID provider: log in with the intranet, see one's
network, log out of netvaerk and then of the provider (SQLite, and PostgreSQL in CI)."""

from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from ..browser.harness import CHROMIUM, CHROMIUM_ARGS
from ..factories import make_network
from .conftest import BROWSER_PORT

pytestmark = pytest.mark.browser


@pytest.fixture
def served(make_sso_app):
    """The SSO app served on 127.0.0.1:BROWSER_PORT (registered with the provider)."""
    app = make_sso_app(SERVER_NAME=None, NETVAERK_RATELIMIT_LOGIN="1000 per minute")
    with app.app_context():
        make_network("Hedemarken")
        make_network("Vollsmose")
    server = make_server("127.0.0.1", BROWSER_PORT, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{BROWSER_PORT}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def page():
    """A Chromium page in Danish."""
    if not CHROMIUM.exists():
        pytest.skip(f"the browser journeys need {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            context = browser.new_context(locale="da-DK")
            context.set_default_timeout(15_000)
            yield context.new_page()
        finally:
            browser.close()


def test_log_in_with_the_intranet_and_out_again(served, page, oidc_provider):
    oidc_provider.set_users(
        {
            "anna": {
                "email": "anna@bolig.example",
                "email_verified": True,
                "name": "Anna Holm",
                "groups": ["netvaerk-hedemarken-coordinator"],
            }
        }
    )
    page.goto(served + "/login")
    page.get_by_role("link", name="Log ind med Boligforeningens intranet").click()

    # The provider's own sign-in page.
    page.wait_for_url(oidc_provider.issuer + "/**")
    page.locator("input[name=login]").fill("anna")
    page.locator("input[name=password]").fill("any password")
    page.locator("button[type=submit]").click()

    page.wait_for_url(served + "/**")
    assert "Hedemarken" in page.content()
    assert "Deltagere" in page.content()  # the coordinator's pages, in Danish

    page.get_by_role("button", name="Log ud", exact=True).click()
    page.wait_for_url(served + "/sso/logged-out")
    page.get_by_role("link", name="Log også ud af Boligforeningens intranet").click()
    page.wait_for_url(oidc_provider.issuer + "/**")
    page.locator("button[autofocus], button[name=logout], button[type=submit]").first.click()
    page.wait_for_url(served + "/login**")
    page.goto(served + "/")
    assert page.url.startswith(served + "/login")
