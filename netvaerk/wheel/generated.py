"""Generated data (`flask generate`): a wheel-of-life scoring at the start of each participation
and about every quarter while it lasts; written in bulk, deterministic for a seed."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, insert, select

from ..extensions import db
from ..participants.models import ParticipationPeriod
from .models import WheelArea, WheelScore, WheelScoring

GOALS = (
    "Et fast job i et lager",
    "Blive bedre til dansk",
    "Starte på en uddannelse som SOSU-hjælper",
    "Komme i praktik i en butik",
    "Få styr på min økonomi",
    "Et job som chauffør",
)


def _areas_of(network_ids: list[int]) -> dict[int, list[int]]:
    areas: dict[int, list[int]] = defaultdict(list)
    for network_id, area_id in db.session.execute(
        select(WheelArea.network_id, WheelArea.id)
        .where(WheelArea.network_id.in_(network_ids), WheelArea.is_active.is_(True))
        .order_by(WheelArea.position, WheelArea.id)
    ):
        areas[network_id].append(area_id)
    return areas


def generate_wheels(network_ids: list[int], end: date, seed: int) -> dict[str, int]:
    """Scorings for every participation period of the networks; returns row counts."""
    rng = random.Random(f"{seed}:wheel")
    areas_of = _areas_of(network_ids)
    next_id = (db.session.execute(select(func.max(WheelScoring.id))).scalar() or 0) + 1
    scorings: list[dict] = []
    scores: list[dict] = []
    for period in db.session.execute(
        select(ParticipationPeriod)
        .where(ParticipationPeriod.network_id.in_(network_ids))
        .order_by(ParticipationPeriod.id)
    ).scalars():
        areas = areas_of[period.network_id]
        day, last = period.start_date, min(period.end_date or end, end)
        values = [rng.randint(2, 7) for _ in areas]
        goal = rng.choice(GOALS)
        while day <= last:
            scorings.append(_scoring(next_id, period, day, goal))
            scores.extend(
                {"scoring_id": next_id, "area_id": area_id, "score": value}
                for area_id, value in zip(areas, values, strict=True)
            )
            next_id += 1
            values = [min(10, s + rng.choice((0, 0, 1, 1, 2))) for s in values]
            day += timedelta(days=rng.randint(80, 110))
    if scorings:
        db.session.execute(insert(WheelScoring.__table__), scorings)
        db.session.execute(insert(WheelScore.__table__), scores)
    db.session.flush()
    return {"netvaerk_wheel_scoring": len(scorings), "netvaerk_wheel_score": len(scores)}


def _scoring(scoring_id: int, period, day: date, goal: str) -> dict:
    return {
        "id": scoring_id,
        "network_id": period.network_id,
        "participant_id": period.participant_id,
        "scored_on": day,
        "goal": goal,
        "plan_a": "Søge tre job om ugen",
        "plan_b": "Danskundervisning",
        "plan_c": "",
        "created_at": datetime.combine(day, time(11)),
    }
