"""Rules of the wheel of life: scorings, change since intake, the radar chart, the steering
group's change per area; the network's areas are in `areas`, each resident's in
`personal_areas`."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _
from sqlalchemy import and_, func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, joinedload

from ..audit.services import record_about_participant
from ..core.locks import lock_for_update
from ..core.statements import built_once, day, ids
from ..extensions import db
from ..labels import language
from ..participants.models import Participant
from .areas import (
    DEFAULT_AREAS,
    WheelError,
    active_areas,
    add_default_areas,
    all_areas,
    move_area,
    save_area,
    set_area_active,
)
from .models import SCORE_MAX, SCORE_MIN, WheelArea, WheelConsent, WheelScore, WheelScoring
from .personal_areas import (
    consent,
    ensure_consent,
    erase_areas,
    export_areas,
    personal_wheel,
    save_wheel_areas,
)

# The steering group sees an area's average change only when this many people have two scorings.
MIN_PEOPLE = 5

# The network's areas and the resident's own are in modules of their own; these names are the
# wheel's service API as before.
__all__ = [
    "DEFAULT_AREAS",
    "MIN_PEOPLE",
    "WheelError",
    "active_areas",
    "add_default_areas",
    "all_areas",
    "average_change_per_area",
    "change_per_area",
    "comparison",
    "consent",
    "display_locale",
    "erase_personal_data",
    "export_personal_data",
    "move_area",
    "personal_wheel",
    "radar_geometry",
    "record_scoring",
    "record_view",
    "save_area",
    "save_wheel_areas",
    "scorings",
    "set_area_active",
    "wheel_context",
    "withdraw_consent",
]


# --- scorings ----------------------------------------------------------------------------------


def scorings(participant: Participant) -> list[WheelScoring]:
    """The participant's scorings, oldest (the intake) first."""
    return list(
        db.session.execute(
            db.select(WheelScoring)
            .where(WheelScoring.participant_id == participant.id)
            .order_by(WheelScoring.scored_on, WheelScoring.id)
            .options(joinedload(WheelScoring.scores))
        )
        .unique()
        .scalars()
        .all()
    )


def record_view(participant: Participant) -> None:
    """Note in the audit trail that a member of staff looked at the participant's wheel."""
    record_about_participant("wheel.view", participant)


def record_scoring(
    participant: Participant,
    scored_on: date,
    scores: dict[int, int],
    *,
    today: date,
    own_scores: dict[int, int] | None = None,
    goal: str = "",
    plan_a: str = "",
    plan_b: str = "",
    plan_c: str = "",
    user_id: int | None = None,
    consent_now: bool = False,
) -> WheelScoring:
    """Save one filling-in of the wheel, audited: scores 0-10 for the areas on the resident's
    wheel, `scores` by network area id and `own_scores` by own area id. Nothing is stored
    without the participant's consent: given before, or now (`consent_now`)."""
    if scored_on > today:
        raise WheelError(_("The date cannot be in the future."), field="scored_on")
    ensure_consent(participant, consent_now, scored_on, user_id)
    own_scores = own_scores or {}
    on_the_wheel = {area.key for area in personal_wheel(participant).current()}
    keys = [f"area_{a}" for a in scores] + [f"own_{a}" for a in own_scores]
    if not keys or any(key not in on_the_wheel for key in keys):
        raise WheelError(_("Give a score for the areas of the wheel."))
    if any(not SCORE_MIN <= s <= SCORE_MAX for s in [*scores.values(), *own_scores.values()]):
        raise WheelError(_("Scores go from 0 to 10."))
    scoring = WheelScoring(
        network_id=participant.network_id,
        participant_id=participant.id,
        scored_on=scored_on,
        goal=goal.strip(),
        plan_a=plan_a.strip(),
        plan_b=plan_b.strip(),
        plan_c=plan_c.strip(),
        recorded_by_id=user_id,
    )
    scoring.scores = [WheelScore(area_id=a, score=s) for a, s in scores.items()] + [
        WheelScore(personal_area_id=a, score=s) for a, s in own_scores.items()
    ]
    try:
        with db.session.begin_nested():  # a clash undoes only this scoring
            db.session.add(scoring)
    except IntegrityError as clash:
        raise WheelError(
            _("The wheel was already filled in on that day. Choose another date."),
            field="scored_on",
        ) from clash
    record_about_participant("wheel.record", participant, user_id=user_id)
    return scoring


