"""The cell key method (consistent perturbation) for counts of people: pure functions.

As the ONS's `cell-key-perturbation` package (Census 2021) and the ABS's TableBuilder do it:

- every person-period has a random *record key* in 0..255, stored once (`RecordKey`);
- a cell's *cell key* is the sum of its contributors' record keys modulo 256, so the same
  people give the same cell key in every table, month, version, export and sum;
- the published value is the true value plus the deviation that the perturbation table
  (`PTABLE`) gives for (true value, cell key). Values of 5 and more share the row of 5.

The ONS package tabulates microdata with pandas; netvaerk counts in SQL, so only the lookup
is needed here, and it is this small function with its table.

The table's parameters (also in the README and the report's footnote):

- largest deviation 2, except that a true 3 may (rarely) be published as 0;
- variance 0.59 for values of 5 and more: 55 % unchanged, 2.3 % each moved by 2;
- unbiased for values of 5 and more; small values are biased on purpose: a true 1 is
  published as 0 nine times in ten (bias -0.72), 2 by -0.06, 3 by +0.25, 4 by +0.06;
- 1 and 2 are never published: a true 1 or 2 is published as 0, 3 or 4;
- zeros: a cell with no one in it has no key and stays 0 (the ONS and ABS rule); a published
  0 may stand for 0, 1, 2 or 3.

Why small values are so: an attacker who knows the table knows which true values a published
value can come from (`possible_true_values`). A true value at an end of that range is half
given away, and the other half can come from a sum or a difference with other figures. The
rows of 1-4 therefore put little weight on the deviations that leave the true value at an end
(the disclosure audit, `audit`, measures the result).
"""

from __future__ import annotations

from collections.abc import Iterable

KEY_RANGE = 256
LARGEST_ROW = 5

# (deviation, weight out of 256) per true value; the cell key picks the deviation whose
# cumulative weight interval holds it.
PTABLE: dict[int, tuple[tuple[int, int], ...]] = {
    0: ((0, 256),),
    1: ((-1, 232), (2, 24)),
    2: ((-2, 96), (1, 144), (2, 16)),
    3: ((-3, 8), (0, 176), (1, 56), (2, 16)),
    4: ((-1, 64), (0, 128), (1, 48), (2, 16)),
    5: ((-2, 6), (-1, 51), (0, 142), (1, 51), (2, 6)),
}
NEVER_PUBLISHED = (1, 2)
LARGEST_DEVIATION = 3


def cell_key(record_keys: Iterable[int]) -> int:
    """The cell key of a cell: its contributors' record keys added up modulo 256."""
    return sum(int(k) for k in record_keys) % KEY_RANGE


def add_keys(*cell_keys: int) -> int:
    """The cell key of the union of disjoint cells."""
    return sum(cell_keys) % KEY_RANGE


def _table_deviation(row: tuple[tuple[int, int], ...], position: int) -> int:
    for change, weight in row:
        if position < weight:
            return change
        position -= weight
    raise AssertionError("the weights of a row add up to 256")  # pragma: no cover


# The table spelled out: the deviation of each row (0..5) for each cell key (0..255), looked
# up rather than searched for every count of every network of a sum.
DEVIATIONS = tuple(
    tuple(_table_deviation(PTABLE[value], position) for position in range(KEY_RANGE))
    for value in range(LARGEST_ROW + 1)
)


def deviation(value: int, key: int) -> int:
    """The deviation that the perturbation table gives a true value for a cell key."""
    if value < 0:
        raise ValueError(f"a count cannot be negative: {value}")
    return DEVIATIONS[min(value, LARGEST_ROW)][int(key) % KEY_RANGE]


def perturb(value: int, key: int) -> int:
    """The published value of a count: true value plus the table's deviation."""
    return int(value) + deviation(int(value), key)


def possible_true_values(published: int) -> range:
    """What an attacker who knows the table (but no key) learns from a published value: the
    true values that can give it (always a run of consecutive integers)."""
    found = [
        value
        for value in range(max(0, published - 2), published + LARGEST_DEVIATION + 1)
        if any(value + change == published for change, _ in PTABLE[min(value, LARGEST_ROW)])
    ]
    if not found:
        return range(0)
    return range(found[0], found[-1] + 1)


def row_statistics(value: int) -> tuple[float, float, int]:
    """(bias, variance, largest absolute deviation) of the table's row for a true value."""
    row = PTABLE[min(value, LARGEST_ROW)]
    bias = sum(change * weight for change, weight in row) / KEY_RANGE
    variance = sum((change - bias) ** 2 * weight for change, weight in row) / KEY_RANGE
    return bias, variance, max(abs(change) for change, _ in row)
