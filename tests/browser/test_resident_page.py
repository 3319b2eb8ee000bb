"""Journey (issue 30): a resident opens their own page by code on the kiosk (768x1024) and by
their personal link on a phone (390x844), in Danish and in English; the link's page fits 320,
390, 768 and 1280 px with no serious or critical axe finding, like the every-page crawl."""

import pytest

from . import prepare
from .test_every_page import check_widths
from .test_kiosk_checkin import tap

pytestmark = pytest.mark.browser


def test_resident_page_on_the_kiosk(journey):
    if journey.viewport != "tablet":
        pytest.skip("the kiosk is a tablet")
    page = journey.page
    me = prepare.run(journey, "mypage-resident", journey.variant)
    page.clock.install()
    journey.login("kiosk")
    name = page.locator("button.kiosk-name").filter(
        has=page.get_by_text(me["display_name"], exact=True)
    )
    tap(page, name)
    if page.locator("#code").count():  # a network that asks for the code at check-in
        page.locator("#code").fill("1234")
        with page.expect_navigation():
            page.locator("form.kiosk-code button[type=submit]").click()
    journey.check("checked-in")
    with page.expect_navigation():
        page.get_by_role("link", name=journey.text("Min side", "My page")).click()
    journey.check("code")
    page.locator("#code").fill("1234")
    with page.expect_navigation():
        page.get_by_role("button", name=journey.text("Åbn min side", "Open my page")).click()
    assert page.url == journey.server.url + "/my-page/kiosk/open"
    journey.check("my-page")
    main = page.locator("main")
    assert main.get_by_role("heading", level=1).inner_text() == journey.text(
        f"Hej {me['name']}", f"Hello {me['name']}"
    )
    text = main.inner_text()
    for own in (me["chore"], "Søge tre job", "Et fast job"):
        assert own in text, own
    # "Færdig" replaces the page in the history: Back does not bring it up again.
    with page.expect_navigation():
        page.locator(".kiosk-bar [data-mypage-done]").click()
    assert page.url == journey.server.url + "/kiosk/"
    journey.check("grid-after-done")
    page.go_back()
    assert "/my-page/kiosk/open" not in page.url
    journey.check("back")
    page.goto(journey.server.url + "/my-page/kiosk/open")
    assert page.url == journey.server.url + "/kiosk/", "the page opened again"
    journey.check("not-again")

    # Opened again by code, it closes itself after 60 seconds.
    journey.visit("/kiosk/", "grid-again")
    tap(page, name)
    if page.locator("#code").count():
        page.locator("#code").fill("1234")
        with page.expect_navigation():
            page.locator("form.kiosk-code button[type=submit]").click()
    journey.check("checked-in-again")
    with page.expect_navigation():
        page.get_by_role("link", name=journey.text("Min side", "My page")).click()
    journey.check("code-again")
    page.locator("#code").fill("1234")
    with page.expect_navigation():
        page.get_by_role("button", name=journey.text("Åbn min side", "Open my page")).click()
    journey.check("my-page-again")
    assert page.url == journey.server.url + "/my-page/kiosk/open"
    page.wait_for_load_state("networkidle")  # nothing of the page still loading when it closes
    page.clock.run_for(30_000)
    assert page.url == journey.server.url + "/my-page/kiosk/open"
    with page.expect_navigation():
        page.clock.run_for(30_000)  # the 60th second: it closes, no time left over
    assert page.url == journey.server.url + "/kiosk/"
    journey.check("closed-by-itself")


def test_resident_page_by_link_on_a_phone(journey):
    if journey.viewport != "phone":
        pytest.skip("the personal link is opened on the resident's phone")
    page = journey.page
    me = prepare.run(journey, "mypage-resident", journey.variant)
    journey.visit(me["link"], "link-page")
    # Danish until the resident chooses English (the resident has no language of their own).
    assert journey.page_lang() == "da"
    if journey.lang == "en":
        journey.switch_language("english")
    main = page.locator("main")
    assert main.get_by_role("heading", level=1).inner_text() == journey.text(
        f"Hej {me['name']}", f"Hello {me['name']}"
    )
    text = main.inner_text()
    for own in (me["chore"], "Søge tre job", "Et fast job"):
        assert own in text, own
    journey.assert_touch_targets("main form.mypage-wish")
    page.get_by_label(journey.text("Dit ønske", "Your wish")).fill("Et besøg på en virksomhed")
    with page.expect_navigation():
        page.get_by_role("button", name=journey.text("Send ønsket", "Send the wish")).click()
    assert page.url == journey.server.url + me["link"]
    assert (
        journey.text("Dit ønske er sendt", "Your wish is sent")
        in page.locator(".flash").inner_text()
    )
    journey.check("wish-sent")
    # The page at every width of the every-page crawl: no sideways scrolling, no axe finding.
    assert check_widths(journey, me["link"]) == []
    # A link that does not work: a plain page that names nobody.
    journey.visit("/my/" + "x" * 43, "forged-link", status=404)
    assert me["name"] not in page.locator("main").inner_text()


def test_coordinator_prints_a_personal_link(journey):
    if journey.viewport != "desktop":
        pytest.skip("the coordinator prints at a desk")
    page = journey.page
    me = prepare.run(journey, "mypage-resident", journey.variant)
    journey.login("coordinator")
    journey.visit(f"/participants/{me['participant_id']}", "participant")
    section = page.get_by_role(
        "region", name=journey.text("Deltagerens egen side", "The resident's own page")
    )
    with page.expect_navigation():
        section.get_by_role("button").first.click()
    journey.check("printable-link")
    shown = page.locator(".mypage-url code").inner_text()
    assert shown.removeprefix(journey.server.url).startswith("/my/")
    assert shown.removeprefix(journey.server.url) != me["link"]  # a new one: the old one stops
    if shown.startswith("/"):
        # The live server has no NETVAERK_BASE_URL: a QR code of a bare path would not work on
        # a phone, so the page says what to set instead of printing one.
        assert "NETVAERK_BASE_URL" in page.get_by_role("alert").inner_text()
        assert page.locator("figure.mypage-qr").count() == 0
    else:
        assert page.locator("figure.mypage-qr svg").is_visible()
