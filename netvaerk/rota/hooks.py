"""What the rota adds to the app: its menu entry, personal data, audit labels, and freeing the
chores of someone who leaves."""

from flask_babel import lazy_gettext as _l

from ..core.registry import PARTICIPANT_LEFT_EVENT, Registry
from . import services

STAFF = ("coordinator", "facilitator")


def register(registry: Registry) -> None:
    """Register the rota's menu entry, personal-data hooks, audit labels and listeners."""
    registry.nav_item("netvaerk.rota.index", _l("Rota"), STAFF, order=40)
    registry.personal_data(
        "rota", export=services.export_participant, erase=services.erase_participant
    )
    registry.audit_action("rota.change", _l("Changed a chore on the rota"))
    registry.audit_action("rota.generate", _l("Made the rota"))
    registry.on(PARTICIPANT_LEFT_EVENT, services.release_chores_of)
