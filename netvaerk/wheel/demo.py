"""Demo data: filled-in wheels of life (intake and a later scoring) for demo participants."""

from __future__ import annotations

import random
from datetime import date, timedelta

from ..extensions import db
from ..participants.models import Participant
from . import services as wheel
from .models import WheelConsent, WheelScore, WheelScoring


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
        intake = {a.id: rng.randint(2, 7) for a in areas}
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
            scoring.scores = [WheelScore(area_id=a, score=s) for a, s in scores.items()]
            db.session.add(scoring)
        made += 1
    db.session.flush()


def demo_wheels(network, today: date) -> None:
    """Wheels of life at intake and later for up to seven demo participants."""
    _add_wheels(network, today)
