"""Every page each role can reach, in Danish and in English, at 320, 390, 768 and 1280 px.

How it crawls: the role logs in through the real form, then follows every link of every page
it reaches (GET links on this server; links to files, to logging in or out and to the language
switch are not pages and are counted apart). There is no cap on the number of pages: the crawl
ends when no link leads anywhere new, and fails if it has not ended within `BUDGET_SECONDS`,
listing the pages it did not reach.

What "every page" means: links such as the rota's next week, a month's previous month or
another resident's page lead to endless or long families of pages of one kind (their URL differs
in numbers or in the values of its query: /participants/12 and /participants/13, /rota/?week=…).
Every kind of page (`shape`) is visited, `PER_SHAPE` of each; the further pages of a kind already
visited are not opened, and are not left out silently: their number per kind is printed and
written to `artifacts/every-page-counts-gw*.txt`, with the pages visited.

Widths (to keep the run within minutes, not hours): every visited page is checked at 390 px (the
phone, where the residents and facilitators read); the first page of each kind also at 320, 768
and 1280 px. The counts per role, language and width are printed and written to
`artifacts/every-page-counts-gw*.txt`. On every page and width:

* the page is no wider than the screen (`scrollWidth <= innerWidth`);
* axe-core finds no serious or critical violation (scrollable-region-focusable, landmark-unique,
  colour contrast, names ...);
* no console error, failed request or error status (a 500, a 404 behind a link ...);
* in Danish, no text of the page's own is an English message of the catalogue left untranslated
  (checked once per page, at 390 px).

Print views (/stats/…/print, /rota/print) are pages like the others. The kiosk's pages behind its
buttons are reached by pressing them: the code step (a resident with a code), the confirmation
after the code (its countdown stopped with "More time" while it is checked), the resident's own
page behind "Min side" and its code, and the evaluation waiting on the tablet (a link on the
names). The "resident" has no account: their crawl starts at their personal link.

The programme, register, rota and start page are saved as screenshots at 390 px under
`artifacts/screenshots/every-page/`. Run one role and language at a time:
`pytest -m browser tests/browser/test_every_page.py -k "coordinator-da" -p no:cacheprovider`.
"""

import re
import time
from collections import Counter
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from . import prepare
from .harness import (
    ARTIFACTS,
    BROWSER_LOCALES,
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    REPO,
    SCREENSHOTS,
    WORKER_SUFFIX,
    Journey,
)

pytestmark = pytest.mark.browser

WIDTHS = (320, 390, 768, 1280)
EVERY_PAGE_WIDTH = 390  # every visited page; the first page of each kind at all WIDTHS
# "resident": no account; the resident's own page through their personal link, and on from it.
ROLES = ("coordinator", "facilitator", "steering", "admin", "kiosk", "resident")
PER_SHAPE = 2
BUDGET_SECONDS = 25 * 60  # per role and language; the coordinator took 5 to 8 min here
COUNTS = ARTIFACTS / f"every-page-counts{WORKER_SUFFIX}.txt"  # one file per xdist worker
# Links that are not pages: files, logging in and out, the language switch.
NOT_A_PAGE = re.compile(
    r"^/(static|login|logout|language)\b|\.(csv|pdf|ics|json|svg|png|xlsx)$"
    r"|/(export|download|feed)|\.(csv|pdf|ics|xlsx)\?|/csv\b|/pdf\b|/ics\b|format="
)
SCREENSHOT_PAGES = {
    "/": "start",
    "/activities/": "programme",
    "/rota/": "rota",
    "/meetings/today": "register",
}

# The page's width, and the first elements that stick out on the right (outside scroll regions).
WIDTH_SCRIPT = """() => {
  const inScroller = el => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
    }
    return false;
  };
  const wide = Array.from(document.querySelectorAll('body *')).filter(el => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.right > window.innerWidth + 1 && !inScroller(el)
      && !el.closest('.visually-hidden, .skip-link');
  });
  return {
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
    wide: wide.slice(-3).map(el => el.tagName.toLowerCase() + (el.className ? '.' +
      String(el.className).trim().split(/\\s+/).join('.') : '') + ' ' +
      Math.round(el.getBoundingClientRect().right) + 'px'),
  };
}"""

# The texts of the page's elements that hold text themselves (not the residents' own input).
TEXTS_SCRIPT = """() => Array.from(document.querySelectorAll('body *:not(script):not(style)'))
  .filter(el => !el.closest('textarea, [contenteditable], input'))
  .flatMap(el => Array.from(el.childNodes).filter(n => n.nodeType === 3)
    .map(n => n.textContent.replace(/\\s+/g, ' ').trim()))
  .filter(text => text.includes(' '))"""


def english_messages() -> set[str]:
    """The catalogue's English messages of two words or more that Danish says otherwise."""
    from babel.messages.pofile import read_po

    with (REPO / "translations/da/LC_MESSAGES/messages.po").open("rb") as po:
        catalogue = read_po(po)
    return {
        message.id
        for message in catalogue
        if isinstance(message.id, str)
        and message.string
        and message.string != message.id
        and len(message.id.split()) >= 2
        and "%" not in message.id
    }


