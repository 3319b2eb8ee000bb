"""The generator's activities: about every other meeting has one, with facilitators signed up."""

from __future__ import annotations

from datetime import date, time

from .data import Sim


def activity_rows(sim: Sim, meeting_id: int, day: date, facilitators: list[int]) -> None:
    """Maybe an activity at the meeting, and the facilitators' sign-ups to it."""
    rng, network = sim.rng, sim.network
    if not (rng.random() < 0.55 and sim.activity_types):
        return
    past = day < sim.span.end
    type_id, title = rng.choice(sim.activity_types)
    needed = rng.choice((1, 1, 2))
    end_time = network.meeting_end
    hour = rng.choice((9, 10, 11)) if end_time >= time(12) else network.meeting_start.hour
    a_start, a_end = time(hour, 0), time(min(hour + 1, 23), 0)
    activity_id = sim.add(
        "netvaerk_activity",
        network_id=network.id,
        type_id=type_id,
        meeting_id=meeting_id,
        date=day,
        start_time=a_start,
        end_time=a_end,
        title=title,
        description="",
        place="",
        facilitators_needed=needed,
        has_waitlist=False,
        is_cancelled=False,
        was_held=True if past else None,
        created_at=sim.span.created_at,
    )
    chosen = rng.sample(facilitators, needed)
    # The coordinator confirms hours a week or so later: the last days' wait for it.
    confirmed = past and (sim.span.end - day).days > 7
    for seat, user_id in enumerate(chosen, start=1):
        if not past and rng.random() < 0.4:
            continue  # an open place in the coming weeks
        sim.add(
            "netvaerk_activity_signup",
            network_id=network.id,
            activity_id=activity_id,
            user_id=user_id,
            seat=seat,
            places=needed,
            created_at=sim.span.created_at,
            hours=1 if confirmed else None,
            hours_confirmed_at=sim.utc(day, a_end) if confirmed else None,
        )
