"""Follow-up demo and generated data: conversations, commitments, options and statuses after
leaving, so that the due list and the retention figures look real."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import insert, select

from ..extensions import db
from ..participants.models import WORK_OR_EDUCATION, Participant, ParticipationPeriod
from .checks import CHECK_WINDOW_DAYS, schedule_checks
from .followers import facilitators_of
from .models import Commitment, Conversation, Follower, Option, StatusCheck

DEMO_COMMITMENTS = (
    ("Søge tre job i lager og logistik", "Ringe til vikarbureauet"),
    ("Opdatere cv'et med praktikken", "Tage med til virksomhedsbesøget"),
    ("Melde sig til dansk på modul 3", "Spørge naboen om fritidsjobbet"),
)
DEMO_OPTIONS = (
    "Lager og logistik",
    "Chauffør (kørekort C)",
    "SOSU-hjælper",
    "Butik og kasse",
    "Rengøring med egen kunde",
    "Køkkenmedhjælper",
)
# The status found at a check, by months after leaving: later checks find fewer in work.
STATUS_WEIGHTS = {
    1: (("same_job", 70), ("other_job", 5), ("benefits", 10), ("not_reached", 15)),
    3: (
        ("same_job", 58),
        ("other_job", 9),
        ("education", 3),
        ("benefits", 15),
        ("not_reached", 15),
    ),
    6: (
        ("same_job", 48),
        ("other_job", 12),
        ("education", 4),
        ("benefits", 18),
        ("other_programme", 3),
        ("not_reached", 15),
    ),
    12: (
        ("same_job", 40),
        ("other_job", 15),
        ("education", 5),
        ("benefits", 20),
        ("moved_away", 3),
        ("other_programme", 2),
        ("not_reached", 15),
    ),
}


def _status(rng: random.Random, months: int, outcome: str) -> str | None:
    """A plausible status (None: the coordinator never got round to it)."""
    if rng.random() < 0.08:
        return None
    weights = STATUS_WEIGHTS.get(months, STATUS_WEIGHTS[12])
    status = rng.choices([s for s, _ in weights], [w for _, w in weights])[0]
    if status == "same_job" and outcome in ("education", "internship"):
        return outcome
    return status


def demo_followup(network, today: date) -> None:
    """Conversations with commitments for the active residents (one overdue), options for the
    first, and status checks with statuses for those who left into work."""
    rng = random.Random(f"followup-demo:{network.id}")
    people = (
        db.session.execute(
            select(Participant)
            .where(Participant.network_id == network.id)
            .order_by(Participant.first_name, Participant.id)
        )
        .scalars()
        .unique()
        .all()
    )
    active = [p for p in people if p.status == "active"]
    for index, person in enumerate(active):
        if db.session.execute(
            select(Conversation.id).where(Conversation.participant_id == person.id)
        ).first():
            continue
        # Every fourth resident's conversation is overdue, so the list shows both kinds.
        held = today - timedelta(days=20 if index % 4 == 0 else 9)
        held = max(held, person.current_period.start_date)
        texts = DEMO_COMMITMENTS[index % len(DEMO_COMMITMENTS)]
        conversation = Conversation(
            network_id=network.id,
            participant_id=person.id,
            held_on=held,
            present="Deltager, koordinator",
            agreed="Vi aftalte de næste skridt mod et job.",
            next_due_on=held + timedelta(days=14),
        )
        for number, text in enumerate(texts):
            conversation.commitments.append(
                Commitment(
                    network_id=network.id,
                    participant_id=person.id,
                    text=text,
                    due_on=held + timedelta(days=7 * (number + 1)),
                    done=number == 0,
                    done_on=held + timedelta(days=5) if number == 0 else None,
                )
            )
        db.session.add(conversation)
    if (
        active
        and not db.session.execute(
            select(Option.id).where(Option.participant_id == active[0].id)
        ).first()
    ):
        for number, text in enumerate(DEMO_OPTIONS):
            plan = ("A", "B", "C")[number] if number < 3 else None
            db.session.add(
                Option(network_id=network.id, participant_id=active[0].id, text=text, plan=plan)
            )
    if active:
        _demo_mentor(network, active[0])
    db.session.flush()
    for person in people:
        for period in person.periods:
            for check in schedule_checks(person, period):
                if check.due_on <= today:
                    _fill(check, rng, today)
    db.session.flush()


def _demo_mentor(network, person: Participant) -> None:
    """The demo's facilitator follows the first active resident as mentor (need to know: the
    other residents' follow-up stays hidden from them)."""
    staff = facilitators_of(network.id)
    if not staff:
        return
    chosen = next((u for u in staff if u.email == "facilitator@example.org"), staff[0])
    known = db.session.execute(
        select(Follower.id).where(
            Follower.participant_id == person.id, Follower.user_id == chosen.id
        )
    ).first()
    if known is None:
        db.session.add(
            Follower(
                network_id=network.id, participant_id=person.id, user_id=chosen.id, role="mentor"
            )
        )


