"""What the wheel of life adds to the app: its menu entry, its part of the participant page,
personal data, audit labels, a new network's default areas and the demo wheels."""

from flask import g
from flask_babel import lazy_gettext as _l

from ..core.registry import PARTICIPANT_PAGE, Registry

STAFF = ("coordinator", "facilitator")


def participant_part(participant):
    """The wheel on the participant's page (their network's coordinators and facilitators)."""
    from .services import wheel_context

    if g.get("role") not in STAFF or g.network is None or participant.network_id != g.network.id:
        return None
    # The participant page records its own view ("participant.view"), which covers this part.
    return wheel_context(participant)


def register(registry: Registry) -> None:
    """Register the wheel's hooks."""
    from . import areas, demo, generated, services

    registry.nav_item("netvaerk.wheel.areas", _l("Wheel of life"), ("coordinator",), order=65)
    registry.page_part(
        PARTICIPANT_PAGE, "netvaerk/wheel/_participant_part.html", participant_part, order=55
    )
    registry.personal_data(
        "wheel", export=services.export_personal_data, erase=services.erase_personal_data
    )
    registry.audit_action("wheel.view", _l("Viewed a participant's wheel of life"))
    registry.audit_action("wheel.record", _l("Recorded a wheel of life"))
    registry.audit_action("wheel.areas", _l("Chose the areas of a participant's wheel of life"))
    registry.audit_action(
        "wheel.consent_withdrawn", _l("Recorded that a participant withdrew consent to their wheel")
    )
    registry.on_network_created(areas.add_default_areas)
    registry.demo_step(demo.demo_wheels, 61)
    registry.generate_step(generated.generate_wheels, 61)
