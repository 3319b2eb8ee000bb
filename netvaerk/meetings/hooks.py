"""What meetings add to the app: menu entries and the labels of its audit actions."""

from flask_babel import lazy_gettext as _l

from ..core.registry import Registry
from . import parts


def register(registry: Registry) -> None:
    """Register the meetings' menu entries and audit labels."""
    registry.nav_item(
        "netvaerk.meetings.today", _l("Today's meeting"), ("coordinator", "facilitator"), order=5
    )
    registry.nav_item("netvaerk.meetings.index", _l("Meetings"), ("coordinator",), order=20)
    registry.home_panel(
        "netvaerk/meetings/_glance_panel.html", ("coordinator",), parts.glance_panel, order=10
    )
    registry.home_panel(
        "netvaerk/meetings/_today_panel.html", ("facilitator",), parts.today_panel, order=10
    )
    registry.audit_action("attendance.update", _l("Recorded attendance"))
    registry.audit_action("attendance.correct", _l("Corrected attendance afterwards"))
    registry.audit_action("meeting.generate", _l("Generated meetings"))
    registry.audit_action("meeting.extra", _l("Added an extra meeting"))
    registry.audit_action("meeting.move", _l("Moved a meeting"))
    registry.audit_action("meeting.cancel", _l("Cancelled a meeting"))
