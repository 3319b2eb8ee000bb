"""What the participants capability adds to the app: its menu entry, personal data, audit
labels and demo step."""

from flask_babel import lazy_gettext as _l

from ..core.registry import Registry

# How the participants' audit events read on the audit pages and in an access request.
AUDIT_ACTIONS = (
    ("participant.view", _l("Viewed a participant")),
    ("participant.change", _l("Changed a participant")),
    ("participant.create", _l("Registered a participant")),
    ("participant.update", _l("Changed a participant's data")),
    ("participant.intake", _l("Recorded the intake conversation")),
    ("participant.active", _l("Gave a participant a place")),
    ("participant.left", _l("Recorded that a participant left")),
    ("participant.code_set", _l("Set a participant's check-in code")),
    ("participant.code_removed", _l("Removed a participant's check-in code")),
)


def register(registry: Registry) -> None:
    """Register the participants' hooks."""
    from . import demo, services

    registry.nav_item("netvaerk.participants.index", _l("Participants"), ("coordinator",), 10)
    registry.personal_data(
        "participants", export=services.export_participant, erase=services.erase_participant
    )
    for action, label in AUDIT_ACTIONS:
        registry.audit_action(action, label)
    registry.demo_step(demo.demo_participants, 20)
