"""What the privacy capability registers: its part of a participant's page, its menu entry, its
audit labels and the nightly retention clean-up."""

from __future__ import annotations

from datetime import time

from flask import g
from flask_babel import lazy_gettext as _l

from ..core.registry import PARTICIPANT_PAGE, Registry


def participant_part(participant) -> dict | None:
    """Links to the export and to erasure on a participant's page, for coordinators."""
    return {"participant": participant} if g.get("role") == "coordinator" else None


def register(registry: Registry) -> None:
    """Register the privacy hooks with an app's registry."""
    registry.page_part(
        PARTICIPANT_PAGE, "netvaerk/privacy/_participant_part.html", participant_part, order=90
    )
    registry.nav_item("netvaerk.privacy.retention_page", _l("Data retention"), ("coordinator",), 95)
    from .retention import nightly_purge

    # Nightly, after the day's work and outside the hour summer time skips (02:00-03:00).
    registry.periodic_job("privacy.purge", nightly_purge, at=time(3, 30))
    registry.audit_action("privacy.purge", _l("Retention clean-up"))
    registry.audit_action("privacy.retention_changed", _l("Changed the retention period"))
    registry.audit_action("participant.export", _l("Exported a participant's data"))
    registry.audit_action("participant.erase", _l("Erased a participant"))
