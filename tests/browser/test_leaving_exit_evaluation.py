"""Journey 4: a participant leaves with an outcome; the coordinator offers the exit evaluation
on the tablet, the resident answers it there, and the tablet returns to the check-in screen."""

from datetime import date

import pytest

from . import prepare

pytestmark = pytest.mark.browser


def answer_every_question(page) -> None:
    """Answer each question of the form the way a resident would: the first choice, a few words."""
    questions = page.locator("fieldset.question")
    for index in range(questions.count()):
        question = questions.nth(index)
        choices = question.locator("input[type=radio], input[type=checkbox]")
        if choices.count():
            choices.first.check()
        for text in question.locator("textarea, input[type=text]").all():
            text.fill("Det var godt at være med.")


def test_leaving_and_exit_evaluation_on_the_tablet(journey):
    page = journey.page
    me = prepare.run(journey, "leaver", journey.variant)

    journey.login("coordinator")
    journey.visit(f"/participants/{me['participant_id']}", "participant")
    # Ending the course is a step of its own: a link to a confirmation page, not a form here.
    step = page.get_by_role("region", name=journey.text("Næste skridt", "Next step"))
    with page.expect_navigation():
        step.get_by_role("link", name=journey.text("Afslut forløbet …", "End the course …")).click()
    journey.check("end-the-course")
    leaving = page.get_by_role("main")
    leaving.get_by_label(journey.text("Slutdato", "End date")).fill(date.today().isoformat())
    leaving.get_by_label(journey.text("Resultat", "Outcome")).select_option(index=1)
    outcome = (
        leaving.get_by_label(journey.text("Resultat", "Outcome"))
        .locator("option:checked")
        .inner_text()
    )
    with page.expect_navigation():
        leaving.get_by_role(
            "button", name=journey.text("Registrér at deltageren stopper", "Record leaving")
        ).click()
    journey.check("left")
    assert outcome in page.get_by_role("main").inner_text()

    offer = page.get_by_role(
        "region", name=journey.text("Tilbyd slutevalueringen", "Offer the exit evaluation")
    )
    with page.expect_navigation():
        offer.get_by_role(
            "button", name=journey.text("Åbn på tabletten", "Open on the tablet")
        ).click()
    journey.check("offered-on-tablet")
    assert page.locator(".flash--success").is_visible()
    assert prepare.run(journey, "tablet-sessions", str(me["participant_id"]))["waiting"] == 1
    journey.logout()

    # On the tablet: the form waits on the check-in screen (whether a meeting is open or not).
    journey.login("kiosk")
    waiting = page.locator(".kiosk-forms").get_by_role("link").filter(has_text=me["display_name"])
    journey.assert_touch_targets(".kiosk-forms")
    with page.expect_navigation():
        waiting.click()
    journey.check("evaluation")
    assert page.locator(".evaluation__hello").inner_text() == journey.text(
        f"Hej {me['name']}", f"Hello {me['name']}"
    )
    answer_every_question(page)
    with page.expect_navigation():
        page.get_by_role("button", name=journey.text("Send mine svar", "Send my answers")).click()
    journey.check("answered")
    assert page.url == journey.server.url + "/kiosk/"
    # Anonymous: the thanks also says the answers wait sealed until five can go together.
    assert (
        page.locator(".flash--success")
        .inner_text()
        .startswith(journey.text("Tak for dine svar!", "Thank you for your answers!"))
    )
    assert waiting.count() == 0
    assert prepare.run(journey, "tablet-sessions", str(me["participant_id"]))["waiting"] == 0
