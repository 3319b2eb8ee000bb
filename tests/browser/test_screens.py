"""Screens on phones (issue 29): tables become cards with no word broken inside, buttons keep
their label whole, the calendar link can be copied; and CI keeps screenshots at 390 px of the
register, the rota, the programme and the steering group's quarter under artifacts/."""

import re

import pytest

from . import prepare
from .harness import ARTIFACTS, BROWSER_LOCALES, DEMO_ACCOUNTS, DEMO_PASSWORD, Journey

pytestmark = pytest.mark.browser

# Words (split at spaces and hyphens) of the visible text in `root` whose letters lie on more
# than one line: a word broken inside ("Opga/ve"). Hidden text is skipped.
BROKEN_WORDS_SCRIPT = """(selector) => {
  const root = document.querySelector(selector);
  const broken = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('.visually-hidden, script, style, [hidden], option')) continue;
    if (!parent.getClientRects().length) continue;
    let clipped = false;  // inside a 1px box: a stacked table's column heads, read aloud only
    for (let el = parent; el && el !== root.parentElement; el = el.parentElement) {
      const box = el.getBoundingClientRect();
      if (box.width <= 1 || box.height <= 1) { clipped = true; break; }
    }
    if (clipped) continue;
    const text = node.textContent;
    for (const match of text.matchAll(/[^\\s\\-\\u2010\\u2013\\u2014\\/]+/g)) {
      if (match[0].length < 2) continue;
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set(Array.from(range.getClientRects())
        .filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (tops.size > 1) broken.push(match[0] + ' in <' + parent.tagName.toLowerCase() + '>');
    }
  }
  return broken;
}"""

WIDE_TABLES_SCRIPT = """() => Array.from(document.querySelectorAll('main table'))
  .filter(t => t.getBoundingClientRect().right > window.innerWidth + 1)
  .map(t => (t.className || 'table') + ' ' + Math.round(t.getBoundingClientRect().right) + 'px')"""


@pytest.fixture(params=["da", "en"])
def browse(request, chromium, live_server, _axe_script):
    """A fresh browser context in one language; the test sets the width per page."""
    context = chromium.new_context(
        viewport={"width": 390, "height": 844},
        locale=BROWSER_LOCALES[request.param],
        timezone_id="Europe/Copenhagen",
    )
    context.set_default_timeout(15_000)
    context.add_init_script(script=_axe_script)
    page = context.new_page()
    journey = Journey(page, live_server, f"screens-{request.param}", "all", request.param)
    try:
        yield journey
    finally:
        context.close()


def _problems_at(journey, path: str, widths) -> list[str]:
    page = journey.page
    response = page.goto(journey.server.url + path)
    assert response is not None and response.status == 200, path
    problems = []
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(50)  # let the layout settle after the resize
        where = f"{path} at {width}px ({journey.lang})"
        wide = page.evaluate(WIDE_TABLES_SCRIPT)
        if wide:
            problems.append(f"{where}: table wider than the screen: {wide}")
        scroll = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        if scroll > 0:
            problems.append(f"{where}: the page is {scroll}px too wide")
        broken = page.evaluate(BROKEN_WORDS_SCRIPT, "main")
        if broken:
            problems.append(f"{where}: words broken inside: {broken[:6]}")
    return problems


def test_tables_are_cards_on_phones_with_no_word_broken(browse):
    journey = browse
    today = prepare.run(journey, "kiosk-resident", f"screens-{journey.lang}")
    leaver = prepare.run(journey, "followup", f"screens-{journey.lang}")
    prepare.run(journey, "long-name")
    journey.login_as(DEMO_ACCOUNTS["coordinator"], DEMO_PASSWORD)
    register = f"/rota/meeting/{today['meeting_id']}"
    problems = _problems_at(journey, register, (320, 390))
    # The chores are cards: each row a block with its column names in front.
    display = journey.page.evaluate(
        "() => getComputedStyle(document.querySelector('table.rota-today tr')).display"
    )
    assert display == "block"
    for path in (
        "/rota/chores",
        "/meetings/follow-up",
        "/followup/",
        f"/followup/participants/{leaver['leaver_id']}",
        "/meetings/",
        "/meetings/closures",
        "/activities/types",
        "/activities/facilitators",
        "/evaluations/",
        "/wheel/areas",
    ):
        problems += _problems_at(journey, path, (320, 390))
    assert not problems, "\n".join(problems)