def _fill(check: StatusCheck, rng: random.Random, today: date) -> None:
    status = _status(rng, check.months_after, check.exit_outcome)
    if status is None:
        return
    check.status = status
    check.reached_on = min(today, check.due_on + timedelta(days=rng.randint(0, 10)))
    check.recorded_at = datetime.combine(check.reached_on, time(12))


def generate_followup(network_ids: list[int], end: date, seed: int) -> dict[str, int]:
    """Checks for every period that ended in work, with statuses, and conversations every 14
    days in the last four months of each period; written in bulk. Returns row counts."""
    rng = random.Random(f"{seed}:followup")
    periods = db.session.execute(
        select(ParticipationPeriod)
        .where(ParticipationPeriod.network_id.in_(network_ids))
        .order_by(ParticipationPeriod.id)
    ).scalars()
    checks, talks = [], []
    for period in periods:
        finish = min(period.end_date or end, end)
        held = max(period.start_date, finish - timedelta(days=120))
        while held <= finish:
            talks.append(_talk(period, held))
            held += timedelta(days=14)
        if period.end_date and period.outcome in WORK_OR_EDUCATION and period.end_date <= end:
            checks.extend(_checks(period, rng, end))
    if talks:
        db.session.execute(insert(Conversation.__table__), talks)
    if checks:
        db.session.execute(insert(StatusCheck.__table__), checks)
    db.session.flush()
    return {"netvaerk_followup_conversation": len(talks), "netvaerk_followup_check": len(checks)}


def _talk(period, held: date) -> dict:
    return {
        "network_id": period.network_id,
        "participant_id": period.participant_id,
        "held_on": held,
        "present": "Deltager, koordinator",
        "agreed": "Næste skridt aftalt.",
        "next_due_on": held + timedelta(days=14),
        "created_at": datetime.combine(held, time(12)),
    }


def _checks(period, rng: random.Random, end: date) -> list[dict]:
    from .checks import add_months

    rows = []
    for months in (1, 3, 6, 12):
        due = add_months(period.end_date, months)
        status = _status(rng, months, period.outcome) if due <= end else None
        reached = min(end, due + timedelta(days=rng.randint(0, 10))) if status else None
        if status and due + timedelta(days=CHECK_WINDOW_DAYS) < end and rng.random() < 0.05:
            status = reached = None  # never done: counts as not reached
        rows.append(
            {
                "network_id": period.network_id,
                "participant_id": period.participant_id,
                "period_id": period.id,
                "left_on": period.end_date,
                "exit_outcome": period.outcome,
                "months_after": months,
                "due_on": due,
                "status": status,
                "reached_on": reached,
                "cancelled": False,
                "recorded_at": datetime.combine(reached, time(12)) if reached else None,
            }
        )
    return rows
