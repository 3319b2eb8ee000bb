"""Lists the staff put in order by hand (wheel areas, a form's questions)."""

from __future__ import annotations

from collections.abc import Sequence


def move_one_place(ordered: Sequence, index: int, step: int) -> None:
    """Move the item at `index` one place earlier (-1) or later (+1) and number every item's
    `position` from 1 in the new order; at either end nothing moves."""
    items = list(ordered)
    other = index + step
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
    for position, item in enumerate(items, start=1):
        item.position = position
