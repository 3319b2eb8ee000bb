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
- Shares and means are computed from the published counts. Over fewer than 5 people they are
  not shown ("n<5"); neither are 0 % and 100 %, nor a mean at either end of its scale, over
  fewer than 10 ("×").

Coordinators see their own network's exact figures (`exact=True`): they know the people.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .ckm import perturb
from .figures import (
    RATIO_KINDS,
    cell_id,
    column_total_id,
    report_keys,
    report_values,
    subtotal_id,
)

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


def _ratio(figure: Mapping, published: Mapping[str, int], exact: bool):
    """(value, base) of a share or mean, from the published counts when protected."""
    num, den, base = figure["num"], figure["den"], figure.get("base", figure["den"])
    if exact:
        return (num / den if den else None), base
    refs = figure.get("refs", ())
    if figure["kind"] == "share" and len(refs) >= 2 and all(r in published for r in refs[:2]):
        num, den = published[refs[0]], published[refs[1]]
        return (min(num / den, 1.0) if den else None), den
    if figure.get("num_ref") in published:
        num = published[figure["num_ref"]]
    if figure.get("den_ref") in published:
        den = base = published[figure["den_ref"]]
    return (num / den if den else None), base


def _at_end(figure: Mapping, value: float) -> bool:
    """A share of 0 % or 100 %, or a mean at either end of its scale (or 0 without one)."""
    if figure["kind"] == "share":
        return value <= 0 or value >= 1
    low, high = figure.get("scale") or (0, None)
    return value <= low or (high is not None and value >= high)


def ratio_state(figure: Mapping, published: Mapping[str, int], exact: bool):
    """(value, state) of a share or mean: "shown", "none", SMALL or HIDDEN."""
    value, base = _ratio(figure, published, exact)
    if value is None:
        return None, "none"
    if exact:
        # The capability's own rule (the wheel's five people) holds for coordinators too.
        return (value, "shown") if base >= figure.get("min_base", 0) else (None, SMALL)
    if base < max(MIN_BASE, figure.get("min_base", 0)):
        return None, SMALL
    if base < MIN_EXTREME and _at_end(figure, value):
        return None, HIDDEN
    return value, "shown"


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
            if figure["kind"] in RATIO_KINDS:
                result.ratios[figure["key"]] = ratio_state(figure, published, exact)
                if any(ref in result.few for ref in figure.get("refs", ())):
                    result.ratios[figure["key"]] = (None, SMALL)
            if exact or not figure.get("table") or figure["kind"] in ("number", "hours"):
                continue
            base = figure.get("base", published.get(figure["key"], 0))
            if figure["kind"] == "count":
                base = published.get(figure["key"], 0)
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
