"""Demo: close the demo network's past months so the steering account sees a report and a
trend at once, and enter a reference figure and a target beside them."""

from datetime import date

from sqlalchemy import func, select

from ..core.models import HousingArea
from ..extensions import db
from ..meetings.models import Meeting
from ..participants.models import ParticipationPeriod
from . import services
from .closing import close_month
from .models import AreaReference, PlanTarget

# Illustrative figure for the demo only, not an official statistic.
DEMO_AREA_SHARE = {"Hedemarken": 34.6, "Galgebakken": 29.1}


def close_demo_months(network, today: date) -> None:
    """Close every complete month with data (at most the last 12; at least the last 3)."""
    earliest = db.session.execute(
        select(
            func.min(ParticipationPeriod.start_date),
        ).where(ParticipationPeriod.network_id == network.id)
    ).scalar()
    first_meeting = db.session.execute(
        select(func.min(Meeting.date)).where(Meeting.network_id == network.id)
    ).scalar()
    starts = [d for d in (earliest, first_meeting) if d is not None]
    last_complete = services.add_months(today.year, today.month, -1)
    months = services.last_months(*last_complete, 12)
    if starts:
        start = min(starts)
        months = [m for m in months if m >= (start.year, start.month)] or months[-3:]
    else:
        months = months[-3:]
    closed = services.closed_months([network.id], months)
    for year, month in months:
        if (network.id, year, month) not in closed:
            close_month(network, year, month, None, today)
    _demo_references(network, today)


def _demo_references(network, today: date) -> None:
    areas = db.session.execute(
        select(HousingArea).where(HousingArea.network_id == network.id)
    ).scalars()
    for area in areas:
        if area.name not in DEMO_AREA_SHARE:
            continue
        as_of = date(today.year - 1, 12, 1)
        exists = db.session.execute(
            select(AreaReference.id).where(
                AreaReference.housing_area_id == area.id, AreaReference.as_of == as_of
            )
        ).first()
        if not exists:
            db.session.add(
                AreaReference(
                    network_id=network.id,
                    housing_area_id=area.id,
                    as_of=as_of,
                    percent=DEMO_AREA_SHARE[area.name],
                )
            )
    metric = "outcomes.work_or_education_share_cumulative"
    for year in {today.year, services.add_months(today.year, today.month, -1)[0]}:
        exists = db.session.execute(
            select(PlanTarget.id).where(
                PlanTarget.network_id == network.id,
                PlanTarget.metric == metric,
                PlanTarget.year == year,
            )
        ).first()
        if not exists:
            db.session.add(PlanTarget(network_id=network.id, metric=metric, year=year, value=40))
    db.session.flush()
