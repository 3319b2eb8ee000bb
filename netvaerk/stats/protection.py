"""What the steering group sees of a report: perturbed counts, and only what they can protect.

Pure functions on plain data (no database, no request).

- Every count of people is published as `ckm.perturb(true value, cell key)`; totals are
  perturbed in their own right (their key is their cells' keys added up), never added up
  from perturbed cells (but see sums over networks below). Counts of things (meetings,
  chores, activities, hours) are exact.
- A single network's report keeps the headline figures: the breakdowns by readiness group,
  age band, housing area and outcome, the exit evaluation and the wheel of life are shown
  only over several networks, and only where the population behind them is at least
  `min_population` (a setting, 20 by default) in the published figures: a breakdown's
  column (active, started, left ...) is shown only when its own total reaches it.
- In a sum over networks, a count that each network's own report shows (a headline figure:
  active, started, left ...) is published as the sum of the networks' published values, not
  perturbed again: a second, independent perturbation of the same people beside each
  network's own figure is a second measurement of them, and where the other networks' counts
  sit at an end of their ranges (zeros always sit at the bottom of theirs) the sum pins the
  one that is left (the audit found a true 2 so). The sum so tells nothing the reader could
  not add up. Counts shown only over several networks (breakdown cells, the exit evaluation,
  the wheel of life) are perturbed in their own right, by the cell key of all their people,
  and shown as "<20" under `min_population`.
- Shares and means are computed from published values only (`ratios`): the published counts,
  numbers of things, and sums perturbed like a count; never from an exact count of people.
  Over fewer than 5 people (the published base) they are not shown ("n<5"); neither are
  0 %, 100 % and a mean at either end of its scale, over fewer than 10 ("×"). Whether a
  figure of a table is shown under `min_population` is decided on its published base too.

Coordinators see their own network's exact figures (`exact=True`): they know the people.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from . import ratios
from .ckm import perturb
from .figures import (
    RATIO_KINDS,
    cell_id,
    column_total_id,
    report_keys,
    report_values,
    subtotal_id,
)
from .ratios import RatioTerms

SMALL = "small"  # a share or mean over fewer than MIN_BASE people: "n<5"
FEW = "few"  # a count under the population of a sum over networks: "<20"
HIDDEN = "hidden"  # a 0 %, 100 % or scale-end mean over fewer than MIN_EXTREME: "×"
MIN_BASE = 5
MIN_EXTREME = 10
# Sections that are breakdowns in themselves: never in a single network's report.
BREAKDOWN_SECTIONS = ("evaluations", "wheel", "followup")
# Columns never shown to the steering group: a count "since the start" published every month
# beside the month's own count lets a reader difference the two series, and the noise of a
# long chain of such differences narrows down to the true values (the audit found it).
NOT_HEADLINE_COLUMNS = ("cumulative",)
CUMULATIVE_FIGURES = ("outcomes.work_or_education_share_cumulative",)


@dataclass
class Protection:
    """The figures of one report as its reader may see them."""

    exact: bool
    published: dict[str, int]
    ratios: dict[str, tuple[float | None, str]] = field(default_factory=dict)
    hidden_tables: set[str] = field(default_factory=set)
    hidden_sections: set[str] = field(default_factory=set)
    hidden_figures: set[str] = field(default_factory=set)
    # (table key, column): a column of a shown breakdown whose own total is under the
    # population (e.g. leavers by age band, beside the active by age band).
    hidden_columns: set[tuple[str, str]] = field(default_factory=set)
    # Counts of people of a sum over networks, perturbed in their own right, published under
    # `min_population`: shown as "<20".
    few: set[str] = field(default_factory=set)
    # Headline counts of a sum over networks: id -> each network's published value, whose
    # sum is the published value (see the module's docstring).
    derived: dict[str, tuple[int, ...]] = field(default_factory=dict)
    # Each share and mean with what it is computed from (`ratios`; read by the audit).
    ratio_terms: dict[str, RatioTerms] = field(default_factory=dict)
    min_population: int = 20


def publish_counts(
    sections: Sequence[Mapping], exact: bool, system: tuple[dict, set] | None = None
) -> dict[str, int]:
    """Every count of the report by id: exact, or personal counts perturbed by their keys.
    `system`: the report's `report_values`, if already computed."""
    values, exempt = system or report_values(sections)
    if exact:
        return dict(values)
    keys = report_keys(sections)
    return {
        key: value if key in exempt else perturb(value, keys.get(key, 0))
        for key, value in values.items()
    }


def _at_end(figure: Mapping, value: float) -> bool:
    """A share of 0 % or 100 %, or a mean at either end of its scale (or 0 without one)."""
    if figure["kind"] == "share":
        return value <= 0 or value >= 1
    low, high = figure.get("scale") or (0, None)
    return value <= low or (high is not None and value >= high)


def ratio_terms(figure: Mapping, published: Mapping[str, int], exact: bool) -> RatioTerms:
    """A share or mean as its reader sees it, and what it is computed from (`ratios`): for
    the steering group only published counts, numbers of things and protected sums, and the
    "n<5" and "×" decisions on the published base and the shown value."""
    num, den, base = ratios.terms(figure, published, exact)
    value = ratios.value_of(figure, num, den)
    if value is None:
        state = "none"
    elif exact:
        # The capability's own rule (the wheel's five people) holds for coordinators too.
        state = "shown" if base.value >= figure.get("min_base", 0) else SMALL
    elif base.value < max(MIN_BASE, figure.get("min_base", 0)):
        state = SMALL
    elif base.value < MIN_EXTREME and _at_end(figure, value):
        state = HIDDEN
    else:
        state = "shown"
    shown = value if state == "shown" else None
    return RatioTerms(
        figure.get("key", ""),
        figure["kind"],
        num,
        den,
        base,
        shown,
        state,
        ratios.clamp_range(figure),
    )


