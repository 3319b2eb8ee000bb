"""Shares and means as the reader sees them: what each is computed from, and its rounding.

Pure functions on plain data. A share or mean is `num / den`, and each of the two is one of:

- a **published count** (`num_ref`/`den_ref`, or a share's two `refs`): the value the page
  shows for that count (perturbed by the cell key method for the steering group);
- an exact **number** of things, not people (meetings held, facilitator hours): never
  perturbed, as on the page (`numbers=("den",)`);
- a **protected sum** (the points of an exit evaluation's question, the change of a wheel
  area, or a count shown nowhere else): perturbed here by the cell key method, with a key of
  its own (`num_key`/`den_key`, see `keys.with_keys`), exactly as strongly as a count.

The steering group's figure, and every "n<5" and "×" decision on it, is computed from those
values only, never from an exact count of people: a mean computed from the exact total and
the exact number of people, rounded and shown beside that number's perturbed count, leaves
only the true number (mean × n must be whole, within the rounding); that undid the
perturbation (issue 26). The decision "n<5" is taken on the published base (`base_ref`, else
the denominator), so that it tells nothing the page does not show.

We chose to compute from published values where the page already shows the count (a ratio
then says nothing that the counts do not), and to perturb the sums, which the page does not
show, with the same table as a count: a sum is not a count of people, but the same noise keeps
its differences across months and versions from naming a person's answer.

Each figure is rounded once (`rounded`), as the page shows it; the page, the print view, the
PDF, the CSV and the spreadsheet all carry that value, no extra digits. Coordinators see the
exact ratio of their own network, rounded alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from .ckm import perturb

# Decimals shown: a share as a fraction to 2 decimals (a whole percent), a mean to 1, hours
# to 2 (the page's formats "#,##0 %", "#,##0.0" and "#,##0.##").
SHOWN_DECIMALS = {"share": 2, "mean": 1, "hours": 2}
PARTS = ("num", "den")
PUBLISHED, NUMBER, PROTECTED, EXACT = "published", "number", "protected", "exact"
# Figures of months closed before their terms were declared (issue 26): what they rest on.
LEGACY = {"attendance.avg_present": {"base_ref": "attendance.attendees", "numbers": ["den"]}}
LEGACY_PREFIXES = {"wheel.change.": "wheel.people."}


def rounded(kind: str, value: float | None) -> float | None:
    """A figure as shown: rounded half to even to the decimals the page shows, as Babel does."""
    if value is None or kind not in SHOWN_DECIMALS:
        return value
    step = Decimal(1).scaleb(-SHOWN_DECIMALS[kind])
    return float(Decimal(repr(float(value))).quantize(step, rounding=ROUND_HALF_EVEN))


def half_unit(kind: str) -> float:
    """Half the last shown digit: how far the figure behind a shown one can lie from it."""
    return 0.5 * 10 ** -SHOWN_DECIMALS[kind]


def perturb_sum(value: float, key: int) -> int:
    """A sum (of answers' points or of changes, maybe negative) perturbed like a count."""
    whole = int(round(value))
    return perturb(whole, key) if whole >= 0 else -perturb(-whole, key)


@dataclass(frozen=True)
class Term:
    """One side of a ratio: where its value comes from (PUBLISHED, NUMBER, PROTECTED, or
    EXACT for coordinators), the id it stands for, and the value used."""

    source: str
    ref: str
    value: float


@dataclass(frozen=True)
class RatioTerms:
    """A share or mean as computed for its reader: its sides, its base, the shown value."""

    key: str
    kind: str
    num: Term
    den: Term
    base: Term
    value: float | None
    state: str
    clamp: tuple[float, float] | None


def spec(figure: Mapping) -> dict:
    """The figure's refs, with those of figures closed before they were declared."""
    found = {
        "num_ref": figure.get("num_ref"),
        "den_ref": figure.get("den_ref"),
        "base_ref": figure.get("base_ref"),
        "numbers": figure.get("numbers"),
    }
    refs = figure.get("refs", ())
    if figure["kind"] == "share" and len(refs) >= 2:
        found["num_ref"], found["den_ref"] = (
            found["num_ref"] or refs[0],
            found["den_ref"] or refs[1],
        )
    for name, value in LEGACY.get(figure.get("key", ""), {}).items():
        found[name] = found[name] or value
    for prefix, den_prefix in LEGACY_PREFIXES.items():
        if figure.get("key", "").startswith(prefix) and not found["den_ref"]:
            found["den_ref"] = den_prefix + figure["key"][len(prefix) :]
    if found["numbers"] is None:
        # A ratio with one side a published count and no word on the other: that side is a
        # number of things (meetings held, hours), as every such figure before issue 26.
        has = {part: bool(found[f"{part}_ref"]) for part in PARTS}
        found["numbers"] = [p for p in PARTS if not has[p]] if any(has.values()) else []
    return found


def terms(figure: Mapping, published: Mapping[str, int], exact: bool) -> tuple[Term, Term, Term]:
    """(num, den, base) of a ratio as its reader's figure is computed from them."""
    found, name = spec(figure), figure.get("key")
    sides = {}
    for part in PARTS:
        ref = found[f"{part}_ref"]
        if part in found["numbers"] and not ref:
            sides[part] = Term(NUMBER, f"{name}#{part}", figure[part])
        elif exact:
            sides[part] = Term(EXACT, ref or f"{name}#{part}", figure[part])
        elif ref and ref in published:
            sides[part] = Term(PUBLISHED, ref, published[ref])
        else:
            key = figure.get(f"{part}_key", 0)
            sides[part] = Term(PROTECTED, f"{name}#{part}", perturb_sum(figure[part], key))
    base_ref = found["base_ref"]
    if exact:
        base = Term(EXACT, base_ref or sides["den"].ref, figure.get("base", figure["den"]))
    elif base_ref and base_ref in published:
        base = Term(PUBLISHED, base_ref, published[base_ref])
    else:
        base = sides["den"]
    return sides["num"], sides["den"], base


def clamp_range(figure: Mapping) -> tuple[float, float] | None:
    """The range a shown share or mean is kept within: 0-100 %, or the ends of its scale
    (perturbed sides may put a ratio just outside it)."""
    if figure["kind"] == "share":
        return (0.0, 1.0)
    scale = figure.get("scale")
    return (float(scale[0]), float(scale[1])) if scale else None


def value_of(figure: Mapping, num: Term, den: Term) -> float | None:
    """The ratio of two sides, kept within its range and rounded as shown."""
    if not den.value:
        return None
    value = num.value / den.value
    limits = clamp_range(figure)
    if limits is not None:
        value = min(max(value, limits[0]), limits[1])
    return rounded(figure["kind"], value)
