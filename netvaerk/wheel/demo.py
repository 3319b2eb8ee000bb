"""Demo data: filled-in wheels of life (intake and a later scoring) for demo participants, two
of them with their own choice of areas and areas of their own."""

from __future__ import annotations

import random
from datetime import date, timedelta

from ..extensions import db
from ..participants.models import Participant
from . import services as wheel
from .models import WheelConsent, WheelPersonalArea, WheelScore, WheelScoring
from .personal_areas import fold

# Two residents choose their own wheel: the areas of the list they leave out, and their own.
OWN_CHOICES = {
    5: (("Opvækst", "Kultur"), ("Min økonomi",)),
    6: (("Vaner",), ("Cykling", "Mine børn")),
}


def _own_wheel(network, person, areas, choice) -> list:
    """The person's chosen areas and their own (rows added), in the wheel's order."""
    left_out, own_names = choice
    chosen = [a for a in areas if a.name_da not in left_out]
    rows = [
        WheelPersonalArea(network_id=network.id, participant_id=person.id, area_id=a.id)
        for a in chosen
    ]
    own = [
        WheelPersonalArea(
            network_id=network.id,
            participant_id=person.id,
            own_name=name,
            own_key=fold(name),
            position=position,
        )
        for position, name in enumerate(own_names, start=1)
    ]
    db.session.add_all(rows + own)
    db.session.flush()
    return chosen + own


def _add_wheels(network, today: date) -> None:
    areas = wheel.active_areas(network.id)
    people = (
        db.session.execute(
            db.select(Participant)
            .where(
                Participant.network_id == network.id,
                Participant.status.in_(("active", "left")),
            )
            .order_by(Participant.id)
        )
        .scalars()
        .all()
    )
    rng = random.Random(61)
    goals = (
        (
            "Jeg vil have et job i en butik, hvor jeg kan bruge mit sprog.",
            "Tage butikspraktik i Albertslund Centrum",
            "Løntilskud i et supermarked",
            "AMU-kursus i salg og service",
        ),
        (
            "Jeg vil tale bedre dansk og få en uddannelse som pædagogmedhjælper.",
            "Danskundervisning tre gange om ugen",
            "Praktik i en børnehave",
            "Frivilligt arbejde i lektiecafeen",
        ),
        (
            "Komme i gang igen efter mange år uden arbejde – gerne lager.",
            "Truckcertifikat og praktik på et lager",
            "Flexjob med færre timer",
            "Virksomhedsbesøg for at se forskellige lagre",
        ),
    )
    made = 0
    for person in people:
        if made >= 7:
            break
        if db.session.execute(
            db.select(WheelScoring.id).where(WheelScoring.participant_id == person.id).limit(1)
        ).first():
            made += 1
            continue
        start = person.intake_date or (person.periods[0].start_date if person.periods else None)
        # Scored again during last month, so its monthly statistics show the change.
        first_of_last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
        intake_day = min(
            start or today - timedelta(days=120), first_of_last_month - timedelta(days=14)
        )
        later_day = first_of_last_month + timedelta(days=rng.randint(1, 26))
        goal, plan_a, plan_b, plan_c = goals[made % len(goals)]
        on_the_wheel = areas
        if made in OWN_CHOICES:
            on_the_wheel = _own_wheel(network, person, areas, OWN_CHOICES[made])
        intake = {a: rng.randint(2, 7) for a in on_the_wheel}
        later = {
            a: min(10, max(0, s + rng.choice((-1, 0, 1, 1, 2, 2, 3)))) for a, s in intake.items()
        }
        # Demo residents gave their consent to storing the wheel at intake.
        db.session.add(
            WheelConsent(network_id=network.id, participant_id=person.id, given_on=intake_day)
        )
        for day, scores in ((intake_day, intake), (later_day, later)):
            scoring = WheelScoring(
                network_id=network.id,
                participant_id=person.id,
                scored_on=day,
                goal=goal,
                plan_a=plan_a,
                plan_b=plan_b,
                plan_c=plan_c,
            )
            scoring.scores = [_score(a, s) for a, s in scores.items()]
            db.session.add(scoring)
        made += 1
    db.session.flush()


def _score(area, score: int) -> WheelScore:
    if isinstance(area, WheelPersonalArea):
        return WheelScore(personal_area_id=area.id, score=score)
    return WheelScore(area_id=area.id, score=score)


def demo_wheels(network, today: date) -> None:
    """Wheels of life at intake and later for up to seven demo participants."""
    _add_wheels(network, today)
