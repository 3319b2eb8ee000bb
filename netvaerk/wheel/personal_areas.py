"""Each resident's own wheel: which areas of the network's list are on it, and areas of their
own that they name ("Antallet af dele og valget af områder er op til den enkelte", seed 001).

Like the scorings, a resident's areas are stored only with their consent to storing the wheel
(an own area may well name their health), and deleted with it. They are personal data: the
access request lists them, erasure deletes them, and the statistics never see an own area
(`services.change_per_area` counts the network's areas only).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _
from sqlalchemy.exc import IntegrityError

from ..audit.services import record_about_participant
from ..core.locks import lock_for_update
from ..extensions import db
from ..participants.models import Participant
from .areas import WheelError, all_areas
from .models import OWN_NAME_MAX, WheelArea, WheelConsent, WheelPersonalArea

# More spokes than this and the wheel cannot be read on a phone.
MAX_OWN_AREAS = 10


# --- consent -----------------------------------------------------------------------------------


def consent(participant: Participant) -> WheelConsent | None:
    """The participant's consent to storing their wheel, if given."""
    return db.session.execute(
        db.select(WheelConsent).where(WheelConsent.participant_id == participant.id)
    ).scalar_one_or_none()


def ensure_consent(
    participant: Participant, consent_now: bool, given_on: date, user_id: int | None
) -> None:
    """Nothing of the wheel is stored without the participant's consent: given before, or now
    (`consent_now`, recorded here)."""
    if consent(participant) is not None:
        return
    if not consent_now:
        raise WheelError(_("Ask the participant for their consent before the wheel is saved."))
    db.session.add(
        WheelConsent(
            network_id=participant.network_id,
            participant_id=participant.id,
            given_on=given_on,
            recorded_by_id=user_id,
        )
    )


# --- a resident's wheel ------------------------------------------------------------------------


def fold(name: str) -> str:
    """A name compared without regard to case or spacing ("Min  Økonomi" = "min økonomi")."""
    return " ".join(name.split()).casefold()


@dataclass
class PersonalWheel:
    """The network's areas and one resident's rows: the areas they chose and their own."""

    network_areas: list[WheelArea]
    rows: list[WheelPersonalArea]

    @property
    def has_choice(self) -> bool:
        """Whether the resident's areas were chosen (else the network's active areas apply)."""
        return bool(self.rows)

    @property
    def chosen_ids(self) -> set[int]:
        """Ids of the network's areas the resident chose."""
        return {row.area_id for row in self.rows if row.area_id is not None}

    @property
    def own_areas(self) -> list[WheelPersonalArea]:
        """The areas the resident named, also those taken off the wheel, in the order added."""
        return [row for row in self.rows if row.is_own]

    def current(self) -> list[WheelArea | WheelPersonalArea]:
        """The areas on the wheel now: the chosen areas of the network's list still in use (all
        of them until a choice is made), then the resident's own areas on the wheel."""
        chosen = self.chosen_ids
        network = [
            a for a in self.network_areas if a.is_active and (not self.rows or a.id in chosen)
        ]
        return network + [row for row in self.own_areas if row.in_use]

    def every_area(self) -> list[WheelArea | WheelPersonalArea]:
        """Every area a scoring of the resident can refer to, in the wheel's order."""
        return [*self.network_areas, *self.own_areas]

    def by_key(self) -> dict[str, WheelArea | WheelPersonalArea]:
        """Every such area by its key (`area_<id>`, `own_<id>`)."""
        return {area.key: area for area in self.every_area()}


def personal_wheel(participant: Participant) -> PersonalWheel:
    """The resident's wheel: the network's areas and the resident's choices (two queries)."""
    rows = (
        db.session.execute(
            db.select(WheelPersonalArea)
            .where(WheelPersonalArea.participant_id == participant.id)
            .order_by(WheelPersonalArea.position, WheelPersonalArea.id)
        )
        .scalars()
        .all()
    )
    return PersonalWheel(all_areas(participant.network_id), list(rows))


