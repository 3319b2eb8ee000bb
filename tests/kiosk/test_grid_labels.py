"""Names on the kiosk grid: short, and never two buttons that look the same."""

from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from netvaerk.kiosk.services import grid_labels


def person(pid, first, last):
    return SimpleNamespace(id=pid, first_name=first, last_name=last)


def test_first_name_and_last_initial_when_that_is_enough():
    labels = grid_labels([person(1, "Amina", "Hassan"), person(2, "Bo", "Hansen")])
    assert labels == {1: "Amina H.", 2: "Bo H."}


def test_same_first_name_and_initial_get_more_letters():
    labels = grid_labels(
        [person(1, "Ahmed", "Hassan"), person(2, "Ahmed", "Husseini"), person(3, "Ahmed", "Ali")]
    )
    assert labels == {1: "Ahmed Ha.", 2: "Ahmed Hu.", 3: "Ahmed A."}


def test_identical_names_are_numbered():
    labels = grid_labels([person(1, "Sara", "Jensen"), person(2, "Sara", "Jensen")])
    assert labels == {1: "Sara Jensen", 2: "Sara Jensen (2)"}


names = st.text(alphabet="abcæøåABC", min_size=1, max_size=6)


@given(st.lists(st.tuples(names, names), min_size=1, max_size=12))
def test_labels_are_always_distinct(pairs):
    people = [person(i, first, last) for i, (first, last) in enumerate(pairs)]
    labels = grid_labels(people)
    assert len(set(labels.values())) == len(people)
