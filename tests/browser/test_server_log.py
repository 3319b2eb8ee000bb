"""Journey: the coordinator searches for a resident by name and opens their page; the server's
log (gunicorn's access log and the app's own) of all journeys run so far holds no resident's
name, because the name search is sent by POST and no page puts a name in a URL."""

import re

import pytest

from . import prepare

pytestmark = pytest.mark.browser


def test_no_resident_name_in_the_server_log(journey):
    page = journey.page
    names = prepare.run(journey, "resident-names")["names"]
    someone = next(n for n in names if len(n) >= 4)
    journey.login("coordinator")
    journey.visit("/participants/", "participants")
    search = page.get_by_role("search")
    search.get_by_label(journey.text("Søg på navn", "Search by name")).fill(someone)
    with page.expect_navigation():
        search.get_by_role("button", name=journey.text("Søg", "Search")).click()
    journey.check("searched")
    assert someone in page.get_by_role("main").inner_text()
    assert someone not in page.url
    with page.expect_navigation():
        page.get_by_role("main").get_by_role("link", name=re.compile(someone)).first.click()
    journey.check("resident")

    log = journey.server.log_path.read_text(errors="replace")
    assert "POST /participants/" in log  # the access log is on, and caught the search
    found = [n for n in names if len(n) >= 3 and re.search(rf"\b{re.escape(n)}\b", log)]
    assert found == [], f"resident names in the server log: {found}"