def save_wheel_areas(
    participant: Participant,
    area_ids,
    own_ids,
    new_name: str | None,
    *,
    today: date,
    user_id: int | None = None,
    consent_now: bool = False,
) -> WheelPersonalArea | None:
    """Set the areas on the resident's wheel: `area_ids` from the network's list, `own_ids` of
    their own areas kept on it, and `new_name`, an area of their own to add (optional). Audited;
    stored only with the consent to storing the wheel. Returns the own area added, if any."""
    # Two saves at once (a double click) run one after the other, each reading the wheel
    # as the other left it.
    lock_for_update(Participant, Participant.id == participant.id, column="status")
    wheel = personal_wheel(participant)
    area_ids, own_ids = set(area_ids or ()), set(own_ids or ())
    if not area_ids <= {a.id for a in wheel.network_areas if a.is_active}:
        raise WheelError(_("Choose areas from the network's list."), field="areas")
    if not own_ids <= {row.id for row in wheel.own_areas}:
        raise WheelError(_("Choose among the participant's own areas."), field="own")
    name = " ".join((new_name or "").split())
    taken_back = _check_new_name(name, wheel) if name else None
    if taken_back is not None:
        own_ids.add(taken_back.id)
    new = bool(name) and taken_back is None
    if len(own_ids) + new > MAX_OWN_AREAS:
        raise WheelError(
            _("A wheel can have at most %(n)d areas of the participant's own.", n=MAX_OWN_AREAS),
            field="new_area",
        )
    if not area_ids and not own_ids and not new:
        raise WheelError(_("Choose at least one area for the wheel."), field="areas")
    ensure_consent(participant, consent_now, today, user_id)
    _store_choice(participant, wheel, area_ids, own_ids)
    added = _add_own_area(participant, wheel, name) if new else taken_back
    record_about_participant("wheel.areas", participant, user_id=user_id)
    db.session.flush()
    return added


def _check_new_name(name: str, wheel: PersonalWheel) -> WheelPersonalArea | None:
    """Refuse a name too long or already on the wheel; an own area taken off the wheel earlier
    is returned, to be put back on it."""
    if len(name) > OWN_NAME_MAX:
        raise WheelError(
            _("The name of an area can be at most %(n)d characters.", n=OWN_NAME_MAX),
            field="new_area",
        )
    key = fold(name)
    for area in wheel.network_areas:
        if area.is_active and key in (fold(area.name_da), fold(area.name_en)):
            raise WheelError(
                _("“%(name)s” is on the network's list: tick it there instead.", name=name),
                field="new_area",
            )
    earlier = next((row for row in wheel.own_areas if row.own_key == key), None)
    if earlier is not None and earlier.in_use:
        raise WheelError(
            _("“%(name)s” is on the participant's wheel already.", name=name), field="new_area"
        )
    return earlier


def _store_choice(participant: Participant, wheel: PersonalWheel, area_ids, own_ids) -> None:
    """Keep the rows of the chosen network areas, add the new ones, put own areas on or off."""
    try:
        with db.session.begin_nested():  # two saves at once: only this change is undone
            for row in wheel.rows:
                if row.is_own:
                    row.in_use = row.id in own_ids
                elif row.area_id not in area_ids:
                    db.session.delete(row)
            for area_id in sorted(area_ids - wheel.chosen_ids):
                db.session.add(
                    WheelPersonalArea(
                        network_id=participant.network_id,
                        participant_id=participant.id,
                        area_id=area_id,
                    )
                )
    except IntegrityError as clash:
        raise WheelError(
            _("The areas were changed by someone else at the same moment. Look and try again.")
        ) from clash


def _add_own_area(participant: Participant, wheel: PersonalWheel, name: str) -> WheelPersonalArea:
    """Add an area the resident named to the end of their wheel."""
    area = WheelPersonalArea(
        network_id=participant.network_id,
        participant_id=participant.id,
        own_name=name,
        own_key=fold(name),
        position=max((row.position for row in wheel.own_areas), default=0) + 1,
    )
    try:
        with db.session.begin_nested():  # the same name twice at once: only this is undone
            db.session.add(area)
    except IntegrityError as clash:
        raise WheelError(
            _("“%(name)s” is on the participant's wheel already.", name=name), field="new_area"
        ) from clash
    return area


# --- a participant's own data -------------------------------------------------------------------


def export_areas(wheel: PersonalWheel) -> dict:
    """The resident's choice of areas and their own areas, for an access request."""
    chosen = wheel.chosen_ids
    return {
        "areas_chosen": [a.name_da for a in wheel.network_areas if a.id in chosen],
        "own_areas": [
            {"name": row.own_name, "on_the_wheel": row.in_use} for row in wheel.own_areas
        ],
    }


def erase_areas(participant: Participant) -> None:
    """Delete the resident's choice of areas and their own areas (after their scorings)."""
    db.session.execute(
        db.delete(WheelPersonalArea).where(WheelPersonalArea.participant_id == participant.id)
    )
