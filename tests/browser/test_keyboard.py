"""Journey 6: keyboard only. The login form, the coordinator's main page and the change of
password are done with Tab, Enter and Space; focus is visible at every stop; the skip link works."""

import pytest

pytestmark = pytest.mark.browser

PASSWORD = "tastatur-kun-adgang-1"
NEW_PASSWORD = "nyt-tastatur-kodeord-2"


def keyboard_login(journey, email: str, password: str) -> None:
    """Log in on the login page with the keyboard only, starting with the skip link."""
    page = journey.page
    skip = journey.tab()
    assert "skip-link" in page.evaluate("() => document.activeElement.className"), skip
    assert skip["label"] == journey.text("Spring til indholdet", "Skip to content")
    page.keyboard.press("Enter")
    # The skip link moves focus to the main content (a same-page jump: wait for it, no load).
    page.wait_for_function("() => location.hash === '#main'")
    page.wait_for_function("() => document.activeElement.id === 'main'")
    journey.tab_to("#email")
    page.keyboard.type(email)
    assert journey.tab()["id"] == "password"
    page.keyboard.type(password)
    journey.tab_to("form:has(#email) button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert not page.url.startswith(journey.server.url + "/login"), "the login failed"


def test_keyboard_only(journey):
    page = journey.page
    email = f"keyboard-{journey.variant}@example.org"
    journey.server.add_account(email, "coordinator", PASSWORD)

    journey.visit("/login", "login")
    keyboard_login(journey, email, PASSWORD)
    journey.check("start")

    # The coordinator's main page: every Tab stop shows its focus, in reading order.
    stops = journey.tab_through()
    labels = [stop["label"] for stop in stops]
    assert labels[0] == journey.text("Spring til indholdet", "Skip to content")
    for expected in (
        journey.text("Adgangskode", "Password"),
        journey.text("Log ud", "Log out"),
        "English" if journey.lang == "da" else "Dansk",
    ):
        assert expected in labels, f"{expected!r} cannot be reached with Tab: {labels}"

    # Open the change-password form with Enter on its link.
    journey.tab_to("a[href$='/password']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    journey.check("change-password")

    # A mistake first: Enter in the last field submits; the errors are shown and announced.
    journey.tab_to("#current_password")
    page.keyboard.type(PASSWORD)
    journey.tab()
    page.keyboard.type(NEW_PASSWORD)
    journey.tab()
    page.keyboard.type(NEW_PASSWORD + "x")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    journey.check("change-password-mistake")
    assert page.locator("#confirm").get_attribute("aria-invalid") == "true"
    assert page.locator("#confirm").get_attribute("aria-describedby") == "confirm-errors"
    assert page.locator(".error-summary[role=alert]").is_visible()

    # Then right, submitted with Space on the button.
    journey.tab_to("#current_password")
    page.keyboard.type(PASSWORD)
    journey.tab()
    page.keyboard.type(NEW_PASSWORD)
    journey.tab()
    page.keyboard.type(NEW_PASSWORD)
    journey.tab_to("main form button[type=submit]:not([name=lang])")
    with page.expect_navigation():
        page.keyboard.press("Space")
    journey.check("password-changed")
    assert page.locator(".flash--success").inner_text() == journey.text(
        "Din adgangskode er skiftet.", "Your password is changed."
    )

    # Log out with Space, and back in with the new password.
    journey.tab_to("form[action$='/logout'] button")
    with page.expect_navigation():
        page.keyboard.press("Space")
    journey.check("logged-out")
    keyboard_login(journey, email, NEW_PASSWORD)
    journey.check("start-with-new-password")


def test_keyboard_registers_a_resident(journey):
    """A whole form by keyboard: register a resident from the start page, focus always visible."""
    page = journey.page
    journey.login("coordinator")
    journey.menu_link("/participants/", keyboard=True)  # "Menu" on phones, then "People"
    journey.tab_to(".main-nav a[href$='/participants/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    journey.check("participants")
    journey.tab_to("main a[href$='/participants/new']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    journey.check("register-form")

    journey.tab_to("#first_name")
    page.keyboard.type("Tastatur")
    assert journey.tab()["id"] == "last_name"
    page.keyboard.type(f"Kun-{journey.variant}")
    assert journey.tab()["id"] == "housing_area_id"
    page.keyboard.press("ArrowDown")  # a closed <select> takes the next option
    assert page.locator("#housing_area_id").input_value() != ""
    assert journey.tab()["id"] == "birth_year"
    page.keyboard.type("1988")
    # The readiness group: one Tab stop for the radio group; Space chooses the focused one.
    stop = journey.tab()
    assert stop["id"].startswith("readiness_group")
    page.keyboard.press("Space")
    assert journey.tab()["id"] == "phone"
    page.keyboard.type("20304050")
    # Enter in a text field sends the form. (The optional date fields further down are left
    # out: in these journeys' headless Chromium a focused date field is document.activeElement
    # but matches neither :focus nor :focus-visible, so its focus ring cannot be asserted.)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    journey.check("registered")
    assert page.get_by_role("heading", level=1).inner_text() == f"Tastatur Kun-{journey.variant}"
