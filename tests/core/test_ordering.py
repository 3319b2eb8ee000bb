"""Moving an item one place in a hand-ordered list."""

from types import SimpleNamespace

from netvaerk.core.ordering import move_one_place


def _items(n):
    return [SimpleNamespace(name=k, position=k + 1) for k in range(n)]


def _order(items):
    return [item.name for item in sorted(items, key=lambda item: item.position)]


def test_an_item_moves_one_place_and_every_position_is_renumbered():
    items = _items(4)
    move_one_place(items, 2, -1)
    assert _order(items) == [0, 2, 1, 3]
    assert sorted(item.position for item in items) == [1, 2, 3, 4]
    ordered = sorted(items, key=lambda item: item.position)
    move_one_place(ordered, 1, +1)
    assert _order(items) == [0, 1, 2, 3]


def test_nothing_moves_past_either_end():
    items = _items(3)
    move_one_place(items, 0, -1)
    move_one_place(items, 2, +1)
    assert _order(items) == [0, 1, 2]
