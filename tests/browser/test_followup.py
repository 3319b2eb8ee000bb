"""Journey: a coordinator logs a follow-up conversation with a commitment, and later records
the status three months after someone left into a job."""

from datetime import date, timedelta

import pytest

from . import prepare

pytestmark = pytest.mark.browser


def test_conversation_with_a_commitment_and_a_3_month_status(journey):
    page = journey.page
    me = prepare.run(journey, "followup", journey.variant)
    journey.login("coordinator")

    journey.visit(f"/followup/participants/{me['participant_id']}", "followup-person")
    with page.expect_navigation():
        page.get_by_role(
            "link", name=journey.text("Registrér en samtale", "Log a conversation")
        ).click()
    journey.check("conversation-form")
    commitment = f"Sende tre ansøgninger ({journey.variant})"
    page.get_by_label(journey.text("Hvem deltog", "Who was there")).fill("Borger og koordinator")
    page.get_by_label(journey.text("Hvad blev aftalt", "What was agreed")).fill("Søge lagerjob")
    page.get_by_label(journey.text("Aftale 1", "Commitment 1")).fill(commitment)
    due = (date.today() + timedelta(days=7)).isoformat()
    page.get_by_label(journey.text("Frist 1", "Due date 1")).fill(due)
    with page.expect_navigation():
        page.get_by_role(
            "button", name=journey.text("Gem samtalen", "Save the conversation")
        ).click()
    journey.check("conversation-saved")
    assert page.locator(".flash--success").is_visible()
    assert commitment in page.get_by_role("main").inner_text()

    journey.visit("/followup/", "due-list")
    row = (
        page.get_by_role("row")
        .filter(has_text=me["leaver_name"])
        .filter(has_text=journey.text("3 måneder efter stop", "3 months after leaving"))
    )
    with page.expect_navigation():
        row.get_by_role("link", name=journey.text("Registrér status", "Record the status")).click()
    journey.check("check-form")
    page.get_by_label("Status").select_option("same_job")
    with page.expect_navigation():
        page.get_by_role("button", name=journey.text("Gem status", "Save the status")).click()
    journey.check("status-saved")
    assert page.locator(".flash--success").is_visible()
    assert journey.text("Samme job", "Same job") in page.get_by_role("main").inner_text()
