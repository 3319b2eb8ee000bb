"""The network's list of wheel-of-life areas (the seed's defaults, added, renamed, retired,
moved), and the wheel's user error."""

from __future__ import annotations

from flask_babel import lazy_gettext as _
from sqlalchemy.exc import IntegrityError

from ..core.errors import UserError
from ..core.ordering import move_one_place
from ..extensions import db
from .models import WheelArea

# The areas named in the network's own description of the method (Danish, English).
DEFAULT_AREAS = (
    ("Arbejdserfaring", "Work experience"),
    ("Opvækst", "Upbringing"),
    ("Familie", "Family"),
    ("Skole og uddannelse", "School and education"),
    ("Kultur", "Culture"),
    ("Sprog", "Language"),
    ("Sundhed", "Health"),
    ("Vaner", "Habits"),
    ("Hobbyer", "Hobbies"),
    ("Netværk", "Network"),
)


class WheelError(UserError):
    """A rule of the wheel was broken; the message is a translated sentence for the user."""


def add_default_areas(network) -> None:
    """Give a new network the wheel's default areas (from the seed)."""
    for position, (name_da, name_en) in enumerate(DEFAULT_AREAS, start=1):
        db.session.add(
            WheelArea(network_id=network.id, name_da=name_da, name_en=name_en, position=position)
        )


def all_areas(network_id: int) -> list[WheelArea]:
    """Every area of the network (also those no longer used), in order."""
    return list(
        db.session.execute(
            db.select(WheelArea)
            .where(WheelArea.network_id == network_id)
            .order_by(WheelArea.position, WheelArea.id)
        )
        .scalars()
        .all()
    )


def active_areas(network_id: int) -> list[WheelArea]:
    """The areas of the network's list scored from now on (each resident's wheel is chosen
    from them; see `personal_areas`)."""
    return [a for a in all_areas(network_id) if a.is_active]


def save_area(network_id: int, name_da: str, name_en: str, area: WheelArea | None = None):
    """Add an area at the end of the wheel, or rename one."""
    position = max((a.position for a in all_areas(network_id)), default=0) + 1
    try:
        with db.session.begin_nested():  # a clash undoes only this change
            if area is None:
                area = WheelArea(network_id=network_id, position=position)
                db.session.add(area)
            area.name_da = name_da.strip()
            area.name_en = name_en.strip()
    except IntegrityError as clash:
        raise WheelError(
            _("The wheel has an area with that Danish name already."), field="name_da"
        ) from clash
    return area


def set_area_active(area: WheelArea, active: bool) -> None:
    """Stop scoring an area (earlier scores are kept) or take it back into use."""
    area.is_active = active
    db.session.flush()


def move_area(area: WheelArea, step: int) -> None:
    """Move an area one place earlier (-1) or later (+1) on the wheel."""
    ordered = all_areas(area.network_id)
    move_one_place(ordered, ordered.index(area), step)
    db.session.flush()