def ratio_state(figure: Mapping, published: Mapping[str, int], exact: bool):
    """(value, state) of a share or mean: "shown", "none", SMALL or HIDDEN."""
    found = ratio_terms(figure, published, exact)
    return found.value, found.state


def headline_sums(parts: Sequence[Sequence[Mapping]], min_population: int) -> dict:
    """The counts every network of a sum shows in its own report, by id, with each network's
    published value (`parts`: each network's sections, with their cell keys)."""
    shown = []
    for sections in parts:
        system = report_values(sections)
        own = protect(
            sections,
            exact=False,
            single_network=True,
            min_population=min_population,
            system=system,
        )
        shown.append((visible_counts(sections, own, system), own.published))
    common = set.intersection(*(ids for ids, _ in shown)) if shown else set()
    return {key: tuple(published[key] for _, published in shown) for key in sorted(common)}


def protect(
    sections: Sequence[Mapping],
    *,
    exact: bool,
    single_network: bool,
    min_population: int,
    parts: Sequence[Sequence[Mapping]] = (),
    derived: Mapping[str, tuple[int, ...]] | None = None,
    system: tuple[dict, set] | None = None,
) -> Protection:
    """Decide what the reader sees of a report (see the module's docstring); `parts`: each
    network's sections of a sum over networks; `derived`: the headline counts and the
    published values they add up, when given (a quarter or year, see `periods`); `system`:
    the report's `report_values`, if already computed."""
    system = system or report_values(sections)
    published = publish_counts(sections, exact, system)
    result = Protection(exact, published, min_population=min_population)
    if not exact and not single_network:
        exempt = system[1]
        result.derived = headline_sums(parts, min_population) if derived is None else dict(derived)
        published.update({key: sum(values) for key, values in result.derived.items()})
        result.few = {
            key
            for key, value in published.items()
            if key not in exempt and key not in result.derived and value < min_population
        }
    for section in sections:
        if not exact and section["key"] in BREAKDOWN_SECTIONS and single_network:
            result.hidden_sections.add(section["key"])
        for table in section.get("tables", ()):
            if exact or not table.get("personal", True):
                continue
            small = [
                column
                for column in table["columns"]
                if published.get(column_total_id(table, column), 0) < min_population
                or column in NOT_HEADLINE_COLUMNS
            ]
            if single_network or len(small) == len(table["columns"]):
                result.hidden_tables.add(table["key"])
            else:
                result.hidden_columns.update((table["key"], column) for column in small)
        for figure in section.get("figures", ()):
            if not exact and figure["key"] in CUMULATIVE_FIGURES:
                result.hidden_figures.add(figure["key"])
            base = published.get(figure["key"], 0)
            if figure["kind"] in RATIO_KINDS:
                found = ratio_terms(figure, published, exact)
                used = {*figure.get("refs", ()), found.num.ref, found.den.ref, found.base.ref}
                if any(ref in result.few for ref in used):
                    found = replace(found, value=None, state=SMALL)
                result.ratio_terms[figure["key"]] = found
                result.ratios[figure["key"]] = (found.value, found.state)
                base = found.base.value
            if exact or not figure.get("table") or figure["kind"] in ("number", "hours"):
                continue
            if base < min_population:
                result.hidden_figures.add(figure["key"])
    return result


def shown_columns(table: Mapping, protection: Protection) -> tuple[list[str], list[str]]:
    """(columns shown in the table, columns whose totals are shown as headline figures)."""
    if table["key"] in protection.hidden_tables:
        return [], [c for c in table["columns"] if c not in NOT_HEADLINE_COLUMNS]
    shown = [c for c in table["columns"] if (table["key"], c) not in protection.hidden_columns]
    headline = [c for c in table["columns"] if c not in shown and c not in NOT_HEADLINE_COLUMNS]
    return shown, headline


def visible_counts(
    sections: Sequence[Mapping], protection: Protection, system: tuple[dict, set] | None = None
) -> set[str]:
    """The ids of the counts of people the reader of a protected report sees (`system`: the
    report's `report_values`, if already computed)."""
    values, exempt = system or report_values(sections)
    seen: set[str] = set()
    for section in sections:
        if section["key"] in protection.hidden_sections:
            continue
        for table in section.get("tables", ()):
            if not table.get("personal", True):
                continue
            columns, headline = shown_columns(table, protection)
            for column in columns:
                seen.update(column_ids(table, column, rows=True))
            for column in headline:
                seen.update(column_ids(table, column, rows=False))
        for figure in section.get("figures", ()):
            if figure["kind"] == "count" and figure["key"] not in protection.hidden_figures:
                seen.add(figure["key"])
    return {key for key in seen if key in values and key not in exempt}


def column_ids(table: Mapping, column: str, rows: bool) -> list[str]:
    """The ids of a column's total and subtotals, and with `rows` its cells."""
    ids = [column_total_id(table, column)]
    ids += [subtotal_id(table, sub["key"], column) for sub in table.get("subtotals", ())]
    if rows:
        ids += [cell_id(table, row, column) for row in table["rows"]]
    return ids
