"""Follow-up's registrations: menu, the coordinator's due panel, the participant page part,
personal data, audit labels, the participants' leaving/starting signals, demo and generate."""

from flask import g
from flask_babel import lazy_gettext as _l

from .. import timeutil
from ..core.registry import (
    PARTICIPANT_LEFT_EVENT,
    PARTICIPANT_PAGE,
    PARTICIPANT_STARTED_EVENT,
    Registry,
)


def due_panel() -> dict:
    """Conversations and status checks due within a week; overdue ones are marked."""
    from . import checks, conversations

    today = timeutil.local_today()
    return {
        "conversations": conversations.due_conversations(g.network.id, today),
        "checks": checks.due_checks(g.network.id, today),
        "today": today,
    }


def participant_part(participant) -> dict | None:
    """The next conversation, open commitments and status checks on the participant's page."""
    from . import checks, conversations

    if g.get("role") not in ("coordinator", "facilitator") or g.network is None:
        return None
    if participant.network_id != g.network.id:
        return None
    from flask_login import current_user

    from .followers import may_follow

    user_id = getattr(current_user, "id", None)  # None: nobody signed in (no page shows this)
    if user_id is None or not may_follow(participant.id, user_id, g.role):
        return None  # need to know: only the facilitators named to follow the resident
    today = timeutil.local_today()
    return {
        "participant": participant,
        "next_due": conversations.next_due(participant, today),
        "open_commitments": [c for c in conversations.commitments_of(participant.id) if not c.done],
        "checks": checks.checks_of(participant.id) if g.role == "coordinator" else [],
        "effective_status": lambda check: checks.effective_status(check, today),
        "today": today,
    }


def register(registry: Registry) -> None:
    """Add follow-up to the app's registry."""
    from . import checks, demo, figures, personal_data

    registry.nav_item(
        "netvaerk.followup.index", _l("Follow-up"), ("coordinator", "facilitator"), order=25
    )
    registry.home_panel("netvaerk/followup/_home_panel.html", ("coordinator",), due_panel, order=15)
    registry.page_part(
        PARTICIPANT_PAGE, "netvaerk/followup/_participant_part.html", participant_part, order=50
    )
    registry.personal_data(
        "followup", export=personal_data.export_followup, erase=personal_data.erase_followup
    )
    registry.on(PARTICIPANT_LEFT_EVENT, checks.on_participant_left)
    registry.on(PARTICIPANT_STARTED_EVENT, checks.on_participant_started)
    registry.retention_hold(checks.retention_anchors)
    registry.report_figure("followup.settled_checks", figures.settled_checks)
    for action, label in (
        ("followup.conversation", _l("Logged a follow-up conversation")),
        ("followup.commitment", _l("Marked a commitment")),
        ("followup.option", _l("Changed the list of options")),
        ("followup.check", _l("Recorded the status after leaving")),
        ("followup.settings", _l("Changed the follow-up settings")),
        ("followup.follower", _l("Changed who follows a resident")),
    ):
        registry.audit_action(action, label)
    registry.demo_step(demo.demo_followup, order=70)
    registry.generate_step(demo.generate_followup, order=70)
