"""Journey: every demo account logs in through the real form and lands on its start page."""

import pytest

from .harness import DEMO_NETWORK

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("role", ["coordinator", "facilitator", "steering", "kiosk", "admin"])
def test_login(journey, role):
    journey.login(role)
    page = journey.page
    assert page.locator("h1").count() == 1
    # The shared tablet stays a kiosk: no log-out a resident could press (issue 30).
    assert journey.log_out_button().count() == (0 if role == "kiosk" else 1)
    if role == "admin":
        assert page.locator("h1").inner_text() == journey.text("Administration", "Administration")
    else:
        assert page.locator(".network-name").inner_text() == DEMO_NETWORK
    if role == "kiosk":
        # The shared tablet: no password link, and everything it shows is easy to tap.
        assert page.get_by_role("link", name=journey.text("Adgangskode", "Password")).count() == 0
        journey.assert_touch_targets("main")
        return
    journey.logout()


def test_language_switch(journey):
    """The switch on the login page changes the language, and the choice survives the login."""
    journey.visit("/login", "login")
    assert journey.page_lang() == journey.lang
    other = "en" if journey.lang == "da" else "da"
    journey.switch_language("switched")
    assert journey.page_lang() == other
    heading = {"da": "Log ind", "en": "Log in"}[other]
    assert journey.page.get_by_role("heading", level=1).inner_text() == heading
    journey.switch_language("switched-back")
    assert journey.page_lang() == journey.lang
    assert journey.page.get_by_role("heading", level=1).inner_text() == journey.text(
        "Log ind", "Log in"
    )