ENGLISH = english_messages()

LINKS_SCRIPT = """() => Array.from(document.querySelectorAll('a[href]'))
  .filter(a => !a.hasAttribute('download')).map(a => a.href)"""


def shape(link: str) -> str:
    """The kind of page a link leads to: numbers and tokens in the path, and the values of its
    query, stand for any (/participants/12/edit -> /participants/N/edit, /rota/?week=2026-12-07
    -> /rota/?week=N, /evaluations/answers/<token>/redact -> /evaluations/answers/T/redact)."""
    parts = urlsplit(link)
    path = re.sub(r"(?<=/)[0-9a-f]{16,}(?=/|$)", "T", parts.path)
    path = re.sub(r"\d+", "N", path)
    keys = sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return path + (f"?{urlencode([(key, 'N') for key in keys])}" if keys else "")


@pytest.fixture(scope="module", autouse=True)
def _fresh_counts():
    """One counts file per run."""
    ARTIFACTS.mkdir(exist_ok=True)
    COUNTS.write_text("# every-page test: pages checked per role, language and width\n")


@pytest.fixture(params=[(r, lang) for r in ROLES for lang in ("da", "en")], ids="-".join)
def crawl(request, chromium, live_server, _axe_script):
    """A fresh browser context for one role in one language (the width changes per page)."""
    role, lang = request.param
    context = chromium.new_context(
        viewport={"width": 1280, "height": 900},
        locale=BROWSER_LOCALES[lang],
        timezone_id="Europe/Copenhagen",
    )
    context.set_default_timeout(15_000)
    context.add_init_script(script=_axe_script)
    page = context.new_page()
    journey = Journey(page, live_server, f"every-page-{role}", "all", lang)
    try:
        yield role, journey
    finally:
        context.close()


class Crawl:
    """What one role in one language visited, checked and left out."""

    def __init__(self, journey: Journey) -> None:
        self.journey = journey
        self.server = journey.server.url
        self.queue: list[str] = []
        self.visited: list[str] = []
        self.shapes: Counter[str] = Counter()  # pages queued or visited per kind
        self.same_kind: dict[str, set[str]] = {}  # further pages of a kind, not opened
        self.files: set[str] = set()  # links to files, logging out, the language switch
        self.widths: Counter[int] = Counter()
        self.failures: list[str] = []

    def add(self, link: str) -> None:
        """Queue a link to a new page, unless its kind has been visited `PER_SHAPE` times."""
        if link in self.visited or link in self.queue or link in self.files:
            return
        if NOT_A_PAGE.search(link):
            self.files.add(link)
            return
        kind = shape(link)
        if self.shapes[kind] >= PER_SHAPE:
            self.same_kind.setdefault(kind, set()).add(link)
            return
        self.shapes[kind] += 1
        self.queue.append(link)

    def links(self) -> None:
        """Queue the links of the current page."""
        for href in self.journey.page.evaluate(LINKS_SCRIPT):
            if href.startswith(self.server):
                parts = urlsplit(href)
                self.add(parts.path + (f"?{parts.query}" if parts.query else ""))

    def check(self, path: str) -> None:
        """Check the page shown (the first of its kind at every width) and queue its links."""
        self.visited.append(path)
        first = sum(1 for p in self.visited if shape(p) == shape(path)) == 1
        widths = WIDTHS if first else (EVERY_PAGE_WIDTH,)
        self.failures += check_widths(self.journey, path, widths)
        self.widths.update(widths)
        self.links()

    def run(self, deadline: float) -> None:
        """Visit every queued page until none is left or the time is up."""
        while self.queue and time.monotonic() < deadline:
            path = self.queue.pop(0)
            if path in self.visited:
                continue
            response = self.journey.page.goto(self.server + path)
            if response is None or "text/html" not in (response.headers.get("content-type") or ""):
                self.files.add(path)
                continue
            self.check(path)

    def report(self, role: str) -> str:
        """The counts per width, and what was not opened, for the log and the artifact."""
        lang = self.journey.lang
        kinds = len({shape(p) for p in self.visited})
        lines = [
            f"{role} {lang}: {len(self.visited)} pages of {kinds} kinds visited; "
            + ", ".join(f"{w} px: {self.widths[w]}" for w in WIDTHS),
        ]
        if self.same_kind:
            more = sum(len(links) for links in self.same_kind.values())
            lines.append(f"  {more} further pages of kinds already visited, not opened:")
            lines += [
                f"    {len(links)} x {kind}" for kind, links in sorted(self.same_kind.items())
            ]
        if self.files:
            lines.append(f"  {len(self.files)} links to files or log-in/out, not pages")
        lines.append("  visited: " + " ".join(self.visited))
        return "\n".join(lines)


