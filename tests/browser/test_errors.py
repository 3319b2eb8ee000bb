"""Journey: someone follows a dead link and finds the way back from the error page."""

import pytest

pytestmark = pytest.mark.browser


def test_not_found(journey):
    journey.visit("/no-such-page", "not-found", status=404)
    page = journey.page
    assert page.get_by_role("heading", level=1).inner_text() == journey.text(
        "Ikke fundet", "Not found"
    )
    with page.expect_navigation():
        page.get_by_role(
            "link", name=journey.text("Gå til forsiden", "Go to the start page")
        ).click()
    assert page.url.startswith(journey.server.url + "/login")
    journey.check("login")
