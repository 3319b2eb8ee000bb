"""Real-browser journeys: the live server, Chromium and the per-page checks every journey uses.

How the browser tests work
--------------------------
One real netvaerk server runs for the whole session (gunicorn on a free port on 127.0.0.1, its
own instance folder, a fresh SQLite database built by `flask db upgrade` and filled by
`flask demo`). One headless Debian Chromium runs for the session too; every test gets a fresh
browser context (no cookies), so tests do not depend on each other's logins.

Every test that takes the `journey` fixture runs six times: at tablet (768x1024), phone
(390x844) and desktop (1366x900) size, each in Danish and in English (ids like
`tablet-da`). `journey` is a `Journey` (below): it wraps a Playwright `Page` and checks each page
it reaches with `journey.check(step)`:

* axe-core (vendored in `vendor/`) finds no violation of serious or critical impact, and none
  of landmark-unique or scrollable-region-focusable whatever their impact; lesser ones are
  printed and summed up at the end of the run;
* no console error, no uncaught exception, no failed request and no response >= 400 (unless the
  step says which status it expects);
* a full-page screenshot is saved to
  `artifacts/screenshots/<journey>/<viewport>-<lang>-<NN>-<step>.png`.

How to add a journey
--------------------
Make `tests/browser/test_<name>.py`::

    \"\"\"Journey: a resident checks in on the kiosk.\"\"\"

    import pytest

    pytestmark = pytest.mark.browser


    def test_kiosk_check_in(journey):
        journey.login("kiosk")                       # real login form, lands on the start page
        journey.assert_touch_targets("main")         # >= 44x44 CSS pixels
        page = journey.page
        with page.expect_navigation():               # a form post: wait for the new page
            page.get_by_role("button", name=journey.text("Tjek ind", "Check in")).click()
        journey.check("checked-in")                  # axe, console, requests, screenshot
        assert page.get_by_role("heading", name=journey.text("Din opgave i dag", "Your task today"))
        ...

Then:

* Navigate with `journey.visit("/path", "step-name")` or act on `journey.page` (Playwright's
  sync API; wrap clicks that load a page in `with journey.page.expect_navigation():`, never
  sleep) and call `journey.check("step-name")` after every action that shows a new page or
  changes the page noticeably. Checks are not optional: a step without a check is not tested.
* Find things the way a person does: `page.get_by_role(...)`, `page.get_by_label(...)`, with
  the visible text in both languages.
* `journey.text(danish, english)` picks the expected text in the journey's language;
  `journey.lang` and `journey.viewport` tell which variant runs.
* Log in with `journey.login(role)` (demo accounts: coordinator, facilitator, steering, kiosk,
  admin) or `journey.login_as(email, password)`. A journey that changes an account (its
  password, its language) makes its own with `journey.server.add_account(email, role, password)`
  (unique per variant) and leaves the demo accounts as they are: all journeys share one database.
* The demo data is shared and not reset between tests: a journey that creates rows makes their
  names unique per variant (`journey.variant`, e.g. "tablet-da") and must not rely on counts.
* The server is a separate process running on the real clock (nothing can monkeypatch it).
  Journeys must pass on any day; what they need that the pages cannot make (e.g. a meeting
  today for the kiosk) they prepare with `journey.server.run_python(script, *args)`, which runs
  a Python script against the server's database.
* A page that is meant to answer 4xx: `journey.visit(path, step, status=404)`.
* Language: `journey.switch_language()` presses the page's English/Dansk switch.
* Touch targets: `journey.assert_touch_targets(selector)`. Keyboard: `journey.tab()`,
  `journey.tab_to(selector)` and `journey.tab_through()` press Tab and assert at every stop that
  the focus is visible (`:focus-visible` with an outline or box-shadow) and on screen.
* Run one: `.venv/bin/python -m pytest -m browser tests/browser -k "kiosk and tablet-da"`.

The journeys (one file each): login and language (test_login), errors (test_errors), kiosk
check-in with today's task and activities, no double check-in and the countdown back to the
names (test_kiosk_checkin), registering a resident + next month's meetings and rota
(test_coordinator_month), facilitator sign-up and cancel (test_facilitator_signup), leaving +
exit evaluation on the tablet (test_leaving_exit_evaluation), closing the month + the steering
account's report, chart and exports (test_month_report), keyboard only (test_keyboard),
tables as cards on phones with no word broken, whole button labels, copying the calendar link
and the screenshots CI keeps at 390 px (artifacts/register-390.png, rota, programme, quarter:
test_screens),
and every page each role reaches in both languages, every kind of page at 320, 390, 768 and
1280 px and every visited page at 390 px: never wider than the screen, no axe finding, no error
status (test_every_page; no cap on pages: it fails on a reachable kind of page left unvisited,
writes its counts per role, language and width to artifacts/every-page-counts-gw*.txt, and saves the
programme, register, rota and start page at 390 px under artifacts/screenshots/every-page/).
Menu entries hidden behind "Menu" (phones) or a group (People, Meetings, ...) are reached with
`journey.menu_link(...)`. What they need that the pages cannot make is prepared by `prepare.py`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
# The browser leg runs in two pytest-xdist workers, each with its own live server and Chromium;
# the files one worker writes for the whole run carry its name (browser-server-gw0.log).
WORKER_SUFFIX = (
    f"-{os.environ['PYTEST_XDIST_WORKER']}" if "PYTEST_XDIST_WORKER" in os.environ else ""
)
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

VIEWPORTS = {
    "tablet": {"width": 768, "height": 1024},
    "phone": {"width": 390, "height": 844},
    "desktop": {"width": 1366, "height": 900},
}
LANGUAGES = ("da", "en")
# What the browser asks for (Accept-Language); the page's language switch overrides it.
BROWSER_LOCALES = {"da": "da-DK", "en": "en-GB"}

DEMO_PASSWORD = "netvaerk-demo"
DEMO_ACCOUNTS = {
    "coordinator": "coordinator@example.org",
    "facilitator": "facilitator@example.org",
    "steering": "steering@example.org",
    "kiosk": "kiosk@example.org",
    "admin": "admin@example.org",
}
DEMO_NETWORK = "Netværket – dit jobfællesskab"

# axe-core from the npm package `axe-core`, vendored; see vendor/README.md to update it.
AXE_VERSION = "4.14.1"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
AXE_FILE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")
# Rules that fail a page whatever impact axe gives them (issue 16).
ALWAYS_BLOCKING = ("landmark-unique", "scrollable-region-focusable")
MIN_TOUCH_TARGET = 44  # CSS pixels, WCAG 2.5.5


def axe_source() -> str:
    """The vendored axe-core, checked against the pinned version's hash."""
    data = AXE_FILE.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    assert digest == AXE_SHA256, f"{AXE_FILE} is not axe-core {AXE_VERSION} (sha256 {digest})"
    return data.decode("utf-8")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# Run by LiveServer.add_account in the server's environment (same instance folder and database).
