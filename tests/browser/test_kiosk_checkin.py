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

    # The tap is one small request; the confirmation is shown in the page, which stays the
    # grid's: nothing to resend on reload, back or forward.
    tap(page, name)
    journey.check("checked-in")
    assert page.url == journey.server.url + "/kiosk/"
    confirmation = page.locator("[data-kiosk-inpage]")
    assert confirmation.get_by_role("status").get_by_role(
        "heading", level=1
    ).inner_text() == journey.text(
        f"Velkommen, {me['name']}! Du er tjekket ind.",
        f"Welcome, {me['name']}! You are checked in.",
    )
    assert not page.locator("[data-kiosk-names]").is_visible()
    task = confirmation.locator(".rota-kiosk-task")
    assert (
        task.inner_text() == journey.text("Din opgave i dag: ", "Your task today: ") + me["chore"]
    )
    today = confirmation.get_by_role(
        "region", name=journey.text("Dagens aktiviteter", "Today's activities")
    )
    assert me["activity"] in today.inner_text()
    journey.assert_touch_targets("main .kiosk-return")

    # A visible countdown; "More time" stops it (WCAG 2.2.1); the way back is a big button.
    countdown = confirmation.locator(".kiosk-return__text").first
    seconds = journey.text("om {} sekunder", "in {} seconds")
    assert seconds.format(10) in countdown.inner_text()
    page.clock.run_for(3000)
    assert seconds.format(7) in countdown.inner_text()
    confirmation.get_by_role("button", name=journey.text("Mere tid", "More time")).click()
    stopped = confirmation.locator(".kiosk-return__text").nth(1)
    assert stopped.is_visible() and not countdown.is_visible()
    assert stopped.inner_text().startswith(journey.text("Skærmen bliver", "The screen stays"))
    page.clock.run_for(60_000)
    assert confirmation.is_visible(), "it went back anyway"
    journey.check("countdown-stopped")
    confirmation.get_by_role(
        "button", name=journey.text("Tilbage til navnene", "Back to the names")
    ).click()
    assert not confirmation.is_visible()
    journey.check("grid-again")

    # The name shows as checked in; a second tap confirms, and there is still one record.
    assert name.get_attribute("class") == "kiosk-name kiosk-name--in"
    assert name.inner_text().endswith(journey.text("Tjekket ind", "Checked in"))
    tap(page, name)
    journey.check("tapped-again")
    assert confirmation.get_by_role("heading", level=1).inner_text() == journey.text(
        f"Du var allerede tjekket ind, {me['name']}.",
        f"You were already checked in, {me['name']}.",
    )
    attendance = prepare.run(
        journey, "attendance", str(me["meeting_id"]), str(me["participant_id"])
    )
    assert attendance["statuses"] == ["present"]

    # Left alone, the confirmation counts down and returns to the names by itself.
    page.clock.run_for(10_000)
    assert not confirmation.is_visible()
    assert page.locator("[data-kiosk-names]").is_visible()
    assert page.url == journey.server.url + "/kiosk/"
    journey.check("back-by-itself")

    # A reload shows the names, with theirs checked in (from the server this time).
    page.reload()
    assert name.get_attribute("class") == "kiosk-name kiosk-name--in"
    assert name.inner_text().endswith(journey.text("Tjekket ind", "Checked in"))


# The kiosk is a tablet, and the in-page journey above covers every width: this one runs at
# the tablet's size only, in both languages (the fixture's variants narrowed, none skipped).
@pytest.mark.parametrize(
    "journey", [("tablet", "da"), ("tablet", "en")], indirect=True, ids=["tablet-da", "tablet-en"]
)
def test_kiosk_check_in_without_the_script(journey):
    """Where the tap cannot go as data (no script, or an answer the script cannot show) the
    name is a plain form: the confirmation is a page of its own, which puts its own URL in
    place of the POST in the history, so back, forward and reload are plain GETs."""
    page = journey.page
    me = prepare.run(journey, "kiosk-resident", journey.variant + "-form")  # a resident of its own
    page.clock.install()
    journey.login("kiosk")
    name = page.locator("button.kiosk-name").filter(
        has=page.get_by_text(me["display_name"], exact=True)
    )
    with page.expect_navigation():
        name.evaluate("button => button.form.submit()")  # the form, as without the script
    journey.check("checked-in")
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
    assert page.locator("[data-seconds-left]").inner_text() == "10"
    with page.expect_navigation():
        page.clock.run_for(10_000)
    assert page.url == journey.server.url + "/kiosk/"
    attendance = prepare.run(
        journey, "attendance", str(me["meeting_id"]), str(me["participant_id"])
    )
    assert attendance["statuses"] == ["present"]


def tap(page, name) -> None:
    """Tap a name on the grid and wait for the in-page confirmation (or the code step)."""
    with page.expect_response(lambda response: "/kiosk/api/tap/" in response.url):
        name.click()
    page.locator("[data-kiosk-inpage] [role=status], #code").first.wait_for()
