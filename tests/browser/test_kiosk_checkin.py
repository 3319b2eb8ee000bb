"""Journey 1: a resident checks in on the kiosk, sees today's task and activities, and a second
tap does not check in twice. The screen returns to the names by itself, unless asked to wait."""

import pytest

from . import prepare

pytestmark = pytest.mark.browser


def test_kiosk_check_in(journey):
    page = journey.page
    me = prepare.run(journey, "kiosk-resident", journey.variant)
    # The page's timers run on a clock the test moves, so the countdown is tested without waiting.
    page.clock.install()
    journey.login("kiosk")
    assert page.get_by_role("heading", level=1).inner_text() == journey.text(
        "Velkommen! Tryk på dit navn for at tjekke ind", "Welcome! Tap your name to check in"
    )
    journey.assert_touch_targets("main")
    # The resident's button (its name grows a "Checked in" once they are).
    name = page.locator("button.kiosk-name").filter(
        has=page.get_by_text(me["display_name"], exact=True)
    )
    assert name.get_attribute("class") == "kiosk-name"

    with page.expect_navigation():
        name.click()
    journey.check("checked-in")
    # The tap answers with the confirmation, which puts its own URL in place of the POST in the
    # history: "back" shows the names and "forward" the confirmation again, both plain GETs,
    # never "Confirm Form Resubmission"; so does a reload.
    assert page.url.startswith(journey.server.url + "/kiosk/checked-in/")
    page.go_back()
    assert page.url == journey.server.url + "/kiosk/"
    journey.check("back-to-grid")
    page.go_forward()
    assert page.url.startswith(journey.server.url + "/kiosk/checked-in/")
    journey.check("forward-to-confirmation")
    # A reload is a GET of the confirmation's page: a resent tap would say "already checked in".
    page.reload()
    assert page.url.startswith(journey.server.url + "/kiosk/checked-in/")
    assert page.get_by_role("status").get_by_role("heading", level=1).inner_text() == journey.text(
        f"Velkommen, {me['name']}! Du er tjekket ind.",
        f"Welcome, {me['name']}! You are checked in.",
    )
    task = page.locator(".rota-kiosk-task")
    assert (
        task.inner_text() == journey.text("Din opgave i dag: ", "Your task today: ") + me["chore"]
    )
    today = page.get_by_role(
        "region", name=journey.text("Dagens aktiviteter", "Today's activities")
    )
    assert me["activity"] in today.inner_text()
    journey.assert_touch_targets("main .kiosk-return")

    # A visible countdown; "More time" stops it (WCAG 2.2.1); the way back is a big button.
    countdown = page.locator("[data-countdown]")
    assert countdown.is_visible()
    assert page.locator("[data-seconds-left]").inner_text() == "10"
    page.clock.run_for(3000)
    assert page.locator("[data-seconds-left]").inner_text() == "7"
    page.get_by_role("button", name=journey.text("Mere tid", "More time")).click()
    stopped = page.locator("[data-stopped]")
    assert stopped.is_visible() and not countdown.is_visible()
    assert stopped.inner_text().startswith(journey.text("Skærmen bliver", "The screen stays"))
    page.clock.run_for(60_000)
    assert page.url.startswith(journey.server.url + "/kiosk/checked-in/"), "it went back anyway"
    journey.check("countdown-stopped")
    with page.expect_navigation():
        page.get_by_role(
            "link", name=journey.text("Tilbage til navnene", "Back to the names")
        ).click()
    journey.check("grid-again")

    # The name shows as checked in; a second tap confirms, and there is still one record.
    assert name.get_attribute("class") == "kiosk-name kiosk-name--in"
    assert name.inner_text().endswith(journey.text("Tjekket ind", "Checked in"))
    with page.expect_navigation():
        name.click()
    journey.check("tapped-again")
    assert page.get_by_role("heading", level=1).inner_text() == journey.text(
        f"Du var allerede tjekket ind, {me['name']}.",
        f"You were already checked in, {me['name']}.",
    )
    attendance = prepare.run(
        journey, "attendance", str(me["meeting_id"]), str(me["participant_id"])
    )
    assert attendance["statuses"] == ["present"]

    # Left alone, the confirmation counts down and returns to the names by itself.
    with page.expect_navigation():
        page.clock.run_for(10_000)
    assert page.url == journey.server.url + "/kiosk/"
    journey.check("back-by-itself")
