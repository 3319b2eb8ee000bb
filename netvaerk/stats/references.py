"""The figures the steering group compares the month against: the housing areas' official
shares of 18-64-year-olds outside work and education, and the plan's targets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, literal, null, select, union_all
from sqlalchemy.exc import IntegrityError

from ..core.errors import UserError
from ..core.locks import lock_or_vanished
from ..core.models import HousingArea, Network, User
from ..extensions import db
from .models import AreaReference, PlanTarget
from .services import month_bounds


@dataclass(frozen=True)
class AreaShare:
    """A housing area's latest published share of 18–64-year-olds outside work and education."""

    area: str
    as_of: date
    percent: float


@dataclass(frozen=True)
class Target:
    """The plan's target for a figure (by id) in the report's year."""

    metric: str
    value: float


@dataclass
class References:
    """The figures the steering group compares the month against."""

    areas: list[AreaShare]
    targets: list[Target]


def references_for(networks: Sequence[Network], year: int, month: int) -> References:
    """The latest published share per housing area up to the month, and the year's targets
    (of a one-network report), in one query."""
    ids = [n.id for n in networks]
    last = month_bounds(year, month)[1]
    query = (
        select(
            literal("area", String).label("kind"),
            AreaReference.housing_area_id.label("area_id"),
            HousingArea.name.label("name"),
            AreaReference.as_of.label("as_of"),
            AreaReference.percent.label("value"),
        )
        .join(HousingArea, HousingArea.id == AreaReference.housing_area_id)
        .where(AreaReference.network_id.in_(ids), AreaReference.as_of <= last)
    )
    if len(ids) == 1:
        query = union_all(
            query,
            select(
                literal("target", String),
                null(),
                PlanTarget.metric,
                null(),
                PlanTarget.value,
            ).where(PlanTarget.network_id == ids[0], PlanTarget.year == year),
        )
    both = query.subquery()
    rows = db.session.execute(
        select(both).order_by(both.c.kind, both.c.name, both.c.as_of.desc())
    ).all()
    latest: dict[int, AreaShare] = {}
    targets = []
    for kind, area_id, name, as_of, value in rows:
        if kind == "target":
            targets.append(Target(name, float(value)))
        elif area_id not in latest:
            latest[area_id] = AreaShare(name, as_of, float(value))
    return References(list(latest.values()), targets)


def save_area_reference(
    network: Network, housing_area_id: int, year: int, percent: float, user: User | None
) -> AreaReference:
    """Enter (or correct) the area's official share counted on 1 December of `year`."""
    area = db.session.get(HousingArea, housing_area_id)
    if area is None or area.network_id != network.id:
        raise UserError(_l("Please choose one of the network's housing areas."), "housing_area")
    as_of = date(year, 12, 1)

    def find():
        return db.session.execute(
            select(AreaReference).where(
                AreaReference.housing_area_id == area.id, AreaReference.as_of == as_of
            )
        ).scalar_one_or_none()

    def new():
        return AreaReference(network_id=network.id, housing_area_id=area.id, as_of=as_of)

    def fill(row):
        row.percent = percent
        row.entered_by_id = user.id if user else None

    return _find_or_add(find, new, fill)


def save_target(
    network: Network, metric: str, year: int, value: float, user: User | None
) -> PlanTarget:
    """Enter (or correct) the plan's target for a figure in a year."""

    def find():
        return db.session.execute(
            select(PlanTarget).where(
                PlanTarget.network_id == network.id,
                PlanTarget.metric == metric,
                PlanTarget.year == year,
            )
        ).scalar_one_or_none()

    def fill(row):
        row.value = value
        row.entered_by_id = user.id if user else None

    new = lambda: PlanTarget(network_id=network.id, metric=metric, year=year)  # noqa: E731
    return _find_or_add(find, new, fill)


def _find_or_add(find, new, fill):
    """Fill the existing row, or a new one added in a savepoint; when someone added the same
    row at the same moment, theirs. Flushes."""
    row = find()
    if row is None:
        row = new()
        fill(row)
        try:
            with db.session.begin_nested():
                db.session.add(row)
            return row
        except IntegrityError:
            row = find()
    fill(row)
    db.session.flush()
    return row


def delete_reference(row) -> None:
    """Remove a reference figure (flushes)."""
    lock_or_vanished(row, "network_id")
    db.session.delete(row)
    db.session.flush()


def network_areas(network: Network) -> list[HousingArea]:
    """The network's housing areas by name (the choices of the area share form)."""
    return db.session.scalars(
        select(HousingArea).where(HousingArea.network_id == network.id).order_by(HousingArea.name)
    ).all()
