"""The generator's staff accounts and participants: places taken by one person after another."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from .data import (
    EMAIL_DOMAIN,
    FACILITATORS_PER_NETWORK,
    FIRST_NAMES,
    LAST_NAMES,
    OUTCOME_WEIGHTS,
    Person,
    Sim,
    weighted,
)


def staff_rows(sim: Sim) -> None:
    """A coordinator, a steering member, the kiosk tablet and a few facilitators."""
    network_id = sim.network.id
    roles = ["coordinator", "steering", "kiosk"] + ["facilitator"] * FACILITATORS_PER_NETWORK
    for k, role in enumerate(roles):
        email = f"{role}{k if role == 'facilitator' else ''}.{network_id}@{EMAIL_DOMAIN}"
        user_id = sim.add(
            "netvaerk_user",
            email=email,
            name=f"{role.title()} {sim.number}",
            password_hash=sim.span.password_hash,
            is_admin=False,
            is_enabled=True,
            session_version=1,
            created_at=sim.span.created_at,
        )
        sim.add("netvaerk_membership", user_id=user_id, network_id=network_id, role=role)
        sim.staff[role].append(user_id)


def simulate_lanes(sim: Sim) -> list[list[Person]]:
    """Each place (8-16 of them) taken by one person after another over the span."""
    rng, end = sim.rng, sim.span.end
    lanes: list[list[Person]] = []
    for _ in range(rng.randint(8, 16)):
        lane = []
        day = sim.span.start - timedelta(days=rng.randint(0, 120))
        while day <= end:
            stay = int(rng.triangular(30, 420, 120))
            leaves = day + timedelta(days=stay)
            lane.append(
                Person(
                    sim.ids.take("netvaerk_participant"),
                    day,
                    leaves if leaves < end else None,
                    weighted(rng, OUTCOME_WEIGHTS) if leaves < end else None,
                    rng.uniform(0.5, 0.97),
                )
            )
            day = leaves + timedelta(days=rng.randint(3, 35))
        lanes.append(lane)
    return lanes


def person_rows(sim: Sim, person: Person) -> None:
    """A participant who came: the participant, the period and the status changes."""
    rng = sim.rng
    first_name, last_name = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    intake = person.start - timedelta(days=rng.randint(3, 14))
    sim.batch["netvaerk_participant"].append(
        {
            "id": person.id,
            "network_id": sim.network.id,
            "first_name": first_name,
            "last_name": last_name,
            "housing_area_id": rng.choice(sim.housing_areas),
            "birth_year": rng.randint(1960, 2005),
            "readiness_group": 1 if rng.random() < 0.88 else 3,
            "status": "active" if person.end is None else "left",
            "intake_date": intake,
            "intake_note": "Motiveret for fællesskabet.",
            "consent_date": intake,
            "consent_text": "Samtykke givet ved intakesamtalen.",
            "checkin_code_failures": 0,
            "created_at": datetime.combine(intake, time(10)),
        }
    )
    sim.add(
        "netvaerk_participation_period",
        participant_id=person.id,
        network_id=sim.network.id,
        start_date=person.start,
        end_date=person.end,
        outcome=person.outcome,
    )
    changes = [("interested", intake - timedelta(days=7)), ("intake", intake)]
    changes.append(("active", person.start))
    if person.end is not None:
        changes.append(("left", person.end))
    for status_name, on in changes:
        sim.add(
            "netvaerk_status_change",
            participant_id=person.id,
            status=status_name,
            changed_on=on,
            created_at=datetime.combine(on, time(12)),
        )


def interested_rows(sim: Sim) -> None:
    """One to three people interested who have not started yet."""
    rng, end = sim.rng, sim.span.end
    for k in range(rng.randint(1, 3)):
        sim.add(
            "netvaerk_participant",
            network_id=sim.network.id,
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            housing_area_id=rng.choice(sim.housing_areas),
            birth_year=rng.randint(1960, 2005),
            readiness_group=1,
            status="interested",
            intake_date=None,
            intake_note=None,
            consent_date=end - timedelta(days=k + 2),
            consent_text="Samtykke givet ved første kontakt.",
            checkin_code_failures=0,
            created_at=datetime.combine(end - timedelta(days=k + 2), time(10)),
        )
