"""Generated data (`flask generate`): a wheel-of-life scoring at the start of each participation
and about every quarter while it lasts, with the resident's consent; about one resident in six
chooses their own areas (a few of the list left out, one of their own). Written in bulk,
deterministic for a seed."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, insert, select, text

from ..extensions import db
from ..participants.models import ParticipationPeriod
from .models import WheelArea, WheelConsent, WheelPersonalArea, WheelScore, WheelScoring
from .personal_areas import fold

GOALS = (
    "Et fast job i et lager",
    "Blive bedre til dansk",
    "Starte på en uddannelse som SOSU-hjælper",
    "Komme i praktik i en butik",
    "Få styr på min økonomi",
    "Et job som chauffør",
)
OWN_AREAS = ("Min økonomi", "Cykling", "Mine børn", "Troen", "Madlavning", "Fodbold")
OWN_SHARE = 1 / 6  # the share of residents who choose their own areas


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
    choices = random.Random(f"{seed}:wheel:areas")
    areas_of = _areas_of(network_ids)
    next_id = (db.session.execute(select(func.max(WheelScoring.id))).scalar() or 0) + 1
    scorings: list[dict] = []
    scores: list[dict] = []
    wheels: dict[int, list[tuple[str, int]]] = {}  # participant: (score column, id) per area
    consents: dict[int, dict] = {}
    for period in db.session.execute(
        select(ParticipationPeriod)
        .where(ParticipationPeriod.network_id.in_(network_ids))
        .order_by(ParticipationPeriod.id)
    ).scalars():
        day, last = period.start_date, min(period.end_date or end, end)
        if day > last:
            continue
        if period.participant_id not in wheels:
            wheels[period.participant_id] = _wheel(period, areas_of[period.network_id], choices)
            consents[period.participant_id] = _consent(period, day)
        areas = wheels[period.participant_id]
        values = [rng.randint(2, 7) for _ in areas]
        goal = rng.choice(GOALS)
        while day <= last:
            scorings.append(_scoring(next_id, period, day, goal))
            scores.extend(
                {"scoring_id": next_id, "area_id": None, "personal_area_id": None, column: id_}
                | {"score": value}
                for (column, id_), value in zip(areas, values, strict=True)
            )
            next_id += 1
            values = [min(10, s + rng.choice((0, 0, 1, 1, 2))) for s in values]
            day += timedelta(days=rng.randint(80, 110))
    if scorings:
        db.session.execute(insert(WheelConsent.__table__), list(consents.values()))
        db.session.execute(insert(WheelScoring.__table__), scorings)
        db.session.execute(insert(WheelScore.__table__), scores)
        _move_scoring_sequence()
    db.session.flush()
    return {
        "netvaerk_wheel_consent": len(consents),
        "netvaerk_wheel_personal_area": db.session.execute(
            select(func.count())
            .select_from(WheelPersonalArea)
            .where(WheelPersonalArea.network_id.in_(network_ids))
        ).scalar(),
        "netvaerk_wheel_scoring": len(scorings),
        "netvaerk_wheel_score": len(scores),
    }


def _wheel(period, areas: list[int], rng: random.Random) -> list[tuple[str, int]]:
    """The areas one resident scores: the network's, or (one in six) their own choice of them
    and one area of their own, stored as their personal areas."""
    if not areas or rng.random() >= OWN_SHARE:
        return [("area_id", area_id) for area_id in areas]
    left_out = set(rng.sample(areas, k=min(len(areas) - 1, rng.randint(1, 3))))
    chosen = [area_id for area_id in areas if area_id not in left_out]
    name = rng.choice(OWN_AREAS)
    rows = [
        WheelPersonalArea(
            network_id=period.network_id, participant_id=period.participant_id, area_id=area_id
        )
        for area_id in chosen
    ]
    own = WheelPersonalArea(
        network_id=period.network_id,
        participant_id=period.participant_id,
        own_name=name,
        own_key=fold(name),
        position=1,
    )
    db.session.add_all([*rows, own])
    db.session.flush()
    return [("area_id", area_id) for area_id in chosen] + [("personal_area_id", own.id)]


def _consent(period, day: date) -> dict:
    return {
        "network_id": period.network_id,
        "participant_id": period.participant_id,
        "given_on": day,
    }


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


def _move_scoring_sequence() -> None:
    """On PostgreSQL, move the scorings' id sequence past the ids written here, so that a
    scoring recorded afterwards gets a free id."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(
            text(
                "SELECT setval(pg_get_serial_sequence('netvaerk_wheel_scoring', 'id'), "
                "(SELECT COALESCE(MAX(id), 1) FROM netvaerk_wheel_scoring))"
            )
        )