@dataclass
class AreaChange:
    """One area's score at intake and at the latest scoring (a `WheelArea` of the network's
    list or a `WheelPersonalArea` of the resident's own: both have `name(locale)` and `key`)."""

    area: object
    intake: int | None
    latest: int | None

    @property
    def change(self) -> int | None:
        """Latest minus intake, when both exist."""
        if self.intake is None or self.latest is None:
            return None
        return self.latest - self.intake


def comparison(participant: Participant) -> dict:
    """Intake against the latest scoring, area by area: the areas on the resident's wheel now,
    and those the two scorings were scored on (an area since taken off keeps its scores)."""
    history = scorings(participant)
    wheel = personal_wheel(participant)
    intake = history[0] if history else None
    latest = history[-1] if len(history) > 1 else None
    intake_scores = intake.score_by_key() if intake else {}
    latest_scores = latest.score_by_key() if latest else {}
    shown = {area.key for area in wheel.current()} | set(intake_scores) | set(latest_scores)
    areas = [area for area in wheel.every_area() if area.key in shown]
    rows = [AreaChange(a, intake_scores.get(a.key), latest_scores.get(a.key)) for a in areas]
    # Every scoring as it was scored, area by area, in the wheel's order.
    order = [area.key for area in wheel.every_area()]
    by_key = wheel.by_key()
    scored = []
    for s in history:
        given = s.score_by_key()
        scored.append((s, [(by_key[k], given[k]) for k in order if k in given]))
    return {
        "history": history,
        "intake": intake,
        "latest": latest,
        "rows": rows,
        "areas_now": wheel.current(),
        "has_choice": wheel.has_choice,
        "scored": scored,
    }


def _recent_spans():
    """Per person whose latest scoring up to `end` falls on or after `start`, with two
    scorings or more: the first and the latest day.

    Only people scored in [start, end] can have their latest scoring there, and their latest
    scoring up to `end` is their latest in it: they are found through the network's index on
    the day, and only their own history is looked up (by person and day), not every year of
    every person's scorings."""
    recent, history = aliased(WheelScoring), aliased(WheelScoring)
    own_history = and_(
        history.participant_id == recent.participant_id,
        history.network_id == recent.network_id,
        history.scored_on <= day("end"),
    )
    people = (
        db.select(
            recent.network_id,
            recent.participant_id,
            db.select(func.min(history.scored_on))
            .where(own_history)
            .scalar_subquery()
            .label("first_day"),
            func.max(recent.scored_on).label("last_day"),
            # One scoring per person and day (a unique constraint): two rows mean two days.
            db.select(func.count()).where(own_history).scalar_subquery().label("scorings"),
        )
        .where(recent.network_id.in_(ids()), recent.scored_on.between(day("start"), day("end")))
        .group_by(recent.network_id, recent.participant_id)
        .subquery()
    )
    return (
        db.select(
            people.c.network_id, people.c.participant_id, people.c.first_day, people.c.last_day
        )
        .where(people.c.scorings >= 2)
        .subquery()
    )


