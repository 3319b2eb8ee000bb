"""Rules of the wheel of life: default areas, scorings, change since intake, the radar chart."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _
from sqlalchemy import and_, func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, selectinload

from ..audit.services import record_about_participant
from ..core.errors import UserError
from ..core.ordering import move_one_place
from ..core.statements import built_once, day, ids
from ..extensions import db
from ..labels import language
from ..participants.models import Participant
from .models import SCORE_MAX, SCORE_MIN, WheelArea, WheelConsent, WheelScore, WheelScoring

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
# The steering group sees an area's average change only when this many people have two scorings.
MIN_PEOPLE = 5


class WheelError(UserError):
    """A rule of the wheel was broken; the message is a translated sentence for the user."""


# --- areas -------------------------------------------------------------------------------------


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
    """The areas scored from now on."""
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


# --- scorings ----------------------------------------------------------------------------------


def scorings(participant: Participant) -> list[WheelScoring]:
    """The participant's scorings, oldest (the intake) first."""
    return list(
        db.session.execute(
            db.select(WheelScoring)
            .where(WheelScoring.participant_id == participant.id)
            .order_by(WheelScoring.scored_on, WheelScoring.id)
            .options(selectinload(WheelScoring.scores))
        )
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
    goal: str = "",
    plan_a: str = "",
    plan_b: str = "",
    plan_c: str = "",
    user_id: int | None = None,
    consent_now: bool = False,
) -> WheelScoring:
    """Save one filling-in of the wheel (scores 0-10 for the network's areas), audited. Nothing
    is stored without the participant's consent: given before, or now (`consent_now`)."""
    if scored_on > today:
        raise WheelError(_("The date cannot be in the future."), field="scored_on")
    if consent(participant) is None:
        if not consent_now:
            raise WheelError(_("Ask the participant for their consent before the wheel is saved."))
        db.session.add(
            WheelConsent(
                network_id=participant.network_id,
                participant_id=participant.id,
                given_on=scored_on,
                recorded_by_id=user_id,
            )
        )
    valid_ids = {a.id for a in active_areas(participant.network_id)}
    if not scores or any(area_id not in valid_ids for area_id in scores):
        raise WheelError(_("Give a score for the areas of the wheel."))
    if any(not SCORE_MIN <= s <= SCORE_MAX for s in scores.values()):
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
    scoring.scores = [WheelScore(area_id=a, score=s) for a, s in scores.items()]
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
    """One area's score at intake and at the latest scoring."""

    area: WheelArea
    intake: int | None
    latest: int | None

    @property
    def change(self) -> int | None:
        """Latest minus intake, when both exist."""
        if self.intake is None or self.latest is None:
            return None
        return self.latest - self.intake


def comparison(participant: Participant) -> dict:
    """Intake against the latest scoring, area by area (areas in use or ever scored)."""
    history = scorings(participant)
    intake = history[0] if history else None
    latest = history[-1] if len(history) > 1 else None
    scored = set()
    for scoring in (intake, latest):
        if scoring is not None:
            scored |= set(scoring.score_by_area())
    areas = [a for a in all_areas(participant.network_id) if a.is_active or a.id in scored]
    intake_scores = intake.score_by_area() if intake else {}
    latest_scores = latest.score_by_area() if latest else {}
    rows = [AreaChange(a, intake_scores.get(a.id), latest_scores.get(a.id)) for a in areas]
    return {"history": history, "intake": intake, "latest": latest, "rows": rows}


@built_once
def _change_statement(with_start: bool):
    """Every area of the networks, with the changes of those who have two scorings of it (up
    to `end`; with a start, only people whose latest scoring falls on or after it)."""
    scoring = WheelScoring
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
    )
    if with_start:
        spans = spans.having(func.max(scoring.scored_on) >= day("start"))
    spans = spans.subquery()
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
    """The participant's scorings, goals and plans as JSON-able data."""
    given = consent(participant)
    return {
        "consent_given_on": given.given_on.isoformat() if given else None,
        "scorings": [
            {
                "scored_on": s.scored_on.isoformat(),
                "scores": {score.area.name_da: score.score for score in s.scores},
                "goal": s.goal,
                "plan_a": s.plan_a,
                "plan_b": s.plan_b,
                "plan_c": s.plan_c,
            }
            for s in scorings(participant)
        ],
    }


def erase_personal_data(participant: Participant) -> None:
    """Delete the participant's scorings, goals, plans and consent."""
    for scoring in scorings(participant):
        db.session.delete(scoring)
    db.session.execute(db.delete(WheelConsent).where(WheelConsent.participant_id == participant.id))
    db.session.flush()


def consent(participant: Participant) -> WheelConsent | None:
    """The participant's consent to storing their wheel, if given."""
    return db.session.execute(
        db.select(WheelConsent).where(WheelConsent.participant_id == participant.id)
    ).scalar_one_or_none()


def withdraw_consent(participant: Participant) -> None:
    """The participant withdraws their consent: the wheel is deleted with it (audited)."""
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
