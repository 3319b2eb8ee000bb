"""Fixtures of the browser journeys (see harness.py for how to add one).

`live_server` and `chromium` live for the whole session; `journey` gives every test a fresh
browser context at one viewport in one language, and runs it at all six combinations.
"""

import shutil
from itertools import product

import pytest

from .harness import (
    BROWSER_LOCALES,
    CHROMIUM,
    CHROMIUM_ARGS,
    LANGUAGES,
    MINOR_FINDINGS,
    SCREENSHOTS,
    VIEWPORTS,
    Journey,
    LiveServer,
    axe_source,
)

VARIANTS = list(product(VIEWPORTS, LANGUAGES))


def pytest_configure(config):
    """Start the run's screenshots afresh, once: in the main process, not in each xdist worker."""
    if not hasattr(config, "workerinput") and config.getoption("markexpr", "") == "browser":
        shutil.rmtree(SCREENSHOTS, ignore_errors=True)


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium, headless, started once per session through Playwright."""
    if not CHROMIUM.exists():
        pytest.skip(f"the browser journeys need {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def live_server(chromium):
    """The real app on a free port of 127.0.0.1 with a fresh demo database; stopped at the end."""
    server = LiveServer()
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def _axe_script() -> str:
    return axe_source()


@pytest.fixture(params=VARIANTS, ids=[f"{v}-{lang}" for v, lang in VARIANTS])
def journey(request, chromium, live_server, _axe_script):
    """A fresh browser context at one viewport and language, wrapped in a `Journey`."""
    viewport, lang = request.param
    context = chromium.new_context(
        viewport=VIEWPORTS[viewport],
        locale=BROWSER_LOCALES[lang],
        timezone_id="Europe/Copenhagen",
        has_touch=viewport != "desktop",
        is_mobile=viewport == "phone",
    )
    context.set_default_timeout(15_000)
    context.add_init_script(script=_axe_script)
    page = context.new_page()
    # Other parameters of the test (a role, ...) name the journey too: login-kiosk.
    others = [str(v) for k, v in request.node.callspec.params.items() if k != "journey"]
    name = "-".join([request.node.originalname.removeprefix("test_"), *others])
    journey = Journey(page, live_server, name, viewport, lang)
    try:
        yield journey
        outcome = getattr(request.node, "netvaerk_call_report", None)
        if outcome is not None and outcome.failed:
            journey.screenshot_failure()
        elif outcome is not None and outcome.passed:
            journey.finish()
    finally:
        context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep the outcome of the test body on the item, so `journey` knows it at teardown."""
    report = yield
    if report.when == "call":
        item.netvaerk_call_report = report
    return report


def pytest_terminal_summary(terminalreporter):
    """List the lesser axe-core findings of the run (they do not fail it, but should be fixed)."""
    if not MINOR_FINDINGS.by_rule:
        return
    terminalreporter.section("axe-core: moderate and minor findings (not blocking)")
    for rule, pages in sorted(MINOR_FINDINGS.by_rule.items()):
        terminalreporter.write_line(f"{rule}: {len(pages)} page(s), e.g. {sorted(pages)[0]}")
