"""Journeys of issue 30 on the kiosk tablet (768x1024, Chromium):

* the network drops: five taps are kept on the tablet, the page is reloaded from the service
  worker's cache, the network comes back, and the register shows exactly those five, once each;
* two tablets tap the same residents at the same moment: one check-in each;
* "Det var ikke mig" removes the check-in within 10 seconds, and is gone after them.

These use their own browser contexts (one tablet, or two), not the six-variant `journey`.
"""

import json

import pytest

from .harness import DEMO_ACCOUNTS, DEMO_PASSWORD, VIEWPORTS

pytestmark = pytest.mark.browser

# Run in the live server's environment: a meeting open now and `count` residents of their own
# ("Offline1 Tablet" ...) with no attendance at it; or the attendance rows of those residents.
SCRIPT = """
import json, sys
from datetime import date, timedelta
from sqlalchemy import delete, select
from netvaerk import create_app, timeutil
from netvaerk.core.models import Network
from netvaerk.extensions import db
from netvaerk.meetings.demo import _ensure_open_meeting
from netvaerk.meetings.models import Attendance, KioskTap
from netvaerk.participants.models import Participant, ParticipationPeriod

command, prefix, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
with create_app().app_context():
    network = db.session.execute(
        select(Network).filter_by(name="Netværket – dit jobfællesskab")
    ).scalar_one()
    meeting = _ensure_open_meeting(network, timeutil.local_now())
    people = []
    for n in range(1, count + 1):
        first = f"{prefix}{n}"
        person = db.session.execute(
            select(Participant).filter_by(network_id=network.id, first_name=first)
        ).scalar_one_or_none()
        if person is None:
            start = timeutil.local_today() - timedelta(days=30)
            person = Participant(
                network_id=network.id, first_name=first, last_name="Tablet", status="active",
                readiness_group=1, birth_year=1980,
                housing_area_id=network.housing_areas[0].id, consent_date=start,
            )
            person.periods.append(ParticipationPeriod(network_id=network.id, start_date=start))
            db.session.add(person)
            db.session.flush()
        people.append(person)
    ids = [p.id for p in people]
    if command == "fresh":
        db.session.execute(delete(Attendance).where(Attendance.participant_id.in_(ids)))
        db.session.execute(delete(KioskTap).where(KioskTap.participant_id.in_(ids)))
    rows = db.session.execute(
        select(Attendance.participant_id, Attendance.status).where(
            Attendance.participant_id.in_(ids), Attendance.meeting_id == meeting.id
        )
    ).all()
    taps = db.session.execute(
        select(KioskTap.participant_id, KioskTap.outcome).where(KioskTap.participant_id.in_(ids))
    ).all()
    db.session.commit()
    print(json.dumps({
        "ids": ids,
        "labels": [p.display_name for p in people],
        "meeting_id": meeting.id,
        "present": sorted(pid for pid, status in rows if status == "present"),
        "rows": len(rows),
        "taps": sorted([pid, outcome] for pid, outcome in taps),
    }))
"""


def residents(server, command: str, prefix: str, count: int) -> dict:
    return json.loads(
        server.run_python(SCRIPT, command, prefix, str(count)).strip().splitlines()[-1]
    )


def tablet(chromium, server, lang: str = "da"):
    """A new tablet (browser context) logged in as the demo's kiosk account, on the grid."""
    context = chromium.new_context(
        viewport=VIEWPORTS["tablet"],
        locale="da-DK" if lang == "da" else "en-GB",
        timezone_id="Europe/Copenhagen",
        has_touch=True,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(server.url + "/login")
    page.locator("#email").fill(DEMO_ACCOUNTS["kiosk"])
    page.locator("#password").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("form:has(#email) button[type=submit]").click()
    page.goto(server.url + "/kiosk/")
    return context, page, problems


def name_button(page, label: str):
    return page.locator("button.kiosk-name").filter(has=page.get_by_text(label, exact=True))


def until(page, script: str, tries: int = 150) -> None:
    """Ask the page (an async function of no arguments) until it answers true."""
    for _ in range(tries):
        if page.evaluate(script):
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"never true: {script}")


def waiting(page, count: int) -> None:
    """Until the banner counts `count` taps waiting on the tablet."""
    until(
        page,
        f"() => document.querySelector('[data-kiosk-banner]')"
        f".getAttribute('data-waiting') === '{count}'",
    )


def wait_for_service_worker(page) -> None:
    """Until the service worker controls the grid and has kept it (reloaded once online)."""
    until(
        page,
        "async () => !!((await navigator.serviceWorker.getRegistration()) || {}).active",
    )
    page.reload()  # a page loaded with the worker active is controlled by it
    until(page, "() => !!navigator.serviceWorker.controller")
    until(
        page,
        "async () => (await caches.keys()).some(n => n.indexOf('netvaerk-kiosk-') === 0)"
        " && !!(await (await caches.open((await caches.keys())[0])).match('/kiosk/'))",
    )