@built_once
def _change_statement(with_start: bool):
    """Every area of the networks, with the changes of those who have two scorings of it (up
    to `end`; with a start, only people whose latest scoring falls on or after it)."""
    scoring = WheelScoring
    if with_start:
        spans = _recent_spans()
    else:
        spans = (
            db.select(
                scoring.network_id,
                scoring.participant_id,
                func.min(scoring.scored_on).label("first_day"),
                func.max(scoring.scored_on).label("last_day"),
            )
            .where(scoring.network_id.in_(ids()), scoring.scored_on <= day("end"))
            .group_by(scoring.network_id, scoring.participant_id)
            # One scoring per person and day (a unique constraint): two rows mean two days.
            .having(func.count() >= 2)
            .subquery()
        )
    first, last = aliased(WheelScoring), aliased(WheelScoring)
    before, after = aliased(WheelScore), aliased(WheelScore)
    changes = (
        db.select(
            spans.c.network_id,
            before.area_id,
            func.count().label("people"),
            func.sum(after.score - before.score).label("total_change"),
        )
        .select_from(spans)
        .join(
            first,
            and_(
                first.participant_id == spans.c.participant_id,
                first.scored_on == spans.c.first_day,
            ),
        )
        .join(
            last,
            and_(
                last.participant_id == spans.c.participant_id,
                last.scored_on == spans.c.last_day,
            ),
        )
        .join(before, before.scoring_id == first.id)
        .join(after, and_(after.scoring_id == last.id, after.area_id == before.area_id))
        .where(before.area_id.is_not(None))  # not the residents' own areas
        .group_by(spans.c.network_id, before.area_id)
        .subquery()
    )
    return (
        db.select(
            WheelArea.network_id,
            WheelArea.id,
            WheelArea.name_da,
            WheelArea.name_en,
            changes.c.people,
            changes.c.total_change,
        )
        .outerjoin(
            changes,
            and_(
                changes.c.network_id == WheelArea.network_id,
                changes.c.area_id == WheelArea.id,
            ),
        )
        .where(WheelArea.network_id.in_(ids()))
        .order_by(WheelArea.network_id, WheelArea.position, WheelArea.id)
    )


def change_per_area(
    network_ids: Sequence[int], end: date, start: date | None = None
) -> dict[int, dict[int, dict]]:
    """Change per area from intake to each person's latest scoring up to `end`, for many
    networks in one aggregate query (however many networks, people and scorings).

    With `start`, only people whose latest scoring falls in [start, end] count. Returns
    {network id: {area id: {"name_da", "name_en", "people", "total_change"}}} with every area
    of each network, in the areas' order; "people" counts those with two scorings of the area.
    Only the network's areas count: an area a resident named is theirs alone, and its scores
    never reach the statistics (whoever chose an area of the list counts for it).
    """
    network_ids = list(network_ids)
    result: dict[int, dict[int, dict]] = {network_id: {} for network_id in network_ids}
    if not network_ids:
        return result
    areas = db.session.execute(
        _change_statement(start is not None),
        {"network_ids": network_ids, "end": end, "start": start},
    ).all()
    for network_id, area_id, name_da, name_en, people, total in areas:
        result[network_id][area_id] = {
            "name_da": name_da,
            "name_en": name_en,
            "people": int(people or 0),
            "total_change": int(total or 0),
        }
    return result


def average_change_per_area(
    network_id: int, end: date, start: date | None = None, min_people: int = MIN_PEOPLE
) -> dict[int, dict]:
    """Average change per area from intake to each person's latest scoring up to `end`.

    With `start`, only people whose latest scoring falls in [start, end] count. An area's
    mean is None (suppressed) unless at least `min_people` people have two scorings of it.
    Returns {area id: {"name_da", "name_en", "people", "mean_change"}}.
    """
    areas = change_per_area([network_id], end, start)[network_id]
    return {
        area_id: {
            "name_da": area["name_da"],
            "name_en": area["name_en"],
            "people": area["people"],
            "mean_change": (
                area["total_change"] / area["people"] if area["people"] >= min_people else None
            ),
        }
        for area_id, area in areas.items()
    }


# --- the chart ---------------------------------------------------------------------------------