def kiosk_pages_behind_buttons(crawl: Crawl, extras: dict) -> None:
    """The kiosk's code step and its confirmation: reached by tapping a name, then the code."""
    journey, page = crawl.journey, crawl.journey.page
    page.goto(crawl.server + "/kiosk/")
    name = page.locator("button.kiosk-name").filter(
        has=page.get_by_text(extras["coded_name"], exact=True)
    )
    with page.expect_navigation():
        name.click()
    path = urlsplit(page.url).path
    assert re.fullmatch(r"/kiosk/code/\d+", path), f"tapping the name led to {path}"
    crawl.check(path)
    page.locator("#code").fill(extras["code"])
    with page.expect_navigation():
        page.locator("form.kiosk-code button[type=submit]").click()
    path = urlsplit(page.url).path
    assert re.fullmatch(r"/kiosk/checked-in/\d+", path), f"the code led to {path}"
    # The confirmation returns to the names after 10 s; "More time" keeps it while it is checked.
    page.get_by_role("button", name=journey.text("Mere tid", "More time")).click()
    crawl.check(path)
    # "Min side": the code again, then the resident's own page (it closes itself after 60 s).
    with page.expect_navigation():
        page.get_by_role("link", name=journey.text("Min side", "My page")).click()
    crawl.check(urlsplit(page.url).path)
    page.locator("#code").fill(extras["code"])
    with page.expect_navigation():
        page.get_by_role("button", name=journey.text("Åbn min side", "Open my page")).click()
    path = urlsplit(page.url).path
    assert path == "/my-page/kiosk/open", f"the code led to {path}"
    crawl.check(path)


def test_every_page_fits_every_screen(crawl):
    role, journey = crawl
    page = journey.page
    started = time.monotonic()
    extras = None
    if role == "kiosk":
        prepare.run(journey, "kiosk-resident", f"every-{journey.lang}")
        extras = prepare.run(journey, "kiosk-pages", f"every-{journey.lang}")
    long_name = prepare.run(journey, "long-name")
    try:
        pages = Crawl(journey)
        if role == "resident":  # no log-in: the personal link is the way in
            pages.add(prepare.run(journey, "mypage-resident", f"every-{journey.lang}")["link"])
        else:
            journey.login_as(DEMO_ACCOUNTS[role], DEMO_PASSWORD, step=f"start-{role}")
            pages.add(urlsplit(page.url).path or "/")
        if role == "coordinator":  # the resident with the 80-character name
            pages.add(f"/participants/{long_name['participant_id']}")
        deadline = started + BUDGET_SECONDS
        pages.run(deadline)
        if extras is not None:
            kiosk_pages_behind_buttons(pages, extras)
            pages.run(deadline)
    finally:
        if extras is not None:
            prepare.run(journey, "kiosk-codes", "1" if extras["codes_before"] else "0")
    report = pages.report(role)
    print(report)
    with COUNTS.open("a", encoding="utf-8") as counts:
        counts.write(report + "\n")
    assert not pages.queue, (
        f"over the budget of {BUDGET_SECONDS} s: {len(pages.queue)} reachable pages not "
        "visited:\n" + "\n".join(pages.queue)
    )
    kinds = {shape(p) for p in pages.visited}
    if role == "kiosk":
        assert {
            "/kiosk/code/N",
            "/kiosk/checked-in/N",
            "/evaluations/tablet/N",
            "/my-page/kiosk",
            "/my-page/kiosk/open",
        } <= kinds, kinds
    if role == "resident":
        assert any(kind.startswith("/my/") for kind in kinds), kinds
    assert len(pages.visited) >= {"kiosk": 2, "resident": 1}.get(role, 4), pages.visited
    assert not pages.failures, (
        f"{len(pages.failures)} problem(s) on {len(pages.visited)} pages:\n"
        + "\n".join(pages.failures)
    )


def check_widths(journey: Journey, path: str, widths=WIDTHS) -> list[str]:
    """The page at the given widths: no sideways scrolling, no axe finding, no console error."""
    page = journey.page
    failures = []
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(50)  # let the layout settle after the resize
        where = f"{path} at {width}px ({journey.lang})"
        size = page.evaluate(WIDTH_SCRIPT)
        if size["scroll"] > size["inner"]:
            failures.append(
                f"{where}: {size['scroll']}px wide on a {size['inner']}px screen; "
                f"too wide: {', '.join(size['wide'])}"
            )
        blocking = journey._axe(where, f"{width}-{re.sub(r'[^a-z0-9]+', '-', path)}")
        if blocking:
            failures.append(f"{where}: axe-core:\n{blocking}")
        problems = journey._take_problems()
        if problems:
            failures.append(f"{where}: " + "; ".join(problems))
        if width == EVERY_PAGE_WIDTH and journey.lang == "da":
            english = sorted(set(page.evaluate(TEXTS_SCRIPT)) & ENGLISH)
            if english:
                failures.append(f"{where}: English left untranslated: {english}")
        if width == 390 and path in SCREENSHOT_PAGES:
            folder = SCREENSHOTS / "every-page"
            folder.mkdir(parents=True, exist_ok=True)
            name = f"{SCREENSHOT_PAGES[path]}-{journey.name.removeprefix('every-page-')}"
            page.screenshot(path=str(folder / f"{name}-390-{journey.lang}.png"), full_page=True)
    return failures