def test_offline_taps_are_sent_once_when_the_network_returns(chromium, live_server):
    me = residents(live_server, "fresh", "Offline", 5)
    context, page, problems = tablet(chromium, live_server)
    try:
        wait_for_service_worker(page)
        banner = page.locator("[data-kiosk-banner]")
        assert banner.is_hidden()

        context.set_offline(True)
        until(page, "() => navigator.onLine === false")
        for label in me["labels"]:
            name_button(page, label).click()
            confirmation = page.locator("[data-kiosk-inpage] h1")
            assert confirmation.inner_text() == (
                f"Tak, {label}. Dit tjek-ind er gemt på tabletten. "
                "Det bliver sendt, når der er net igen."
            )
            page.locator("[data-kiosk-inpage] [data-kiosk-back]").click()
        waiting(page, 5)
        assert "Tabletten har ikke net." in banner.inner_text()
        assert "Tjek-ind, der venter på at blive sendt: 5" in banner.inner_text()
        # Nothing reached the server while offline.
        assert residents(live_server, "count", "Offline", 5)["rows"] == 0

        # A reload while offline: the grid comes from the service worker's cache, and the taps
        # are still waiting on the tablet.
        response = page.reload()
        assert response is not None and response.from_service_worker
        assert name_button(page, me["labels"][0]).is_visible()
        waiting(page, 5)

        context.set_offline(False)
        waiting(page, 0)
        assert banner.is_hidden()
        after = residents(live_server, "count", "Offline", 5)
        assert after["present"] == sorted(me["ids"]) and after["rows"] == 5
        assert after["taps"] == sorted([pid, "counted"] for pid in me["ids"])

        # A reload online sends nothing twice: the store is empty, the register unchanged.
        page.reload()
        waiting(page, 0)
        again = residents(live_server, "count", "Offline", 5)
        assert again["rows"] == 5 and len(again["taps"]) == 5

        # The coordinator's register shows each of the five once, as present.
        staff = context.browser.new_context(viewport=VIEWPORTS["desktop"], locale="da-DK")
        register = staff.new_page()
        register.goto(live_server.url + "/login")
        register.locator("#email").fill(DEMO_ACCOUNTS["coordinator"])
        register.locator("#password").fill(DEMO_PASSWORD)
        with register.expect_navigation():
            register.locator("form:has(#email) button[type=submit]").click()
        register.goto(f"{live_server.url}/meetings/{me['meeting_id']}/register")
        for pid in me["ids"]:
            row = register.locator(f"tr#p{pid}")
            assert row.count() == 1 and row.get_attribute("class") == "is-present"
        staff.close()
        assert problems == []
    finally:
        context.close()


def test_two_tablets_tapping_the_same_residents_at_once_leave_one_check_in_each(
    chromium, live_server
):
    me = residents(live_server, "fresh", "Twin", 3)
    first, page_a, problems_a = tablet(chromium, live_server)
    second, page_b, problems_b = tablet(chromium, live_server)
    tap_all = """ids => ids.forEach(id =>
        document.querySelector(`form[data-participant="${id}"]`).requestSubmit())"""
    try:
        # Every name on both tablets, without waiting for any answer in between.
        page_a.evaluate(tap_all, me["ids"])
        page_b.evaluate(tap_all, me["ids"])
        for page in (page_a, page_b):
            page.wait_for_load_state("networkidle")
            page.wait_for_selector("[data-kiosk-inpage] .kiosk-confirmation")
        after = residents(live_server, "count", "Twin", 3)
        assert after["present"] == sorted(me["ids"]) and after["rows"] == 3
        assert problems_a == [] and problems_b == []
    finally:
        first.close()
        second.close()


def test_undo_works_within_ten_seconds_and_not_after(chromium, live_server):
    me = residents(live_server, "fresh", "Undo", 2)
    context, page, problems = tablet(chromium, live_server)
    try:
        # The page's timers run on a clock the test moves: no real waiting.
        page.clock.install()
        page.reload()
        name_button(page, me["labels"][0]).click()
        inpage = page.locator("[data-kiosk-inpage]")
        assert (
            inpage.locator("h1").inner_text()
            == f"Velkommen, {me['labels'][0].split()[0]}! Du er tjekket ind."
        )
        undo = inpage.get_by_role("button", name="Det var ikke mig")
        page.clock.run_for(5_000)
        assert undo.is_visible()
        with page.expect_navigation():
            undo.click()
        assert "Din indtjekning er fjernet." in page.locator(".flashes").inner_text()
        assert residents(live_server, "count", "Undo", 2)["rows"] == 0

        # The next resident keeps the confirmation ("More time"); after 10 seconds the button
        # is gone (and the server refuses an undo 13 seconds after the tap: tests/kiosk).
        name_button(page, me["labels"][1]).click()
        inpage.get_by_role("button", name="Mere tid").click()
        undo = inpage.get_by_role("button", name="Det var ikke mig")
        assert undo.is_visible()
        page.clock.run_for(11_000)
        assert undo.is_hidden()
        assert residents(live_server, "count", "Undo", 2)["present"] == [me["ids"][1]]
        assert problems == []
    finally:
        context.close()
