"""Journey 2: a coordinator registers a new resident after an intake conversation, gives them a
place, generates next month's meetings and makes the rota for that month."""

from datetime import date, timedelta

import pytest

pytestmark = pytest.mark.browser


def next_month(today: date) -> tuple[date, date]:
    """The first and last day of the month after `today`."""
    first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return first, last


def test_register_generate_meetings_and_rota(journey):
    page = journey.page
    last_name = f"Intake-{journey.variant}"
    journey.login("coordinator")

    # Register the resident, with the intake conversation held today.
    link = journey.menu_link("/participants/")
    assert link.inner_text() == journey.text("Deltagere", "Participants")
    with page.expect_navigation():
        link.click()
    journey.check("participants")
    with page.expect_navigation():
        page.get_by_role(
            "link", name=journey.text("Opret en deltager", "Register a resident")
        ).click()
    journey.check("register-form")
    page.get_by_label(journey.text("Fornavn", "First name")).fill("Yasmin")
    page.get_by_label(journey.text("Efternavn", "Last name")).fill(last_name)
    page.get_by_label(journey.text("Boligområde", "Housing area")).select_option(index=1)
    page.get_by_label(journey.text("Fødselsår", "Birth year")).fill("1991")
    today = date.today().isoformat()
    page.get_by_label(
        journey.text("Dato for indslusningssamtalen", "Date of the intake conversation")
    ).fill(today)
    page.get_by_label(
        journey.text("Notat fra indslusningssamtalen", "Note from the intake conversation")
    ).fill("Vil gerne i praktik i et køkken.")
    with page.expect_navigation():
        page.get_by_role(
            "button", name=journey.text("Opret deltageren", "Register the resident")
        ).click()
    journey.check("registered")
    assert page.get_by_role("heading", level=1).inner_text() == f"Yasmin {last_name}"
    assert page.locator(".flash--success").is_visible()

    # Give a place; the group may be full, which the coordinator is told and may accept.
    with page.expect_navigation():
        page.get_by_role(
            "button", name=journey.text("Start i Netværket", "Start in the network")
        ).click()
    journey.check("started")
    anyway = page.get_by_role(
        "button", name=journey.text("Giv en plads alligevel", "Give a place anyway")
    )
    if anyway.count():
        assert page.locator(".warning-box[role=alert]").is_visible()
        with page.expect_navigation():
            anyway.click()
        journey.check("started-over-capacity")
    assert page.locator(".badge--active").is_visible()

    # Next month's meetings.
    first, last = next_month(date.today())
    journey.visit("/meetings/", "meetings")
    generate = page.get_by_role("region", name=journey.text("Opret møder", "Generate meetings"))
    generate.get_by_label(journey.text("Fra", "From")).fill(first.isoformat())
    generate.get_by_label(journey.text("Til", "To")).fill(last.isoformat())
    with page.expect_navigation():
        generate.get_by_role(
            "button", name=journey.text("Opret møder", "Generate"), exact=True
        ).click()
    journey.check("meetings-generated")
    assert (
        page.locator(".flash--success")
        .inner_text()
        .startswith(journey.text("Møder oprettet:", "Meetings created:"))
    )

    # And the rota for the same month.
    journey.visit("/rota/generate", "rota-form")
    page.get_by_label(journey.text("Fra", "From")).fill(first.isoformat())
    page.get_by_label(journey.text("Til", "To")).fill(last.isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name=journey.text("Lav rotaen", "Make the rota")).click()
    journey.check("rota-made")
    assert (
        page.locator(".flash--success")
        .inner_text()
        .startswith(journey.text("Rotaen er klar", "The rota is ready"))
    )
    assert page.locator("table").first.is_visible()
