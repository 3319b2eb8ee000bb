"""Every page each role can reach, at 320, 390, 768 and 1280 px, in Danish and in English.

The role logs in through the real form, then follows every link of its pages (at most
`PER_SHAPE` pages per URL shape: /participants/12 and /participants/13 are one shape). On every
page and at every width:

* the page is no wider than the screen (`scrollWidth <= innerWidth`);
* axe-core finds no serious or critical violation (scrollable-region-focusable, landmark-unique,
  colour contrast, names ...);
* no console error, failed request or error status.

The programme, register, rota and start page are saved as screenshots at 390 px under
`artifacts/screenshots/every-page/`. Run one role and language at a time:
`pytest -m browser tests/browser/test_every_page.py -k "coordinator and da" -n 0`.
"""

import re
from urllib.parse import urlsplit

import pytest

from . import prepare
from .harness import BROWSER_LOCALES, DEMO_ACCOUNTS, DEMO_PASSWORD, SCREENSHOTS, Journey

pytestmark = pytest.mark.browser

WIDTHS = (320, 390, 768, 1280)
ROLES = ("coordinator", "facilitator", "steering", "admin", "kiosk")
PER_SHAPE = 2
MAX_PAGES = 80
# Links that leave, change something, or answer with a file rather than a page.
SKIP = re.compile(
    r"^/(static|login|logout|language)\b|\.(csv|pdf|ics|json|svg|png)$|/(export|download|feed)"
    r"|\.csv\?|/csv\b|/pdf\b|/ics\b|format=|/print\b"
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

LINKS_SCRIPT = """() => Array.from(document.querySelectorAll('a[href]'))
  .filter(a => !a.hasAttribute('download')).map(a => a.href)"""


def shape(path: str) -> str:
    """/participants/12/edit -> /participants/N/edit: pages of one kind."""
    return re.sub(r"\d+", "N", path)


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


def test_every_page_fits_every_screen(crawl):
    role, journey = crawl
    page = journey.page
    server = journey.server.url
    if role == "kiosk":
        prepare.run(journey, "kiosk-resident", f"every-{journey.lang}")
    long_name = prepare.run(journey, "long-name")
    journey.login_as(DEMO_ACCOUNTS[role], DEMO_PASSWORD, step=f"start-{role}")
    queue = [urlsplit(page.url).path or "/"]
    if role == "coordinator":  # the resident with the 80-character name
        queue.append(f"/participants/{long_name['participant_id']}")
    seen_shapes: dict[str, int] = {}
    visited: set[str] = set()
    failures: list[str] = []
    while queue and len(visited) < MAX_PAGES:
        path = queue.pop(0)
        if path in visited:
            continue
        visited.add(path)
        response = page.goto(server + path)
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        failures += check_widths(journey, path)
        for href in page.evaluate(LINKS_SCRIPT):
            if not href.startswith(server):
                continue
            parts = urlsplit(href)
            link = parts.path + (f"?{parts.query}" if parts.query else "")
            if link in visited or link in queue or SKIP.search(link):
                continue
            kind = shape(parts.path)
            if seen_shapes.get(kind, 0) >= PER_SHAPE:
                continue
            seen_shapes[kind] = seen_shapes.get(kind, 0) + 1
            queue.append(link)
    assert len(visited) > (1 if role == "kiosk" else 3), visited
    assert not failures, f"{len(failures)} problem(s) on {len(visited)} pages:\n" + "\n".join(
        failures
    )


def check_widths(journey: Journey, path: str) -> list[str]:
    """The page at every width: no sideways scrolling, no axe finding, no console error."""
    page = journey.page
    failures = []
    for width in WIDTHS:
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
        if width == 390 and path in SCREENSHOT_PAGES:
            folder = SCREENSHOTS / "every-page"
            folder.mkdir(parents=True, exist_ok=True)
            name = f"{SCREENSHOT_PAGES[path]}-{journey.name.removeprefix('every-page-')}"
            page.screenshot(path=str(folder / f"{name}-390-{journey.lang}.png"), full_page=True)
    return failures
