"""Access matrix entries of evaluations: forms, answering (tablet, link, paper), results.

See tests/security/harness.py for the format. Coordinators define forms and read free-text
answers; facilitators offer forms, type in paper answers and see the counted results; the
kiosk may only show a form waiting on the tablet; the steering group gets the exit evaluation
only as figures in the monthly report, never a form's answers.

The one-time answer link is a secret-token link: the token is the only key, so it opens for
anyone holding it (anonymous or logged in to any network). The form behind it is created here
without the network's markers (the leak check would otherwise flag the link's own network as
"foreign" when another network's coordinator tries it); `test_security.py` checks unknown,
used and expired tokens.
"""

from datetime import timedelta

from netvaerk import timeutil
from netvaerk.evaluations import answers, delivery
from netvaerk.extensions import db
from netvaerk.timeutil import utcnow

from ..factories import make_participant
from ..security.harness import DONE, FORBIDDEN, OK, XSS, allow, everyone
from .helpers import answer_data, make_form, save_answer

STAFF = ("coordinator", "facilitator")

ACCESS = {
    "netvaerk.evaluations.index": allow(*STAFF),
    # Facilitators see a form's questions; saving its details is the coordinator's (403).
    "netvaerk.evaluations.edit_form": allow(*STAFF),
    "netvaerk.evaluations.preview": allow(*STAFF),
    "netvaerk.evaluations.paper": allow(*STAFF),
    "netvaerk.evaluations.results": allow(*STAFF),
    "netvaerk.evaluations.submission": allow(*STAFF),
    "netvaerk.evaluations.offer": allow(*STAFF, answer=DONE),
    "netvaerk.evaluations.cancel_tablet": allow(*STAFF, answer=DONE),
    "netvaerk.evaluations.new_form": allow("coordinator"),
    "netvaerk.evaluations.new_question": allow("coordinator"),
    "netvaerk.evaluations.edit_question": allow("coordinator"),
    "netvaerk.evaluations.redact": allow("coordinator"),
    "netvaerk.evaluations.toggle_active": allow("coordinator", answer=DONE),
    "netvaerk.evaluations.delete_question": allow("coordinator", answer=DONE),
    "netvaerk.evaluations.move_question": allow("coordinator", answer=DONE),
    "netvaerk.evaluations.mark_declined": allow("coordinator", answer=DONE),
    # The tablet shows the waiting form; staff may open it there too.
    "netvaerk.evaluations.answer_on_tablet": allow("kiosk", *STAFF),
    # A token link works for whoever holds it; the kiosk stays confined to its screen.
    "netvaerk.evaluations.answer_by_link": everyone(OK, kiosk=FORBIDDEN),
}

URL_ARGS = {
    "netvaerk.evaluations.edit_form": lambda net: {"form_id": net.exit_form.id},
    "netvaerk.evaluations.preview": lambda net: {"form_id": net.exit_form.id},
    "netvaerk.evaluations.paper": lambda net: {"form_id": net.exit_form.id},
    "netvaerk.evaluations.results": lambda net: {"form_id": net.exit_form.id},
    "netvaerk.evaluations.toggle_active": lambda net: {"form_id": net.exit_form.id},
    "netvaerk.evaluations.new_question": lambda net: {"form_id": net.exit_form.id},
    "netvaerk.evaluations.edit_question": lambda net: {
        "form_id": net.exit_form.id,
        "question_id": net.exit_question.id,
    },
    "netvaerk.evaluations.delete_question": lambda net: {
        "form_id": net.exit_form.id,
        "question_id": net.exit_question.id,
    },
    "netvaerk.evaluations.move_question": lambda net: {
        "form_id": net.exit_form.id,
        "question_id": net.exit_question.id,
    },
    "netvaerk.evaluations.submission": lambda net: {"submission_id": net.named_submission.id},
    "netvaerk.evaluations.redact": lambda net: {"answer_id": net.free_text_item.id},
    "netvaerk.evaluations.cancel_tablet": lambda net: {"session_id": net.tablet_session.id},
    "netvaerk.evaluations.answer_on_tablet": lambda net: {"session_id": net.tablet_session.id},
    "netvaerk.evaluations.mark_declined": lambda net: {"period_id": net.exit_period.id},
    "netvaerk.evaluations.answer_by_link": lambda net: {"token": net.answer_token},
}

POST_DATA = {
    "netvaerk.evaluations.offer": lambda net: {
        "participant_id": net.eval_participant.id,
        "form_id": net.exit_form.id,
        "tablet": "1",
    },
    "netvaerk.evaluations.move_question": lambda net: {"direction": "down"},
}

# Another network's token is still the key to its link (404 is only for unknown tokens).
FOREIGN_ACCESS = {
    "netvaerk.evaluations.answer_by_link": {
        "facilitator": OK,
        "coordinator": OK,
        "steering": OK,
        "other_coordinator": OK,
    },
}

# Pages that answer a valid form with 200 (a thank-you page) rather than a redirect.
FUZZ = {
    "netvaerk.evaluations.answer_by_link": {"success": (200,)},
    "netvaerk.evaluations.offer": {"success": (200, 302, 303)},
}


def _answered(form, text: str, participant=None):
    """Save an answer to every question of `form` (free text `text`)."""
    version = form.current_version
    raw = {
        key: value if isinstance(value, list) else [value]
        for key, value in answer_data(form, text=text).items()
    }
    given, errors = answers.validate_answers(version.questions, raw)
    assert not errors, errors
    return save_answer(version, given, participant=participant)


def populate(net):
    """A named exit form with a named and an anonymous answer, a form waiting on the tablet,
    a one-time link to an anonymous form, and someone who left without answering."""
    network = net.network
    net.eval_participant = make_participant(
        network, first_name=f"{net.person_marker} Svar {XSS}", last_name=f"{net.marker} Berg"
    )
    left = make_participant(
        network,
        first_name=f"{net.person_marker} Stoppet {XSS}",
        last_name=f"{net.marker} Holm",
        status="left",
        start=timeutil.local_today() - timedelta(days=120),
    )
    net.exit_period = left.periods[0]
    net.exit_period.end_date = timeutil.local_today() - timedelta(days=5)
    net.exit_period.outcome = "ordinary_job"
    net.exit_form = make_form(
        network, purpose="exit", is_named=True, title=f"Slutevaluering {net.marker} {XSS}"
    )
    net.exit_question = net.exit_form.current_version.questions[0]
    net.named_submission = _answered(
        net.exit_form, f"Mere kaffe {net.person_marker} {XSS}", participant=net.eval_participant
    )
    anonymous = _answered(net.exit_form, f"Flere oplæg {net.marker} {XSS}")
    net.free_text_item = next(item for item in anonymous.items if item.text)
    net.tablet_session = delivery.open_on_tablet(
        net.exit_form, net.eval_participant, net.users["facilitator"].id, utcnow()
    )
    db.session.commit()
    # Shown through the token link: no marker (see the docstring).
    link_form = make_form(network, purpose="activity", title=f"Feedback {XSS}")
    _link, net.answer_token = delivery.create_answer_link(
        link_form, net.eval_participant, net.users["facilitator"].id, 72, utcnow()
    )
    db.session.commit()
