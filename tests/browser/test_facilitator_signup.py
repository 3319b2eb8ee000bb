"""Journey 3: a facilitator signs up for an open place, the coordinator's overview shows it
filled, and the facilitator cancels (which leaves the place open again)."""

import pytest

from . import prepare

pytestmark = pytest.mark.browser

FACILITATOR = "Frederik Nørgaard"  # the demo facilitator's name


def overview_row(journey, title):
    """The activity's row on the coordinator's slots overview (freshly loaded)."""
    journey.visit("/activities/overview", "overview")
    return journey.page.get_by_role("row").filter(has=journey.page.get_by_role("link", name=title))


def test_facilitator_signs_up_and_cancels(journey):
    page = journey.page
    activity = prepare.run(journey, "open-activity", journey.variant)
    title, detail = activity["title"], f"/activities/{activity['activity_id']}"

    journey.login("facilitator")
    journey.visit(detail, "activity")
    with page.expect_navigation():
        page.get_by_role("button", name=journey.text("Meld mig til", "Sign up")).click()
    journey.check("signed-up")
    assert page.get_by_role(
        "button", name=journey.text("Meld mig fra", "Cancel my place")
    ).is_visible()
    journey.logout()

    journey.login("coordinator")
    row = overview_row(journey, title)
    assert FACILITATOR in row.inner_text()
    assert journey.text("Fuldt besat", "Full") in row.inner_text()
    journey.logout()

    journey.login("facilitator")
    journey.visit(detail, "activity-mine")
    with page.expect_navigation():
        page.get_by_role("button", name=journey.text("Meld mig fra", "Cancel my place")).click()
    journey.check("cancelled")
    assert page.locator(".flash--success").inner_text() == journey.text(
        "Du er meldt fra.", "Your place is cancelled."
    )
    assert page.get_by_role("button", name=journey.text("Meld mig til", "Sign up")).is_visible()
