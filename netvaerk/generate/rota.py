"""The generator's chore rota: the chores, and who did them at each meeting."""

from __future__ import annotations

from datetime import date

from .data import CHORES, Person, Sim


def chore_rows(sim: Sim) -> list[tuple[int, int, set[int]]]:
    """The network's chores; returns (id, people needed, weekdays) for each."""
    weekdays = sim.network.weekdays
    chores = []
    for name, needed, only in CHORES:
        days = str(weekdays[only]) if only is not None else "0,1,2,3,4,5,6"
        chore_id = sim.add(
            "netvaerk_chore",
            network_id=sim.network.id,
            name=name,
            people_needed=needed,
            weekdays=days,
            is_active=True,
            created_at=sim.span.created_at,
        )
        chores.append((chore_id, needed, {int(d) for d in days.split(",")}))
    return chores


def assignment_rows(
    sim: Sim, chores, meeting_id: int, day: date, pool: list[Person], rotation: int
) -> int:
    """The meeting's chores handed round the pool in turn; returns the rotation after."""
    past = day < sim.span.end
    done_at = sim.utc(day, sim.network.meeting_end) if past else None
    for chore_id, needed, chore_days in chores:
        if day.weekday() not in chore_days:
            continue
        for slot in range(1, min(needed, len(pool)) + 1):
            person = pool[rotation % len(pool)]
            rotation += 1
            sim.add(
                "netvaerk_chore_assignment",
                network_id=sim.network.id,
                meeting_id=meeting_id,
                chore_id=chore_id,
                slot_no=slot,
                participant_id=person.id,
                is_manual=False,
                is_done=past,
                done_at=done_at,
                created_at=sim.span.created_at,
            )
    return rotation
