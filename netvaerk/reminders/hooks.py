"""What the reminders add: the daily job, the mail kinds staff can turn off, the listeners that
tell people about moved and cancelled activities, the settings page and the start-page panels."""

from __future__ import annotations

from datetime import time

from flask_babel import lazy_gettext as _l

from ..core.registry import (
    ACTIVITY_CANCELLED,
    ACTIVITY_MOVED,
    MEETING_CANCELLED,
    MEETING_MOVED,
    PARTICIPANT_PAGE,
    Registry,
)

DAILY_AT = time(10, 0)  # Copenhagen time, the day before (as Planning Center does)
FORECAST_AT = time(3, 40)


def consent_part(participant) -> dict | None:
    """The resident's consent to reminders, on their page (coordinators change it)."""
    from flask import g

    from . import residents

    if g.role != "coordinator":
        return None
    return {"participant": participant, "consent": residents.has_consent(participant)}


def register(registry: Registry) -> None:
    """Register the reminders."""
    from . import notices, panels, residents, rules, services

    registry.periodic_job("reminders.daily", services.daily_reminders, at=DAILY_AT)
    # After the retention clean-up (03:30): who it erases in the coming 14 days.
    registry.periodic_job("reminders.erasure_forecast", panels.refresh_forecast, at=FORECAST_AT)
    planners = ("facilitator", "coordinator")
    for kind, recipients, preference, roles in (
        (rules.FACILITATOR_TOMORROW, "facilitators with a place tomorrow", "on", planners),
        (rules.OPEN_SLOTS, "facilitators who asked for it", "off", ("facilitator",)),
        (rules.COORDINATOR_MORNING, "the network's coordinators", "on", ("coordinator",)),
        (rules.ACTIVITY_CANCELLED, "the facilitators with a place", "on", planners),
        (rules.ACTIVITY_MOVED, "the facilitators with a place", "on", planners),
        (rules.RESIDENT_NEXT, "residents who agreed to reminders", None, ()),
        (rules.RESIDENT_CHANGE, "residents who agreed to reminders", None, ()),
    ):
        label = services.KIND_LABELS[kind]
        registry.message_kind(kind, label, recipients, preference=preference, roles=roles)
    registry.on(ACTIVITY_CANCELLED, notices.activity_cancelled)
    registry.on(ACTIVITY_MOVED, notices.activity_moved)
    registry.on(MEETING_CANCELLED, notices.meeting_cancelled)
    registry.on(MEETING_MOVED, notices.meeting_moved)
    registry.nav_item("netvaerk.reminders.settings", _l("Reminders"), ("coordinator",), order=88)
    registry.home_panel(
        "netvaerk/reminders/_start_panel.html",
        ("admin", "coordinator"),
        panels.start_panel,
        order=5,
    )
    registry.page_part(
        PARTICIPANT_PAGE, "netvaerk/reminders/_consent_part.html", consent_part, order=90
    )
    registry.personal_data("reminders", export=residents.export, erase=residents.erase)
    registry.audit_action("reminders.settings", _l("Changed the network's reminders"))
    registry.audit_action("reminders.consent", _l("Changed a resident's consent to reminders"))
