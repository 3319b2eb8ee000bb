"""Quarterly and yearly reports, built from the closed months' frozen figures.

A quarter or a year is computed from its months' snapshots (`MonthlyReport.figures`), so it is
as frozen as they are: a late change shows up only when a coordinator reopens a month, and
then in that month, its quarter and its year alike. Its figures are defined so:

- *stocks* (the "active" columns, and "since the start") are those at the period's end: the
  last month's cells and cell keys, so the same people give the same figure as in that month;
- everything else is added up over the months: the flows (started, left, left into work or
  education, exit evaluations) and the monthly counts (attendance, chores, activities, hours,
  people scored again), with their cell keys added up as well (a count's key is still the sum
  of its contributors' record keys, each month's contributors counted once per month).

What the steering group sees follows `protection` as over several networks: the breakdowns
(readiness group, age band, housing area, outcome, exit evaluation, wheel of life) are shown,
for one network too, only where the published population behind them reaches
`NETVAERK_MIN_POPULATION`; a count shown in every month's own report (a headline figure) is
published as the sum of the months' (and networks') published values at the period's end or
over its months, never perturbed a second time; every other count of people is perturbed by
the cell key of its contributors, and shown as "<20" under the population.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .figures import column_total_id, subtotal_id
from .keys import with_keys
from .protection import protect, visible_counts
from .services import Report, Snapshot, _secret, figures_for, min_population, sum_figures

STOCK_COLUMNS = ("active", "cumulative")  # a period shows them at its end


def period_months(year: int, quarter: int | None) -> list[tuple[int, int]]:
    """The months of a quarter (1-4), or of the year when `quarter` is None."""
    if quarter is None:
        return [(year, m) for m in range(1, 13)]
    return [(year, m) for m in range(3 * quarter - 2, 3 * quarter + 1)]


def period_code(quarter: int | None) -> int:
    """The period in the place of a month in a report and the audit: -1..-4 a quarter, 0 the
    year (never a real month)."""
    return -quarter if quarter else 0


def is_closed(network_ids: Sequence[int], year: int, quarter: int | None, closed) -> bool:
    """True when every network has closed every month of the period."""
    return all((n, y, m) in closed for n in network_ids for y, m in period_months(year, quarter))


def closed_periods(network_ids: Sequence[int], closed) -> list[tuple[int, int | None]]:
    """Every quarter and year all the networks have closed, oldest first, a year after its
    quarters (`closed`: the networks' snapshots, from `services.closed_reports`)."""
    years = sorted({y for _n, y, _m in closed})
    found = []
    for year in years:
        for quarter in (1, 2, 3, 4, None):
            if is_closed(network_ids, year, quarter, closed):
                found.append((year, quarter))
    return found


def _stock_column(table: dict, column: str, last: dict | None) -> None:
    """Replace a column of a summed table by the last month's (cells and keys)."""
    c = table["columns"].index(column)
    rows = last["rows"] if last else []
    for r, row in enumerate(table["rows"]):
        source = rows.index(row) if row in rows and column in last["columns"] else None
        lc = last["columns"].index(column) if source is not None else None
        table["cells"][r][c] = last["cells"][source][lc] if source is not None else 0
        if table.get("keys") is not None:
            keys = last.get("keys")
            table["keys"][r][c] = keys[source][lc] if source is not None and keys else 0


def period_sections(monthly: Sequence[Sequence[dict]]) -> list[dict]:
    """One network's sections of a period from its months' keyed sections (oldest first)."""
    summed = sum_figures([{"sections": sections} for sections in monthly])
    last_tables = {t["key"]: t for section in monthly[-1] for t in section.get("tables", ())}
    for section in summed:
        for table in section.get("tables", ()):
            for column in STOCK_COLUMNS:
                if column in table["columns"]:
                    _stock_column(table, column, last_tables.get(table["key"]))
    return summed


def stock_ids(sections: Sequence[dict]) -> set[str]:
    """The ids of a period's counts at its end (cells, totals, subtotals of stock columns)."""
    ids: set[str] = set()
    for section in sections:
        for table in section.get("tables", ()):
            for column in STOCK_COLUMNS:
                if column not in table["columns"]:
                    continue
                ids.add(column_total_id(table, column))
                ids.update(subtotal_id(table, s["key"], column) for s in table.get("subtotals", ()))
                ids.update(f"{table['key']}\x1f{row}\x1f{column}" for row in table["rows"])
    return ids


def headline_sums(monthly_by_network, stocks: set[str], population: int) -> dict:
    """The counts every month of every network shows in its own report, by id, with the
    published values they add up: the last month's for a stock, every month's for a flow."""
    shown = []
    for monthly in monthly_by_network:
        own = []
        for sections in monthly:
            protection = protect(
                sections, exact=False, single_network=True, min_population=population
            )
            own.append((visible_counts(sections, protection), protection.published))
        shown.append(own)
    common = set.intersection(*(ids for own in shown for ids, _ in own))
    return {
        key: tuple(
            value
            for own in shown
            for value in ([own[-1][1][key]] if key in stocks else [p[key] for _, p in own])
        )
        for key in sorted(common)
    }


@dataclass
class PeriodReport(Report):
    """A quarter's or a year's report (`month` holds `period_code`)."""

    quarter: int | None = None
    per_network: dict | None = None

    @property
    def first_day(self) -> date:
        """The first day of the period."""
        return date(self.year, period_months(self.year, self.quarter)[0][1], 1)


def build_period_report(
    networks, year: int, quarter: int | None, *, exact: bool, closed=None, today=None
) -> PeriodReport:
    """The report of one network or the sum of several over a quarter or a year: exact, or
    protected (see the module's docstring). `closed`: the networks' snapshots of the months;
    a month not closed is computed live (for a coordinator's exact figures only)."""
    secret, months = _secret(), period_months(year, quarter)
    ids = [n.id for n in networks]
    monthly: dict[int, list[list[dict]]] = {i: [] for i in ids}
    snapshots: dict[int, Snapshot] = {}
    for y, m in months:
        figures, found = figures_for(ids, y, m, closed, today)
        for i in ids:
            monthly[i].append(with_keys(figures[i], i, secret)["sections"])
        snapshots.update({i: s for i, s in found.items() if (y, m) == months[-1]})
    per_network = {i: period_sections(monthly[i]) for i in ids}
    sections = (
        per_network[ids[0]]
        if len(ids) == 1
        else sum_figures([{"sections": per_network[i]} for i in ids])
    )
    population = min_population()
    derived = None
    if not exact:
        derived = headline_sums([monthly[i] for i in ids], stock_ids(sections), population)
    protection = protect(
        sections,
        exact=exact,
        single_network=exact,
        min_population=population,
        derived=derived,
    )
    return PeriodReport(
        year,
        period_code(quarter),
        list(networks),
        sections,
        protection,
        snapshots,
        quarter=quarter,
        per_network=per_network,
    )
