"""What meetings add to the app: menu entries, start-page panels, audit labels, attendance on
the participants' pages, and attendance in access requests and erasure."""

from flask import g
from flask_babel import _
from flask_babel import lazy_gettext as _l

from .. import timeutil
from ..core.registry import PARTICIPANT_LIST, PARTICIPANT_SUMMARY, Registry
from . import parts


def attendance_columns(network, participants) -> dict | None:
    """Attendance in the last four weeks and the whole period, per participant in the list:
    computed for the rows shown only."""
    from .services import attendance_stats

    if network is None:
        return None
    ids = [participant.id for participant in participants]
    # The cells' labels translated once for the whole list, not once per row.
    return {
        "stats": attendance_stats(network.id, timeutil.local_now(), ids),
        "recent_label": _("Attendance, last 4 weeks"),
        "whole_label": _("Attendance, whole period"),
    }


def attendance_part(participant) -> dict | None:
    """The participant's attendance against the meetings held in their periods (one query)."""
    from .services import participant_attendance

    if g.get("network") is None or participant.network_id != g.network.id:
        return None
    stats, recent = participant_attendance(participant, timeutil.local_now())
    return {"stats": stats, "recent": recent}


def register(registry: Registry) -> None:
    """Register meetings' hooks."""
    from . import demo, personal_data

    registry.demo_step(demo.demo_meetings, 30)
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
    registry.audit_action("attendance.undo", _l("Removed a check-in on the kiosk (wrong tap)"))
    registry.audit_action("meeting.generate", _l("Generated meetings"))
    registry.audit_action("meeting.extra", _l("Added an extra meeting"))
    registry.audit_action("meeting.move", _l("Moved a meeting"))
    registry.audit_action("meeting.cancel", _l("Cancelled a meeting"))
    registry.personal_data(
        "meetings", export=personal_data.export_attendance, erase=personal_data.erase_attendance
    )
    registry.page_part(
        PARTICIPANT_LIST, "netvaerk/meetings/_participant_list_columns.html", attendance_columns
    )
    registry.page_part(
        PARTICIPANT_SUMMARY, "netvaerk/meetings/_participant_attendance.html", attendance_part
    )
