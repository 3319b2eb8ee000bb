"""What activities add to the app: menu entries, audit labels, a new network's activity
types, and keeping activities in step with meetings and with who may run them."""

from flask_babel import lazy_gettext as _l

from ..core.registry import (
    KIOSK_CONFIRMATION,
    MEETING_MOVED,
    MEETING_TODAY,
    MEMBERSHIP_ENDED,
    Registry,
)
from . import parts, planning, signups

PLANNERS = ("coordinator", "facilitator")
AUDIT_LABELS = {
    "activity.create": _l("Planned an activity"),
    "activity.update": _l("Changed an activity"),
    "activity.cancel": _l("Cancelled an activity"),
    "activity.signup": _l("Signed up for an activity"),
    "activity.withdraw": _l("Gave up a place on an activity"),
    "activity.hours": _l("Confirmed a facilitator's hours"),
    "invitation.create": _l("Invited a facilitator"),
    "invitation.accept": _l("Accepted an invitation"),
}


def register(registry: Registry) -> None:
    """Register the activities' menu entries, audit labels, defaults and listeners."""
    from . import demo

    registry.demo_step(demo.demo_activities, 50)
    # The mail the activities write to the outbox (tasks.outbox.queue_mail).
    for kind, label, recipients in (
        ("activities.invitation", _l("Invitation"), "the person invited"),
        ("activities.late_cancellation", _l("Late cancellation"), "the network's coordinators"),
        ("activities.promoted", _l("Place from the wait list"), "the facilitator who moved up"),
    ):
        registry.message_kind(kind, label, recipients)
    registry.nav_item("netvaerk.activities.programme", _l("Programme"), PLANNERS, order=40)
    registry.nav_item(
        "netvaerk.activities.overview", _l("Slots overview"), ("coordinator",), order=41
    )
    registry.nav_item(
        "netvaerk.activities.facilitator_list", _l("Facilitators"), ("coordinator",), order=42
    )
    for action, label in AUDIT_LABELS.items():
        registry.audit_action(action, label)
    registry.on_network_created(planning.add_default_types)
    registry.home_panel(
        "netvaerk/activities/_panel_facilitator.html", PLANNERS, parts.facilitator_panel, order=40
    )
    registry.home_panel(
        "netvaerk/activities/_panel_coordinator.html",
        ("coordinator",),
        parts.coordinator_panel,
        order=41,
    )
    registry.page_part(
        KIOSK_CONFIRMATION,
        "netvaerk/activities/_kiosk_today.html",
        parts.kiosk_today,
        order=40,
        rows=parts.kiosk_today_rows,
    )
    registry.page_part(
        MEETING_TODAY, "netvaerk/activities/_meeting_today.html", parts.meeting_today, order=40
    )
    registry.on(MEETING_MOVED, planning.follow_moved_meeting)
    registry.on(MEMBERSHIP_ENDED, signups.release_places_of)
