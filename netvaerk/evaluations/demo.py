"""Demo data: the exit evaluation in Danish and English with realistic anonymous answers,
and a named mid-way check."""

from __future__ import annotations

import random
from datetime import date

from ..extensions import db
from . import answers, versions
from .models import EvaluationForm, FormQuestion, FormVersion, random_id

ACTIVITIES = (
    ("Danskundervisning", "Danish lessons"),
    ("CV og ansøgninger", "CV and applications"),
    ("Træning i jobsamtaler", "Job interview training"),
    ("Walk and talk", "Walk and talk"),
    ("Morgenmotion", "Morning exercise"),
    ("Oplæg fra jobcenter og virksomheder", "Talks by the job centre and companies"),
    ("Virksomhedsbesøg", "Company visits"),
    ("Coaching", "Coaching"),
    ("Videopitch og LinkedIn", "Video pitch and LinkedIn"),
)

EXIT_QUESTIONS = [
    dict(
        kind="scale",
        text_da="Hvor nyttigt har Netværket været for dig?",
        text_en="How useful has the network been for you?",
        low_label_da="Slet ikke nyttigt",
        low_label_en="Not useful at all",
        high_label_da="Meget nyttigt",
        high_label_en="Very useful",
    ),
    dict(
        kind="multiple",
        text_da="Hvilke aktiviteter har hjulpet dig?",
        text_en="Which activities have helped you?",
        choices=[{"value": f"act{i}", "da": da, "en": en} for i, (da, en) in enumerate(ACTIVITIES)],
    ),
    dict(
        kind="scale",
        text_da="Hvordan har det været at dele de praktiske opgaver i huset?",
        text_en="How has it been to share the chores of the house?",
        low_label_da="Rigtig dårligt",
        low_label_en="Very bad",
        high_label_da="Rigtig godt",
        high_label_en="Very good",
    ),
    dict(
        kind="scale",
        text_da="Har du følt dig som en del af fællesskabet?",
        text_en="Have you felt part of the community?",
        low_label_da="Slet ikke",
        low_label_en="Not at all",
        high_label_da="I høj grad",
        high_label_en="Very much",
    ),
    dict(
        kind="yes_no",
        text_da="Vil du anbefale Netværket til en nabo?",
        text_en="Would you recommend the network to a neighbour?",
    ),
    dict(
        kind="text",
        required=False,
        text_da="Hvad skal vi ændre?",
        text_en="What should we change?",
    ),
]

MIDWAY_QUESTIONS = [
    dict(
        kind="scale",
        text_da="Hvordan går det med at nå dit mål?",
        text_en="How is it going with reaching your goal?",
        low_label_da="Slet ikke godt",
        low_label_en="Not well at all",
        high_label_da="Rigtig godt",
        high_label_en="Very well",
    ),
    dict(
        kind="single",
        text_da="Hvor mange gange om ugen kommer du typisk?",
        text_en="How many times a week do you usually come?",
        choices=[
            {"value": "w1", "da": "1 gang", "en": "Once"},
            {"value": "w2", "da": "2 gange", "en": "Twice"},
            {"value": "w3", "da": "3 gange", "en": "Three times"},
        ],
    ),
    dict(
        kind="text",
        required=False,
        text_da="Hvad vil du gerne have mere hjælp til?",
        text_en="What would you like more help with?",
    ),
]

CHANGES = (
    "Mere tid ved computerne til ansøgninger.",
    "Flere virksomhedsbesøg, gerne inden for lager og transport.",
    "Kaffen må gerne være stærkere.",
    "Danskundervisning to gange om ugen i stedet for én.",
    "Det var svært at komme kl. 9 når man har små børn. Måske starte 9.30?",
    "Ikke noget – det har været et godt sted at komme.",
    "Flere oplæg fra folk der selv har fået job.",
)


def _ensure_form(network, title_da, title_en, purpose, is_named, intro, questions):
    form = db.session.execute(
        db.select(EvaluationForm).where(
            EvaluationForm.network_id == network.id, EvaluationForm.title_da == title_da
        )
    ).scalar_one_or_none()
    if form is not None:
        return form
    form = EvaluationForm(
        network_id=network.id,
        title_da=title_da,
        title_en=title_en,
        purpose=purpose,
        is_named=is_named,
        intro_da=intro[0],
        intro_en=intro[1],
    )
    version = FormVersion(network_id=network.id, number=1)
    for position, spec in enumerate(questions, start=1):
        version.questions.append(
            FormQuestion(key=random_id(), position=position, **{"choices": [], **spec})
        )
    form.versions.append(version)
    db.session.add(form)
    db.session.flush()
    return form


def _months_back(today: date, n: int) -> tuple[int, int]:
    index = today.year * 12 + today.month - 1 - n
    return index // 12, index % 12 + 1


def _add_exit_answers(network, form: EvaluationForm, today: date) -> None:
    """Fifteen anonymous answers over three months, given through the pool like real ones
    (so they are released in batches of five, with outcomes only as exact as allowed)."""
    version = form.current_version
    if versions.version_has_answers(version):
        return
    rng = random.Random(60)
    useful, activities, chores, community, recommend, change = version.questions
    outcomes = (
        "ordinary_job",
        "internship",
        "flex_job",
        "education",
        "wage_subsidy_job",
        "stopped",
        "moved_away",
        "ordinary_job",
        "internship",
    )
    for n in range(15):
        year, month = _months_back(today, n // answers.K)
        base = rng.choice((3, 4, 4, 4, 5, 5, 5))
        chosen = sorted(rng.sample(range(len(ACTIVITIES)), rng.randint(1, 4)))
        given = {
            useful.id: {"number": base},
            activities.id: {"choices": [f"act{i}" for i in chosen]},
            chores.id: {"number": max(1, min(5, base + rng.choice((-2, -1, 0, 0, 1))))},
            community.id: {"number": max(1, min(5, base + rng.choice((-1, 0, 0, 1))))},
            recommend.id: {"number": 1 if base >= 4 or rng.random() < 0.5 else 0},
        }
        if n % 2 == 0:
            given[change.id] = {"text": CHANGES[(n // 2) % len(CHANGES)]}
        # Demo answers have no residents behind them: each is sealed as one of its own.
        answers.pool_answer(
            version,
            given,
            today=date(year, month, 1),
            outcome=outcomes[n % len(outcomes)],
            resident=f"demo-{n}",
        )


def demo_evaluations(network, today: date) -> None:
    """The exit evaluation with answers and a named mid-way check."""
    exit_form = _ensure_form(
        network,
        "Evaluering når du stopper i Netværket",
        "Evaluation when you leave the network",
        "exit",
        False,
        (
            "Tak fordi du har været med. Dine svar hjælper os med at gøre Netværket bedre.",
            "Thank you for taking part. Your answers help us make the network better.",
        ),
        EXIT_QUESTIONS,
    )
    _ensure_form(
        network,
        "Midtvejssamtale",
        "Mid-way check",
        "midway",
        True,
        (
            "Vi bruger dine svar i samtalen med din koordinator.",
            "We use your answers in the talk with your coordinator.",
        ),
        MIDWAY_QUESTIONS,
    )
    _add_exit_answers(network, exit_form, today)