ADD_ACCOUNT_SCRIPT = """
import sys
from netvaerk import create_app
from netvaerk.auth.services import create_user
from netvaerk.core.models import Membership, Network
from netvaerk.extensions import db

email, role, network_name, password = sys.argv[1:5]
with create_app().app_context():
    network = db.session.execute(db.select(Network).filter_by(name=network_name)).scalar_one()
    user = create_user(email, password, name="Browser Test", is_admin=role == "admin")
    if role != "admin":
        db.session.add(Membership(user_id=user.id, network_id=network.id, role=role))
    db.session.commit()
"""


def stop_group(process: subprocess.Popen) -> None:
    """Stop a process started by `LiveServer.spawn` and its children: TERM, then KILL."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


class LiveServer:
    """The real app served by gunicorn in its own process, on a fresh demo database."""

    def __init__(self) -> None:
        self.instance = Path(tempfile.mkdtemp(prefix="netvaerk-browser-"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = ARTIFACTS / f"browser-server{WORKER_SUFFIX}.log"
        self.process: subprocess.Popen | None = None
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("NETVAERK_", "FLASK_"))
        }
        self.env.update(
            {
                "NETVAERK_INSTANCE_PATH": str(self.instance),
                "NETVAERK_COOKIE_SECURE": "0",  # plain HTTP on 127.0.0.1
                # Every journey logs in from 127.0.0.1; the real limit would stop the run.
                "NETVAERK_RATELIMIT_LOGIN": "10000 per minute",
                "PYTHONUNBUFFERED": "1",
            }
        )

    def flask(self, *args: str, input: str | None = None) -> str:
        """Run `flask --app netvaerk <args>` against this server's instance; returns stdout."""
        done = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "netvaerk", *args],
            env=self.env,
            cwd=self.instance,
            input=input,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, f"flask {' '.join(args)} failed:\n{done.stdout}{done.stderr}"
        return done.stdout

    def start(self) -> None:
        """Migrate, load the demo, start gunicorn and wait until the login page answers."""
        self.flask("db", "upgrade")
        self.flask("demo")
        self.process = self.spawn(
            [
                "gunicorn",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--access-logfile",
                "-",
                "netvaerk:create_app()",
            ],
            self.log_path,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped at start:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url + "/login", timeout=2) as answer:  # noqa: S310
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the server did not answer within 60 s:\n{self.log_tail()}")

    def spawn(self, module_args: list[str], log_path: Path) -> subprocess.Popen:
        """Start `python -m <module_args>` on this server's instance and settings, in a process
        group of its own (so `stop_group` stops its children too), logging to `log_path`."""
        ARTIFACTS.mkdir(exist_ok=True)
        with log_path.open("w") as log:
            return subprocess.Popen(
                [sys.executable, "-m", *module_args],
                env=self.env,
                cwd=self.instance,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def stop(self) -> None:
        """Stop gunicorn (its whole process group) and remove the instance folder."""
        if self.process is not None:
            stop_group(self.process)
        shutil.rmtree(self.instance, ignore_errors=True)

    def log_tail(self, lines: int = 40) -> str:
        """The end of the server's log, for failure messages."""
        if not self.log_path.exists():
            return "(no server log)"
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def run_python(self, script: str, *args: str) -> str:
        """Run `script` (Python, `sys.argv[1:]` = `args`) against the server's database.

        For preparing what a journey needs but cannot do through the pages (a meeting today,
        an account of its own); returns what the script prints."""
        done = subprocess.run(
            [sys.executable, "-c", script, *args],
            env=self.env,
            cwd=self.instance,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, f"the script failed:\n{done.stdout}{done.stderr}"
        return done.stdout

    def add_account(self, email: str, role: str, password: str) -> None:
        """Create a staff account with `role` in the demo network (for journeys that change it)."""
        self.run_python(ADD_ACCOUNT_SCRIPT, email, role, DEMO_NETWORK, password)


@dataclass
class AxeFindings:
    """Lesser axe findings of the whole run, for the summary at the end."""

    by_rule: dict[str, set[str]] = field(default_factory=dict)

    def add(self, rule: str, impact: str, where: str) -> None:
        """Remember that `rule` (of `impact`) was found on `where`."""
        self.by_rule.setdefault(f"{rule} ({impact})", set()).add(where)


MINOR_FINDINGS = AxeFindings()

# Describes the focused element and whether its focus can be seen (outline or box-shadow).
FOCUS_SCRIPT = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  const box = el.getBoundingClientRect();
  const label = (el.getAttribute('aria-label') || el.innerText || el.value || el.name || el.id
                 || '').trim().slice(0, 40);
  return {
    tag: el.tagName.toLowerCase(), id: el.id, label: label,
    description: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "' + label + '"',
    visible: outline || shadow, outline: style.outline, boxShadow: style.boxShadow,
    focusVisible: el.matches(':focus-visible'),
    onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
              && box.top < window.innerHeight && box.left < window.innerWidth,
  };
}"""

# Elements Tab can reach: focusable, enabled, rendered (a generous count: radio groups count each).
TABBABLE_SCRIPT = """() => {
  const selector = 'a[href], area[href], button, input, select, textarea, summary, iframe, '
                 + '[tabindex], [contenteditable="true"]';
  return Array.from(document.querySelectorAll(selector)).filter(el =>
    !el.disabled && el.type !== 'hidden' && el.tabIndex >= 0 && el.getClientRects().length > 0
  ).length;
}"""

TOUCH_SCRIPT = """(selector) => {
  const found = [];
  const interactive = 'a, button, input, select, textarea, summary, [role=button]';
  for (const root of document.querySelectorAll(selector)) {
    const targets = root.matches(interactive) ? [root] : root.querySelectorAll(interactive);
    for (const el of targets) {
      if (el.type === 'hidden') continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      found.push({description: el.tagName.toLowerCase() + ' "' +
                  (el.innerText || el.value || el.name || '').trim().slice(0, 40) + '"',
                  width: box.width, height: box.height});
    }
  }
  return found;
}"""


class Journey:
    """One run of a journey at one viewport in one language, with the per-page checks."""

    def __init__(self, page, server: LiveServer, name: str, viewport: str, lang: str) -> None:
        self.page = page
        self.server = server
        self.name = name
        self.viewport = viewport
        self.lang = lang
        self.variant = f"{viewport}-{lang}"
        self.steps = 0
        self.problems: list[str] = []
        self.expected_statuses: dict[str, int] = {}
        self.downloads: set[str] = set()
        self.aborted: list[str] = []
        self.folder = SCREENSHOTS / name
        self.folder.mkdir(parents=True, exist_ok=True)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught exception: {error}"))
        page.on("requestfailed", self._on_request_failed)
        page.on("download", lambda download: self.downloads.add(download.url))
        page.on("response", self._on_response)

    # --- listeners -------------------------------------------------------------------------
    def _on_console(self, message) -> None:
        if message.type != "error":
            return
        url = (message.location or {}).get("url", "")
        expected = url.removeprefix(self.server.url) in self.expected_statuses
        if not (expected and message.text.startswith("Failed to load resource")):
            self.problems.append(f"console error: {message.text} ({message.location})")

    def _on_request_failed(self, request) -> None:
        if request.failure == "net::ERR_ABORTED":
            # A link that answers with a file: Chromium aborts the navigation and downloads it.
            # Judged in _take_problems, when the download event has surely arrived.
            self.aborted.append(request.url)
            return
        self.problems.append(f"request failed: {request.method} {request.url}: {request.failure}")

    def _take_problems(self) -> list[str]:
        """The problems seen since the last check (aborted requests that were no download)."""
        problems = self.problems + [
            f"request failed: {url}: net::ERR_ABORTED"
            for url in self.aborted
            if url not in self.downloads
        ]
        self.problems, self.aborted = [], []
        return problems

    def _on_response(self, response) -> None:
        if response.status < 400:
            return
        path = response.url.removeprefix(self.server.url)
        if self.expected_statuses.get(path) == response.status:
            return
        self.problems.append(f"HTTP {response.status}: {response.request.method} {response.url}")

    # --- language --------------------------------------------------------------------------
    def text(self, danish: str, english: str) -> str:
        """The text a page shows in this journey's language."""
        return danish if self.lang == "da" else english

    def page_lang(self) -> str:
        """The language the current page declares on <html lang>."""
        return self.page.locator("html").get_attribute("lang") or ""

    def switch_language(self, step: str = "language-switch") -> None:
        """Press the page's language switch (English/Dansk) and check the page it leads to."""
        before = self.page_lang()
        target = "en" if before == "da" else "da"
        with self.page.expect_navigation():
            self.page.locator(f'.language-switch button[lang="{target}"]').click()
        assert self.page_lang() == target, f"the switch did not change the language to {target}"
        self.check(step)

    def ensure_language(self) -> None:
        """Use the language switch when the page is not in this journey's language."""
        if self.page_lang() != self.lang:
            self.switch_language()
        assert self.page_lang() == self.lang

    # --- navigation and checks -------------------------------------------------------------
    def visit(self, path: str, step: str, status: int = 200) -> None:
        """Open `path` (on the server) and check the page; `status` is the answer expected."""
        if status >= 400:
            self.expected_statuses[path] = status
        response = self.page.goto(self.server.url + path)
        assert response is not None and response.status == status, (
            f"{path}: HTTP {response.status if response else '?'}, expected {status}"
        )
        self.check(step)

    def check(self, step: str) -> None:
        """The checks of every page: screenshot, axe-core, console and requests."""
        self.page.wait_for_load_state("load")
        self.steps += 1
        slug = re.sub(r"[^a-z0-9]+", "-", step.lower()).strip("-")
        label = f"{self.variant}-{self.steps:02d}-{slug}"
        self.page.screenshot(path=str(self.folder / f"{label}.png"), full_page=True)
        where = f"{self.name}/{label} {self.page.url.removeprefix(self.server.url)}"
        blocking = self._axe(where, label)
        problems = self._take_problems()
        message = []
        if blocking:
            message.append("axe-core found serious or critical violations:\n" + blocking)
        if problems:
            message.append("console errors or failed requests:\n  " + "\n  ".join(problems))
        assert not message, f"{where}:\n" + "\n".join(message)

    def _axe(self, where: str, label: str) -> str:
        """Run axe-core on the page; print lesser findings, return serious/critical as text."""
        results = self.page.evaluate(
            "async () => { const r = await axe.run(document, "
            "{resultTypes: ['violations']}); return r.violations; }"
        )
        blocking, lesser = [], []
        for violation in results:
            nodes = "\n".join(
                "      {}: {}".format(
                    ", ".join(map(str, node["target"])),
                    node.get("failureSummary", "").replace("\n", " "),
                )
                for node in violation["nodes"]
            )
            line = (
                f"  [{violation['impact']}] {violation['id']}: {violation['help']} "
                f"({violation['helpUrl']})\n{nodes}"
            )
            if violation["impact"] in BLOCKING_IMPACTS or violation["id"] in ALWAYS_BLOCKING:
                blocking.append(line)
            else:
                lesser.append(line)
                MINOR_FINDINGS.add(violation["id"], violation["impact"], where)
        if lesser:
            print(f"axe-core (not blocking) on {where}:\n" + "\n".join(lesser))
        if results:
            report = self.folder / f"{label}.axe.json"
            report.write_text(json.dumps(results, indent=2, ensure_ascii=False))
        return "\n".join(blocking)

    def finish(self) -> None:
        """After the journey: nothing may have gone wrong since the last check."""
        self.page.wait_for_timeout(0)  # let pending events arrive
        problems = self._take_problems()
        assert not problems, "after the last step:\n  " + "\n  ".join(problems)

    def screenshot_failure(self) -> None:
        """Save what the page showed when the journey failed."""
        try:
            path = self.folder / f"{self.variant}-FAILED.png"
            self.page.screenshot(path=str(path), full_page=True)
            print(f"screenshot of the failure: {path}")
        except Exception as error:  # the page may be gone; the failure itself matters more
            print(f"no screenshot of the failure: {error}")

    # --- logging in ------------------------------------------------------------------------
    def login(self, role: str) -> None:
        """Log in with the demo account of `role` through the login form."""
        self.login_as(DEMO_ACCOUNTS[role], DEMO_PASSWORD, step=f"start-{role}")

    def login_as(self, email: str, password: str, step: str = "start") -> None:
        """Fill in the real login form, land on the start page in this journey's language."""
        self.visit("/login", "login")
        self.ensure_language()
        self.page.locator("#email").fill(email)
        self.page.locator("#password").fill(password)
        with self.page.expect_navigation():
            self.page.locator("form:has(#email) button[type=submit]").click()
        assert not self.page.url.startswith(self.server.url + "/login"), (
            f"{email} could not log in: {self.page.locator('.flash').all_inner_texts()}"
        )
        # An account keeps the language it last chose; the switch changes it back.
        self.ensure_language()
        self.check(step)

    def log_out_button(self):
        """The page's log-out button (the kiosk has none: the tablet stays a kiosk)."""
        name = self.text("Log ud", "Log out")
        return self.page.get_by_role("button", name=name, exact=True)

    def logout(self) -> None:
        """Press "Log out" and check the login page it leads to."""
        with self.page.expect_navigation():
            self.log_out_button().click()
        assert self.page.url.startswith(self.server.url + "/login")
        self.check("logged-out")

    # --- the menu -------------------------------------------------------------------------
    def menu_link(self, href_end: str, keyboard: bool = False):
        """The main menu's link whose URL ends with `href_end`, made visible the way a person
        does: "Menu" on phones and tablets, then the link's group (People, Meetings, ...).
        With `keyboard`, by Tab and Enter (the focus must show at every stop)."""
        page = self.page
        link = page.locator(f".main-nav a[href$='{href_end}']")
        steps = [".menu__button", f".nav-group:has(a[href$='{href_end}']) > summary"]
        for selector in steps:
            if link.is_visible():
                break
            toggle = page.locator(selector)
            if toggle.count() == 0 or not toggle.is_visible():
                continue
            if keyboard:
                self.tab_to(selector)
                page.keyboard.press("Enter")
            else:
                toggle.click()
        assert link.is_visible(), f"the menu's link to {href_end} cannot be shown"
        return link

    # --- keyboard and touch ----------------------------------------------------------------
    def focused(self) -> dict | None:
        """The focused element (None for the page itself) and whether its focus is visible."""
        return self.page.evaluate(FOCUS_SCRIPT)

    def tab(self, key: str = "Tab") -> dict:
        """Press Tab (or Shift+Tab) and assert the newly focused element shows its focus."""
        self.page.keyboard.press(key)
        now = self.focused()
        assert now is not None, f"{key} left the page (focus on <body>)"
        assert now["visible"] and now["focusVisible"], (
            f"focus on {now['description']} is not visible "
            f"(outline {now['outline']!r}, box-shadow {now['boxShadow']!r})"
        )
        assert now["onScreen"], f"the focused {now['description']} is off screen"
        return now

    def tab_to(self, selector: str, limit: int = 40) -> list[dict]:
        """Tab until the element matching `selector` has focus; every stop must show focus."""
        stops = []
        for _ in range(limit):
            stops.append(self.tab())
            if self.page.evaluate("s => document.activeElement.matches(s)", selector):
                return stops
        raise AssertionError(
            f"{selector} not reached with {limit} Tabs; stops: "
            + ", ".join(stop["description"] for stop in stops)
        )

    def tabbable_count(self) -> int:
        """How many elements of the page can take focus with Tab (an upper bound of its stops)."""
        return self.page.evaluate(TABBABLE_SCRIPT)

    def tab_through(self, limit: int | None = None) -> list[dict]:
        """Every Tab stop of the page in order from the top; each must show its focus.

        Tabs on from wherever focus is to the end of the page (focus leaves the document),
        then once through the whole page, so the stops are complete whatever the start. That
        takes at most twice the page's focusable elements (plus the two exits): a page that
        needs more Tabs traps the focus somewhere."""
        if limit is None:
            limit = 2 * (self.tabbable_count() + 2)
        stops: list[dict] = []
        ends = 0
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            now = self.focused()
            if now is None:
                ends += 1
                if ends == 2:
                    return stops
                continue
            assert now["visible"] and now["focusVisible"], (
                f"focus on {now['description']} is not visible "
                f"(outline {now['outline']!r}, box-shadow {now['boxShadow']!r})"
            )
            assert now["onScreen"], f"the focused {now['description']} is off screen"
            if ends == 1:
                stops.append(now)
        raise AssertionError(
            f"{limit} Tab presses did not go once round the page: the focus is trapped "
            "(stops: " + ", ".join(stop["description"] for stop in stops) + ")"
        )

    def assert_touch_targets(self, selector: str = "main") -> None:
        """Every interactive element inside `selector` is at least 44x44 CSS pixels."""
        found = self.page.evaluate(TOUCH_SCRIPT, selector)
        assert found, f"no interactive element in {selector}"
        small = [
            f"{t['description']} is {t['width']:.0f}x{t['height']:.0f}"
            for t in found
            if t["width"] < MIN_TOUCH_TARGET or t["height"] < MIN_TOUCH_TARGET
        ]
        assert not small, "touch targets smaller than 44x44 CSS pixels:\n  " + "\n  ".join(small)
