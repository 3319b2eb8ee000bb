"""Demo participants: residents of the estate across the housing areas and both groups,
a few who left with an outcome and one who came back."""

from datetime import date, timedelta

from sqlalchemy import select

from ..core.models import User
from ..extensions import db
from .models import Participant, ParticipationPeriod, StatusChange

CONSENT_TEXT = (
    "Deltageren har givet samtykke til, at Netværket opbevarer navn, kontaktoplysninger, "
    "boligområde, fødselsår og fremmøde, så længe deltageren er med og 12 måneder derefter."
)

# first, last, area index, birth year, group, status, days since start (or since intake),
# then for those who left: days since leaving and the outcome.
DEMO_PARTICIPANTS = (
    ("Amina", "Hassan", 0, 1984, 1, "active", 130, None, None),
    ("Mette", "Jørgensen", 1, 1971, 1, "active", 125, None, None),
    ("Ahmad", "Rahimi", 0, 1992, 1, "active", 110, None, None),
    ("Lone", "Kristensen", 2, 1966, 1, "active", 95, None, None),
    ("Fatima", "Yilmaz", 0, 1988, 1, "active", 80, None, None),
    ("Jesper", "Madsen", 1, 1979, 1, "active", 60, None, None),
    ("Nadia", "El-Sayed", 0, 1995, 3, "active", 45, None, None),
    ("Bo", "Rasmussen", 2, 1975, 1, "left", 130, 40, "ordinary_job"),
    ("Zainab", "Abdi", 1, 1990, 1, "left", 120, 25, "internship"),
    ("Kim", "Sørensen", 0, 2001, 1, "left", 100, 15, "education"),
    ("Hanne", "Nielsen", 0, 1963, 1, "left", 130, 60, "flex_job"),
    ("Gitte", "Poulsen", 1, 1982, 1, "intake", 6, None, None),
    ("Mustafa", "Demir", 2, 1987, 3, "interested", 3, None, None),
)
# Tariq left early on (stopped) and came back: two periods.
RETURNER = ("Tariq", "Mahmoud", 0, 1986, 1)


def _coordinator_id() -> int | None:
    return db.session.execute(
        select(User.id).where(User.email == "coordinator@example.org")
    ).scalar_one_or_none()


def _exists(network_id: int, first: str, last: str) -> bool:
    return (
        db.session.execute(
            select(Participant.id).where(
                Participant.network_id == network_id,
                Participant.first_name == first,
                Participant.last_name == last,
            )
        ).first()
        is not None
    )


def _new(network, first, last, area, born, group, intake: date, by) -> Participant:
    participant = Participant(
        network_id=network.id,
        first_name=first,
        last_name=last,
        housing_area_id=network.housing_areas[area % len(network.housing_areas)].id,
        birth_year=born,
        readiness_group=group,
        status="interested",
        phone=None,
        intake_date=intake,
        intake_note="Motiveret for fællesskabet og klar til at møde op tre gange om ugen.",
        consent_date=intake,
        consent_text=CONSENT_TEXT,
        consent_recorded_by_id=by,
    )
    participant.status_changes.append(
        StatusChange(status="interested", changed_on=intake - timedelta(days=7), changed_by_id=by)
    )
    participant.status_changes.append(
        StatusChange(status="intake", changed_on=intake, changed_by_id=by)
    )
    participant.status = "intake"
    return participant


def _start(participant: Participant, on: date, by) -> None:
    participant.status = "active"
    participant.status_changes.append(
        StatusChange(status="active", changed_on=on, changed_by_id=by)
    )
    participant.periods.append(
        ParticipationPeriod(network_id=participant.network_id, start_date=on)
    )


def _leave(participant: Participant, on: date, outcome: str, by) -> None:
    participant.status = "left"
    participant.status_changes.append(StatusChange(status="left", changed_on=on, changed_by_id=by))
    period = participant.periods[-1]
    period.end_date = on
    period.outcome = outcome


def demo_participants(network, today: date) -> None:
    """Add the demo residents once (matched on name), with their periods and status history."""
    by = _coordinator_id()
    for first, last, area, born, group, status, since, left_ago, outcome in DEMO_PARTICIPANTS:
        if _exists(network.id, first, last):
            continue
        start = today - timedelta(days=since)
        participant = _new(network, first, last, area, born, group, start - timedelta(days=7), by)
        if status == "interested":
            participant.status = "interested"
            participant.status_changes.pop()
            participant.intake_date = None
            participant.intake_note = None
            participant.status_changes[0].changed_on = start
            participant.consent_date = start
        elif status in ("active", "left"):
            _start(participant, start, by)
        if status == "left":
            _leave(participant, today - timedelta(days=left_ago), outcome, by)
        db.session.add(participant)
    first, last, area, born, group = RETURNER
    if not _exists(network.id, first, last):
        first_start = today - timedelta(days=140)
        participant = _new(network, first, last, area, born, group, first_start - timedelta(7), by)
        _start(participant, first_start, by)
        _leave(participant, first_start + timedelta(days=30), "stopped", by)
        _start(participant, today - timedelta(days=50), by)
        db.session.add(participant)
    db.session.flush()
