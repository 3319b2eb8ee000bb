"""One generated network over the whole span: staff, participants, meetings, rota, activities."""

from __future__ import annotations

from datetime import date

from . import activities, meetings, participants, rota
from .data import Person, Sim


def network_rows(sim: Sim) -> None:
    """Simulate one network and append its rows to `sim.batch`."""
    participants.staff_rows(sim)
    lanes = participants.simulate_lanes(sim)
    for lane in lanes:
        for person in lane:
            participants.person_rows(sim, person)
    participants.interested_rows(sim)
    chores = rota.chore_rows(sim)
    closed = meetings.closure_rows(sim)
    _meeting_by_meeting(sim, lanes, chores, meetings.meeting_rows(sim, closed))


def _expected(lanes: list[list[Person]], cursor: list[int], day: date) -> list[Person]:
    """Who holds each place on the day (the cursor moves on past those who left)."""
    expected = []
    for lane_no, lane in enumerate(lanes):
        k = cursor[lane_no]
        while k < len(lane) and lane[k].end is not None and lane[k].end < day:
            k += 1
        cursor[lane_no] = k
        if k < len(lane) and lane[k].start <= day:
            expected.append(lane[k])
    return expected


def _meeting_by_meeting(sim: Sim, lanes, chores, meeting_list) -> None:
    """Attendance, chores and activities, meeting by meeting."""
    cursor = [0] * len(lanes)
    rotation = 0
    facilitators = sim.staff["facilitator"] + sim.staff["coordinator"]
    for meeting_id, day, cancelled in meeting_list:
        expected = _expected(lanes, cursor, day)
        past = day < sim.span.end
        present = []
        if past and not cancelled:
            present = meetings.attendance_rows(sim, meeting_id, day, expected)
        if cancelled:
            continue
        pool = present if past else expected
        if pool:
            rotation = rota.assignment_rows(sim, chores, meeting_id, day, pool, rotation)
        activities.activity_rows(sim, meeting_id, day, facilitators)