def test_the_admins_tables_are_cards_on_phones_too(browse):
    """The staff accounts, one account's roles, the audit log and the outbox: cards on phones."""
    journey = browse
    journey.login_as(DEMO_ACCOUNTS["admin"], DEMO_PASSWORD)
    problems = _problems_at(journey, "/admin/users", (320, 390))
    display = journey.page.evaluate(
        "() => getComputedStyle(document.querySelector('table.stack tbody tr')).display"
    )
    assert display == "block"
    account = journey.page.locator("table.stack tbody th a").first.get_attribute("href")
    for path in ("/", account, "/admin/audit", "/admin/outbox/"):
        problems += _problems_at(journey, path, (320, 390))
    assert not problems, "\n".join(problems)


def test_buttons_keep_their_label_whole_on_a_wide_screen(browse):
    journey = browse
    leaver = prepare.run(journey, "followup", f"screens-{journey.lang}")
    today = prepare.run(journey, "kiosk-resident", f"screens-{journey.lang}")
    journey.login_as(DEMO_ACCOUNTS["coordinator"], DEMO_PASSWORD)
    problems = []
    for path in (
        f"/followup/participants/{leaver['participant_id']}",
        f"/followup/participants/{leaver['leaver_id']}/checks/3",
        f"/meetings/{today['meeting_id']}/register",
        f"/rota/meeting/{today['meeting_id']}",
    ):
        journey.page.goto(journey.server.url + path)
        for width in (1280, 390, 320):
            journey.page.set_viewport_size({"width": width, "height": 900})
            journey.page.wait_for_timeout(50)
            broken = journey.page.evaluate(BROKEN_WORDS_SCRIPT, "main")
            broken = [word for word in broken if "<button>" in word or "<a>" in word]
            if broken:
                problems.append(f"{path} at {width}px: {broken}")
    assert not problems, "\n".join(problems)


def test_the_calendar_link_can_be_copied(browse):
    journey = browse
    page = journey.page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    journey.login_as(DEMO_ACCOUNTS["facilitator"], DEMO_PASSWORD)
    with page.expect_navigation():  # tap 1 from the start page
        page.locator("main a[href='/activities/calendar']").first.click()
    with page.expect_navigation():  # tap 2: the link
        page.get_by_role(
            "button", name=re.compile(journey.text("kalenderlink", "calendar link"))
        ).click()
    journey.check("calendar-link")
    link = page.locator("#feed-link").inner_text().strip()
    # The full address when NETVAERK_BASE_URL is set; the test server has none: the path.
    assert "/activities/calendar/" in link and link.endswith(".ics")
    box = page.locator("#feed-link").bounding_box()
    assert box["x"] + box["width"] <= 390 + 1  # shown whole on a phone
    page.get_by_role("button", name=journey.text("Kopiér linket", "Copy the link")).click()
    page.locator("#feed-copy-status").filter(has_text=journey.text("kopieret", "copied")).wait_for()
    assert page.evaluate("() => navigator.clipboard.readText()") == link
    assert page.locator("img[src^='data:image/svg+xml']").is_visible()


def test_screenshots_at_390_px_for_ci(chromium, live_server, _axe_script):
    """artifacts/<page>-390.png: the register, the rota, the programme, the quarter."""
    context = chromium.new_context(
        viewport={"width": 390, "height": 844}, locale="da-DK", timezone_id="Europe/Copenhagen"
    )
    context.add_init_script(script=_axe_script)
    try:
        page = context.new_page()
        journey = Journey(page, live_server, "screens-artifacts", "phone", "da")
        prepare.run(journey, "kiosk-resident", "screens-shot")
        journey.login_as(DEMO_ACCOUNTS["coordinator"], DEMO_PASSWORD)
        shots = {"register": "/meetings/today", "rota": "/rota/", "programme": "/activities/"}
        for name, path in shots.items():
            page.goto(live_server.url + path)
            page.screenshot(path=str(ARTIFACTS / f"{name}-390.png"), full_page=True)
        page.context.clear_cookies()
        journey.login_as(DEMO_ACCOUNTS["steering"], DEMO_PASSWORD, step="steering")
        hrefs = page.evaluate("() => Array.from(document.links).map(a => a.pathname)")
        quarters = sorted({h for h in hrefs if re.fullmatch(r"/stats/\d{4}/q[1-4]", h)})
        assert quarters, "the steering group's start page links to its quarters"
        answer = page.goto(live_server.url + quarters[-1])  # the latest quarter
        assert answer is not None and answer.status == 200
        page.screenshot(path=str(ARTIFACTS / "quarter-390.png"), full_page=True)
    finally:
        context.close()
    for name in ("register", "rota", "programme", "quarter"):
        assert (ARTIFACTS / f"{name}-390.png").stat().st_size > 1000, name
