"""What the evaluations register with the app: menu, page parts, panels, personal data and
audit labels."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..core.registry import KIOSK_SCREEN, PARTICIPANT_LEFT, PARTICIPANT_PAGE, Registry

STAFF = ("coordinator", "facilitator")

AUDIT_LABELS = {
    "evaluation.link_created": _l("Made an answer link for a participant"),
    "evaluation.paper_offered": _l("Gave a participant a form on paper"),
    "evaluation.tablet_opened": _l("Opened a form on the tablet for a participant"),
    "evaluation.answer": _l("Saved a participant's named answers"),
    "evaluation.named_answer_view": _l("Viewed a participant's named answers"),
    "evaluation.free_text_view": _l("Read the free-text answers of a form"),
    "evaluation.redact": _l("Redacted a free-text answer"),
    "evaluation.exit_declined": _l("Recorded that an exit evaluation was declined"),
}


def register(registry: Registry) -> None:
    """Register the evaluations' hooks with an app's registry."""
    from . import demo, generated, parts, personal

    registry.nav_item("netvaerk.evaluations.index", _l("Evaluations"), STAFF, order=60)
    registry.personal_data(
        "evaluations", export=personal.export_personal_data, erase=personal.erase_personal_data
    )
    for action, label in AUDIT_LABELS.items():
        registry.audit_action(action, label)
    registry.page_part(
        PARTICIPANT_PAGE, "netvaerk/evaluations/_participant_part.html", parts.participant_part, 60
    )
    registry.page_part(
        PARTICIPANT_LEFT, "netvaerk/evaluations/_left_part.html", parts.left_part, 60
    )
    registry.page_part(KIOSK_SCREEN, "netvaerk/evaluations/_kiosk_part.html", parts.kiosk_part, 60)
    registry.home_panel(
        "netvaerk/evaluations/_kiosk_panel.html", ("kiosk",), parts.kiosk_panel, order=60
    )
    registry.home_panel(
        "netvaerk/evaluations/_reminder_panel.html",
        ("coordinator",),
        parts.reminder_panel,
        order=60,
    )
    registry.demo_step(demo.demo_evaluations, order=60)
    registry.generate_step(generated.generate_exit_evaluations, order=60)
