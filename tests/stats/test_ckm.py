"""The cell key method's lookup, tested as an attacker who knows the perturbation table."""

from hypothesis import given
from hypothesis import strategies as st

from netvaerk.stats import ckm

values = st.integers(min_value=0, max_value=500)
keys = st.integers(min_value=0, max_value=255)


def test_every_row_of_the_table_adds_up_to_256():
    for row in ckm.PTABLE.values():
        assert sum(weight for _change, weight in row) == ckm.KEY_RANGE


@given(values, keys)
def test_published_values_follow_the_documented_parameters(value, key):
    published = ckm.perturb(value, key)
    assert published >= 0
    assert published not in ckm.NEVER_PUBLISHED
    assert abs(published - value) <= (3 if value == 3 else 2)
    if value == 0:
        assert published == 0  # the zero rule: no one, no key, no noise


@given(values, keys)
def test_the_attacker_learns_a_range_that_holds_the_true_value(value, key):
    possible = ckm.possible_true_values(ckm.perturb(value, key))
    assert value in possible
    assert len(possible) >= 3  # never fewer than three candidates


@given(st.lists(keys, max_size=30), st.lists(keys, max_size=30))
def test_the_key_of_a_union_is_the_sum_of_the_keys(first, second):
    assert ckm.cell_key(first + second) == ckm.add_keys(ckm.cell_key(first), ckm.cell_key(second))


@given(values, keys)
def test_the_same_cell_key_gives_the_same_value(value, key):
    assert ckm.perturb(value, key) == ckm.perturb(value, key + ckm.KEY_RANGE)


def test_large_values_are_unbiased_with_variance_below_one():
    bias, variance, largest = ckm.row_statistics(40)
    assert bias == 0 and 0.5 < variance < 0.7 and largest == 2
    for value in (1, 2, 3, 4):
        assert ckm.row_statistics(value)[2] <= 3


def test_a_true_one_is_mostly_published_as_zero():
    published = [ckm.perturb(1, key) for key in range(ckm.KEY_RANGE)]
    assert published.count(0) > 0.8 * ckm.KEY_RANGE and set(published) == {0, 3}
