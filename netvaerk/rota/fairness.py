"""The rota generator: a pure function from meetings, chores, attendance and history to slots.

No database and no request: the service loads the data with aggregate queries, calls
`generate_rota` and writes what it returns. The rules, in order of precedence:

1. every slot of a chore that applies on the meeting's weekday gets someone expected there, and
   nobody holds the same chore twice at one meeting;
2. nobody gets two chores at a meeting while someone expected there has none;
3. nobody gets the chore they had at the previous meeting when someone else can take it
   (an expected person with fewer chores there, or a swap with another new assignment);
4. fairness over the whole history: the person with the lowest rate of done chores per meeting
   they could have taken goes first (ties: fewest of this chore, then the lowest id).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

# Repairs always terminate (each lowers a potential); the cap only guards against a bug.
MAX_REPAIRS = 10_000


@dataclass(frozen=True)
class MeetingSpec:
    """A meeting of the period: its id and weekday (0 = Monday)."""

    id: int
    weekday: int


@dataclass(frozen=True)
class ChoreSpec:
    """A chore: its id, how many people it needs and the weekdays it applies on."""

    id: int
    people_needed: int
    weekdays: frozenset[int]


@dataclass(frozen=True)
class Assignment:
    """One filled slot: (meeting, chore, slot number) held by a participant (None: open)."""

    meeting_id: int
    chore_id: int
    slot_no: int
    participant_id: int | None


@dataclass
class History:
    """Counts before the period: done chores per person (and per person and chore), and the
    number of meetings each person could have taken a chore at."""

    done: Mapping[int, int] = field(default_factory=dict)
    opportunities: Mapping[int, int] = field(default_factory=dict)
    done_per_chore: Mapping[tuple[int, int], int] = field(default_factory=dict)


@dataclass(frozen=True)
class Problem:
    """A chore that needs more people than are expected at a meeting."""

    meeting_id: int
    chore_id: int
    needed: int
    expected: int


@dataclass(frozen=True)
class RotaResult:
    """New assignments to write, or the problems that stop the whole generation."""

    assignments: tuple[Assignment, ...]
    problems: tuple[Problem, ...]


def rate(done: int, opportunities: int) -> Fraction:
    """Done chores per meeting a person could have taken; newcomers (no meetings yet) rate 0."""
    return Fraction(done, opportunities) if opportunities > 0 else Fraction(0)


def applicable_chores(meeting: MeetingSpec, chores: Iterable[ChoreSpec]) -> list[ChoreSpec]:
    """The chores that apply on the meeting's weekday, in the given order."""
    return [chore for chore in chores if meeting.weekday in chore.weekdays]


def find_problems(
    meetings: Iterable[MeetingSpec],
    chores: Collection[ChoreSpec],
    expected: Mapping[int, Collection[int]],
) -> list[Problem]:
    """Chores needing more people than are expected at a meeting (the rota cannot be made)."""
    problems = []
    for meeting in meetings:
        count = len(set(expected.get(meeting.id, ())))
        for chore in applicable_chores(meeting, chores):
            if chore.people_needed > count:
                problems.append(Problem(meeting.id, chore.id, chore.people_needed, count))
    return problems


def generate_rota(
    meetings: Iterable[MeetingSpec],
    chores: Collection[ChoreSpec],
    expected: Mapping[int, Collection[int]],
    history: History,
    keep: Iterable[Assignment] = (),
    previous: Collection[tuple[int, int]] = (),
) -> RotaResult:
    """Fill the free slots of the meetings (in date order) fairly.

    `keep` are assignments that stay as they are (done or changed by hand); `previous` holds
    the (participant, chore) pairs of the meeting just before the period. Returns only the
    new assignments; when any chore needs more people than are expected, returns no
    assignments and the problems instead.
    """
    meetings = list(meetings)
    problems = find_problems(meetings, chores, expected)
    if problems:
        return RotaResult((), tuple(problems))
    done = Counter(history.done)
    opportunities = Counter(history.opportunities)
    per_chore = Counter(history.done_per_chore)
    kept_by_meeting: dict[int, list[Assignment]] = {}
    for kept in keep:
        kept_by_meeting.setdefault(kept.meeting_id, []).append(kept)
    previous_pairs = set(previous)
    result: list[Assignment] = []
    for meeting in meetings:
        people = sorted(set(expected.get(meeting.id, ())))
        rates = {p: rate(done[p], opportunities[p]) for p in people}
        kept_here = kept_by_meeting.get(meeting.id, [])
        new = _fill_meeting(meeting, chores, people, rates, per_chore, kept_here, previous_pairs)
        result.extend(new)
        held = [a for a in (*kept_here, *new) if a.participant_id is not None]
        for person in people:
            opportunities[person] += 1
        for assignment in held:
            done[assignment.participant_id] += 1
            per_chore[(assignment.participant_id, assignment.chore_id)] += 1
        previous_pairs = {(a.participant_id, a.chore_id) for a in held}
    return RotaResult(tuple(result), ())