def radar_geometry(count: int, series: list[list[int | None]], size: int = 420) -> dict:
    """Coordinates of a radar chart with `count` spokes for scores 0-10, as plain numbers.

    `series` holds one list of scores per line drawn (None = not scored, drawn at the
    centre). Returns the centre, radius, rings (0-10 by 2), spoke ends, label anchors and one
    SVG points string per series.
    """
    centre = size / 2
    radius = size / 2 - 90  # room for the labels around the wheel
    if count == 0:
        return {
            "size": size,
            "centre": centre,
            "radius": radius,
            "rings": [],
            "spokes": [],
            "labels": [],
            "polygons": ["" for _ in series],
        }

    def point(index: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / count
        distance = radius * value / SCORE_MAX
        return (
            round(centre + distance * math.cos(angle), 1),
            round(centre + distance * math.sin(angle), 1),
        )

    def points(values: list[float]) -> str:
        return " ".join(f"{x},{y}" for x, y in (point(i, v) for i, v in enumerate(values)))

    rings = [
        {"value": v, "points": points([v] * count), "label_y": round(centre - radius * v / 10, 1)}
        for v in range(2, SCORE_MAX + 1, 2)
    ]
    spokes = [point(i, SCORE_MAX) for i in range(count)]
    labels = []
    for i in range(count):
        x, y = point(i, SCORE_MAX + 1.6)
        anchor = "middle" if abs(x - centre) < 5 else ("start" if x > centre else "end")
        labels.append({"x": x, "y": y, "anchor": anchor})
    polygons = [
        points([min(max(v or 0, SCORE_MIN), SCORE_MAX) for v in values]) for values in series
    ]
    return {
        "size": size,
        "centre": centre,
        "radius": radius,
        "rings": rings,
        "spokes": spokes,
        "labels": labels,
        "polygons": polygons,
    }


# --- a participant's own data -------------------------------------------------------------------


def export_personal_data(participant: Participant) -> dict:
    """The participant's consent, choice of areas, own areas, scorings, goals and plans as
    JSON-able data (areas by their Danish name, own areas as the resident named them)."""
    given = consent(participant)
    wheel = personal_wheel(participant)
    names = {area.key: area.name_da for area in wheel.network_areas}
    own_area = str(_("own area"))
    for row in wheel.own_areas:  # an own area never hides a network area of the same name
        taken = row.own_name in names.values()
        names[row.key] = f"{row.own_name} ({own_area})" if taken else row.own_name
    return {
        "consent_given_on": given.given_on.isoformat() if given else None,
        **export_areas(wheel),
        "scorings": [
            {
                "scored_on": s.scored_on.isoformat(),
                "scores": {names[score.key]: score.score for score in s.scores},
                "goal": s.goal,
                "plan_a": s.plan_a,
                "plan_b": s.plan_b,
                "plan_c": s.plan_c,
            }
            for s in scorings(participant)
        ],
    }


def erase_personal_data(participant: Participant) -> None:
    """Delete the participant's scorings, goals, plans, areas and consent."""
    for scoring in scorings(participant):
        db.session.delete(scoring)
    db.session.flush()  # the scores go before the own areas they refer to
    erase_areas(participant)
    db.session.execute(db.delete(WheelConsent).where(WheelConsent.participant_id == participant.id))
    db.session.flush()


def withdraw_consent(participant: Participant) -> None:
    """The participant withdraws their consent: the wheel, with their areas, is deleted
    (audited). A second withdrawal at once waits for the first and finds nothing left."""
    lock_for_update(Participant, Participant.id == participant.id, column="status")
    erase_personal_data(participant)
    record_about_participant("wheel.consent_withdrawn", participant)
    db.session.flush()


# --- what the wheel's pages show ---------------------------------------------------------------


def display_locale() -> str:
    """The language the areas' names are shown in ("da" unless the user reads English)."""
    return language()


def wheel_context(participant: Participant) -> dict:
    """What the chart, the table and the goal need for one participant."""
    wheel = comparison(participant)
    series = [[row.intake for row in wheel["rows"]]]
    if wheel["latest"] is not None:
        series.append([row.latest for row in wheel["rows"]])
    return {
        "participant": participant,
        "wheel": wheel,
        "geometry": radar_geometry(len(wheel["rows"]), series),
        "locale": display_locale(),
    }
