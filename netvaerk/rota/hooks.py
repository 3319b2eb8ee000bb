"""What the rota adds to the app: its menu entry, personal data, audit labels, and freeing the
chores of someone who leaves."""

from flask_babel import lazy_gettext as _l

from ..core.registry import (
    KIOSK_CONFIRMATION,
    MEETING_TODAY,
    PARTICIPANT_LEFT_EVENT,
    PARTICIPANT_PAGE,
    Registry,
)
from . import parts, services
from .parts import STAFF


def register(registry: Registry) -> None:
    """Register the rota's menu entry, personal-data hooks, audit labels and listeners."""
    from . import demo

    registry.demo_step(demo.demo_rota, 40)
    registry.nav_item("netvaerk.rota.index", _l("Rota"), STAFF, order=40)
    registry.personal_data(
        "rota", export=services.export_participant, erase=services.erase_participant
    )
    registry.audit_action("rota.change", _l("Changed a chore on the rota"))
    registry.audit_action("rota.generate", _l("Made the rota"))
    registry.on(PARTICIPANT_LEFT_EVENT, services.release_chores_of)
    registry.page_part(
        KIOSK_CONFIRMATION,
        "netvaerk/rota/_kiosk_task.html",
        parts.kiosk_task,
        rows=parts.kiosk_task_rows,
    )
    registry.page_part(MEETING_TODAY, "netvaerk/rota/_today_part.html", parts.today_rota)
    registry.page_part(
        PARTICIPANT_PAGE, "netvaerk/rota/_participant_part.html", parts.participant_chores
    )
    registry.home_panel("netvaerk/rota/_home_panel.html", STAFF, parts.rota_panel, order=40)