def _fill_meeting(
    meeting: MeetingSpec,
    chores: Collection[ChoreSpec],
    people: list[int],
    rates: Mapping[int, Fraction],
    per_chore: Mapping[tuple[int, int], int],
    kept: list[Assignment],
    previous: set[tuple[int, int]],
) -> list[Assignment]:
    """Greedy fill of one meeting's free slots, then repairs until no rule can be improved."""
    occupied = {(a.chore_id, a.slot_no) for a in kept}
    load = Counter(a.participant_id for a in kept if a.participant_id is not None)
    holding = {(a.participant_id, a.chore_id) for a in kept if a.participant_id is not None}
    new: dict[tuple[int, int], int] = {}

    def fairness_key(person: int, chore_id: int):
        return (rates[person], per_chore.get((person, chore_id), 0), person)

    for chore in applicable_chores(meeting, chores):
        for slot_no in range(1, chore.people_needed + 1):
            if (chore.id, slot_no) in occupied:
                continue
            candidates = [p for p in people if (p, chore.id) not in holding]
            if not candidates:
                continue
            best = min(
                candidates,
                key=lambda p, c=chore.id: (
                    load[p],
                    rates[p],
                    (p, c) in previous,
                    *fairness_key(p, c)[1:],
                ),
            )
            new[(chore.id, slot_no)] = best
            load[best] += 1
            holding.add((best, chore.id))

    def move(slot: tuple[int, int], to: int) -> None:
        old = new[slot]
        holding.discard((old, slot[0]))
        load[old] -= 1
        new[slot] = to
        holding.add((to, slot[0]))
        load[to] += 1

    for _ in range(MAX_REPAIRS):
        if not _repair_once(new, people, rates, load, holding, previous, fairness_key, move):
            break
    return [Assignment(meeting.id, c, n, p) for (c, n), p in sorted(new.items())]


def _repair_once(new, people, rates, load, holding, previous, fairness_key, move) -> bool:
    """Apply one improvement; False when none is left.

    (a) a repeated chore goes to someone with fewer chores here who did not have it last time;
    (b) a repeated chore is swapped with another new assignment, repeating for neither;
    (c) a person with no chore here takes a new chore from someone with a higher rate.
    Each step lowers (repeats, sum of rates of the people holding chores), so this ends.
    """
    for (chore_id, slot_no), person in sorted(new.items()):
        if (person, chore_id) not in previous:
            continue
        others = [
            q
            for q in people
            if load[q] < load[person]
            and (q, chore_id) not in holding
            and (q, chore_id) not in previous
        ]
        if others:
            move(
                (chore_id, slot_no),
                min(others, key=lambda q: (load[q], *fairness_key(q, chore_id))),
            )
            return True
        for (other_chore, other_slot), other in sorted(new.items()):
            if other == person or other_chore == chore_id:
                continue
            if (other, chore_id) in holding or (person, other_chore) in holding:
                continue
            if (other, chore_id) in previous or (person, other_chore) in previous:
                continue
            holding.discard((person, chore_id))
            holding.discard((other, other_chore))
            new[(chore_id, slot_no)] = other
            new[(other_chore, other_slot)] = person
            holding.add((other, chore_id))
            holding.add((person, other_chore))
            return True
    idle = [p for p in people if load[p] == 0]
    for (chore_id, slot_no), holder in sorted(new.items()):
        if load[holder] != 1:
            continue
        better = [p for p in idle if rates[p] < rates[holder] and (p, chore_id) not in previous]
        if better:
            move((chore_id, slot_no), min(better, key=lambda p: fairness_key(p, chore_id)))
            return True
    return False
