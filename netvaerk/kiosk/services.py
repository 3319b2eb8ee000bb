"""Rules of the kiosk screen that need no request."""

from collections import defaultdict


def grid_labels(people) -> dict[int, str]:
    """The name on each resident's button: first name and last initial, as short as possible.

    Where two residents would get the same label ("Ahmed H."), each gets as many letters of
    the last name as it takes to tell them apart, up to the whole last name; residents whose
    whole names are the same keep them and a number ("Ahmed Hassan (2)").
    """
    labels: dict[int, str] = {}
    groups: dict[str, list] = defaultdict(list)
    for person in people:
        groups[person.first_name.strip().casefold()].append(person)
    for same_first in groups.values():
        seen: dict[str, int] = defaultdict(int)
        for person in same_first:
            label = _label(person, _letters_needed(person, same_first))
            seen[label.casefold()] += 1
            count = seen[label.casefold()]
            labels[person.id] = label if count == 1 else f"{label} ({count})"
    return labels


def _letters_needed(person, same_first) -> int:
    """The fewest letters of the last name that no other resident's last name starts with."""
    last = person.last_name.strip().casefold()
    others = [p.last_name.strip().casefold() for p in same_first if p is not person]
    for letters in range(1, len(last) + 1):
        if all(other[:letters] != last[:letters] for other in others):
            return letters
    return len(last)


def _label(person, letters: int) -> str:
    last = person.last_name.strip()
    if not last:
        return person.first_name.strip()
    shown = last[:letters]
    return f"{person.first_name.strip()} {shown}{'.' if len(shown) < len(last) else ''}"


# How long the confirmation stays at its own URL (a reload within it shows it again).
CONFIRMATION_SECONDS = 120


def confirmation_is_fresh(done, participant_id: int, now_utc) -> bool:
    """True when `done` (what the check-in left in the session) confirms this resident now."""
    if not isinstance(done, dict) or done.get("participant") != participant_id:
        return False
    age = now_utc.timestamp() - float(done.get("at", 0))
    return 0 <= age <= CONFIRMATION_SECONDS
