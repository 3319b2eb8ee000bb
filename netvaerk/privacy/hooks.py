"""What privacy adds to the app: its part of the participant page and its audit labels."""

from flask import g
from flask_babel import lazy_gettext as _l

from ..core.registry import PARTICIPANT_PAGE, Registry


def participant_part(participant) -> dict | None:
    """Links to the export and to erasure on a participant's page, for coordinators."""
    return {"participant": participant} if g.get("role") == "coordinator" else None


def register(registry: Registry) -> None:
    """Register privacy's hooks."""
    registry.page_part(
        PARTICIPANT_PAGE, "netvaerk/privacy/_participant_part.html", participant_part, order=90
    )
    registry.audit_action("participant.export", _l("Exported a participant's data"))
    registry.audit_action("participant.erase", _l("Erased a participant"))
