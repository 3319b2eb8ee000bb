"""What meetings add to the participants' pages and to access requests and erasure.

(The menu entries and audit labels are still registered at import time in `views.py`.)
"""

from flask import g

from .. import timeutil
from ..core.registry import PARTICIPANT_LIST, PARTICIPANT_SUMMARY, Registry


def attendance_columns(network, participants) -> dict | None:
    """Attendance in the last four weeks and the whole period, per participant in the list."""
    from .services import attendance_stats

    if network is None:
        return None
    return {"stats": attendance_stats(network.id, timeutil.local_now())}


def attendance_part(participant) -> dict | None:
    """The participant's attendance against the meetings held in their periods."""
    from .services import attendance_stats, recent_attendance

    if g.get("network") is None or participant.network_id != g.network.id:
        return None
    now = timeutil.local_now()
    return {
        "stats": attendance_stats(participant.network_id, now, participant.id).get(participant.id),
        "recent": recent_attendance(participant, now),
    }


def register(registry: Registry) -> None:
    """Register meetings' hooks."""
    from . import personal_data

    registry.personal_data(
        "meetings", export=personal_data.export_attendance, erase=personal_data.erase_attendance
    )
    registry.page_part(
        PARTICIPANT_LIST, "netvaerk/meetings/_participant_list_columns.html", attendance_columns
    )
    registry.page_part(
        PARTICIPANT_SUMMARY, "netvaerk/meetings/_participant_attendance.html", attendance_part
    )
