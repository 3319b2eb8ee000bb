"""The sections of the monthly report, and the registry through which capabilities add theirs.

How a capability adds a section (e.g. chores, once rotas exist)::

    from netvaerk.stats.sections import count, report_section, table

    @report_section("chores", title=_l("Chores"), order=40,
                    labels={"chores.by_chore": _l("Chores by kind"),
                            "assigned": _l("Assigned"), "done": _l("Done")})
    def chores_section(network_ids, first, last):
        rows = db.session.execute(
            select(ChoreAssignment.network_id, Chore.name,
                   func.count(), func.count(ChoreAssignment.done_at))
            .join(...).where(ChoreAssignment.network_id.in_(network_ids), ...)
            .group_by(ChoreAssignment.network_id, Chore.name)
        ).all()
        ...                       # arrange the grouped rows per network
        return {network_id: {"tables": [table("chores.by_chore", names, ["assigned", "done"],
                                               cells, personal=False)],
                              "figures": [count("chores.done", done)]}
                for network_id in network_ids}

Rules for a section function `(network_ids, first, last) -> {network_id: section}`:

- aggregate in the database (GROUP BY network_id, ...) with a fixed number of queries,
  whatever the number of networks or rows; return an entry for every network id asked for;
- return counts only, never a person: `table(...)` for breakdowns, `count` for counts of
  people, `number` for non-personal numbers (meetings held), `share` and `mean` for ratios
  (give `base`, the number of people behind it, and `refs`, the ids of the counts it is
  computed from), `hours` for amounts of work. Free text and individual scores never go in;
- figures that form a table (a mean per question, hours per activity type) are placed in one
  with `in_table(figure, table_key, row, column, row_names={"da": ..., "en": ...})`; the
  row names are frozen with the month and shown in the reader's language;
- keys are dotted and start with the section key; tables sharing a total name it in
  `total_ids` (see `participants`); labels for table, column, figure and fixed row keys go
  in `labels`; `row_label(table_key, row, network)` labels rows that depend on the network.

Suppression, closing (the section lands in the frozen snapshot), sums over networks, the
page, the CSV/XLSX/PDF exports and the trend (`trend_metric`) all pick it up from here.
Months closed before a section existed simply do not show it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from .ckm import KEY_RANGE

SectionFunction = Callable[[Sequence[int], date, date], dict[int, dict]]


@dataclass(frozen=True)
class ReportSection:
    """One registered section of the monthly report."""

    key: str
    title: object
    compute: SectionFunction
    order: int = 50
    labels: Mapping[str, object] = field(default_factory=dict)
    row_label: Callable[[str, str, object], str] | None = None


@dataclass(frozen=True)
class TrendMetric:
    """A figure drawn as a 12-month chart (the id of a count, total, share or mean)."""

    key: str
    label: object
    order: int = 50
    kind: str = "count"  # "share": entered and shown as a percentage (a target of 40 is 40 %)


REPORT_SECTIONS: list[ReportSection] = []
TREND_METRICS: list[TrendMetric] = []


def report_section(
    key: str,
    *,
    title,
    order: int = 50,
    labels: Mapping[str, object] | None = None,
    row_label: Callable[[str, str, object], str] | None = None,
):
    """Decorator: register a section function of the monthly report (idempotent)."""

    def register(func: SectionFunction) -> SectionFunction:
        if all(existing.key != key for existing in REPORT_SECTIONS):
            REPORT_SECTIONS.append(ReportSection(key, title, func, order, labels or {}, row_label))
            REPORT_SECTIONS.sort(key=lambda s: s.order)
        return func

    return register


def trend_metric(key: str, label, order: int = 50, kind: str = "count") -> None:
    """Register a figure (by id) to be drawn in the 12-month trend (idempotent); `kind` "share"
    for a share, whose targets are percentages."""
    if all(existing.key != key for existing in TREND_METRICS):
        TREND_METRICS.append(TrendMetric(key, label, order, kind))
        TREND_METRICS.sort(key=lambda m: m.order)


def section_by_key(key: str) -> ReportSection | None:
    """The registered section with this key."""
    return next((s for s in REPORT_SECTIONS if s.key == key), None)


# Building blocks of a section ------------------------------------------------------------


def loose_figures(figures_of: Mapping[int, list[dict]]) -> dict[int, dict]:
    """A section's result, network by network, when it has figures but no tables of its own
    (its figures may still sit in tables through `in_table`)."""
    return {
        network_id: {"tables": [], "figures": figures} for network_id, figures in figures_of.items()
    }


def table(
    key: str,
    rows: Sequence[str],
    columns: Sequence[str],
    cells: Sequence[Sequence[int]],
    *,
    column_totals: bool = True,
    row_totals: bool = False,
    total_ids: Mapping[str, str] | None = None,
    subtotals: Sequence[Mapping] = (),
    personal: bool = True,
    keys: Sequence[Sequence[int]] | None = None,
) -> dict:
    """A table of counts; `personal=False` for counts of things, not people (never perturbed).

    `keys`: the cell key of each cell of a table of people (see `ckm`)."""
    return {
        "key": key,
        "rows": [str(r) for r in rows],
        "columns": list(columns),
        "cells": [[int(v) for v in line] for line in cells],
        "column_totals": column_totals,
        "row_totals": row_totals,
        "total_ids": dict(total_ids or {}),
        "subtotals": [dict(s) for s in subtotals],
        "personal": personal,
        "keys": [[int(k) % KEY_RANGE for k in line] for line in keys] if keys else None,
    }


def count(key: str, value: int, ckey: int | None = None) -> dict:
    """A count of people (perturbed for the steering group); `ckey`: its cell key."""
    figure = {"key": key, "kind": "count", "value": int(value)}
    if ckey is not None:
        figure["ckey"] = int(ckey) % KEY_RANGE
    return figure


def number(key: str, value: int) -> dict:
    """A count of things, not people (meetings held): never perturbed."""
    return {"key": key, "kind": "number", "value": int(value)}


def share(key: str, num: int, den: int, *, refs: Sequence[str] = (), base: int | None = None):
    """A share num/den of people; `refs` are the ids of the counts num and den, from whose
    published values the steering group's share is computed."""
    return {
        "key": key,
        "kind": "share",
        "num": int(num),
        "den": int(den),
        "base": int(den if base is None else base),
        "refs": list(refs),
    }


def mean(
    key: str,
    num: float,
    den: int,
    *,
    base: int,
    refs: Sequence[str] = (),
    num_ref: str | None = None,
    den_ref: str | None = None,
    base_ref: str | None = None,
    numbers: Sequence[str] = (),
    scale: tuple[float, float] | None = None,
):
    """A mean num/den; `base` is the number of people it rests on.

    What the steering group's mean is computed from (see `ratios`): `num_ref`/`den_ref`, the
    count whose published value replaces num/den; `numbers`, the sides that are numbers of
    things, never perturbed ("num", "den"); any other side is a sum perturbed like a count.
    `base_ref`: the count whose published value decides "n<5" (else the denominator);
    `scale`: the ends of the scale (a mean at an end says everyone's answer)."""
    figure = {
        "key": key,
        "kind": "mean",
        "num": num,
        "den": int(den),
        "base": int(base),
        "refs": list(refs),
    }
    if num_ref:
        figure["num_ref"] = num_ref
    if den_ref:
        figure["den_ref"] = den_ref
    if base_ref:
        figure["base_ref"] = base_ref
    figure["numbers"] = list(numbers)
    if scale:
        figure["scale"] = [float(scale[0]), float(scale[1])]
    return figure


def hours(key: str, value) -> dict:
    """Hours of work (facilitator hours): a non-personal amount, never perturbed."""
    return {"key": key, "kind": "hours", "value": float(value or 0)}


def in_table(
    figure: dict,
    table_key: str,
    row: str,
    column: str,
    *,
    row_names: Mapping[str, str] | None = None,
    min_base: int = 0,
) -> dict:
    """Place a figure in a table of figures (`table_key`, one row per `row`, e.g. per area).

    `row_names` ({"da": ..., "en": ...}) label the row in the reader's language and are frozen
    with the month; `min_base` hides a share or mean resting on fewer people than this.
    """
    figure["table"] = {"key": table_key, "row": str(row), "column": column}
    if row_names:
        figure["row_names"] = {lang: str(name) for lang, name in row_names.items()}
    if min_base:
        figure["min_base"] = int(min_base)
    return figure


def merge_sections(sections: Sequence[Mapping]) -> dict:
    """Add up one section over several networks (cells, counts, numerators, denominators)."""
    merged: dict = {"key": sections[0]["key"], "tables": [], "figures": []}
    # Per table key: the merged table, where each row is, where each column is (looked up in
    # dicts: over hundreds of networks the rows are many).
    tables: dict[str, tuple[dict, dict[str, int], dict[str, int]]] = {}
    figures: dict[str, dict] = {}
    for section in sections:
        for tbl in section.get("tables", ()):
            found = tables.get(tbl["key"])
            if found is None:
                target = {**tbl, "rows": [], "cells": [], "keys": []}
                positions: dict[str, int] = {}
                for position, column in enumerate(target["columns"]):
                    positions.setdefault(column, position)
                found = tables[tbl["key"]] = (target, {}, positions)
                merged["tables"].append(target)
            target, row_index, positions = found
            keyed = tbl.get("keys") is not None and target.get("keys") is not None
            if not keyed:
                target["keys"] = None
            width = len(target["columns"])
            shared = [
                (c, positions[column])
                for c, column in enumerate(tbl["columns"])
                if column in positions
            ]
            for r, row in enumerate(tbl["rows"]):
                index = row_index.get(row)
                if index is None:
                    index = row_index[row] = len(target["rows"])
                    target["rows"].append(row)
                    target["cells"].append([0] * width)
                    if target.get("keys") is not None:
                        target["keys"].append([0] * width)
                line, cells = target["cells"][index], tbl["cells"][r]
                for c, position in shared:
                    line[position] += cells[c]
                if keyed:
                    keys, cell_keys = target["keys"][index], tbl["keys"][r]
                    for c, position in shared:
                        keys[position] = (keys[position] + cell_keys[c]) % KEY_RANGE
        for fig in section.get("figures", ()):
            target = figures.get(fig["key"])
            if target is None:
                figures[fig["key"]] = dict(fig)
                merged["figures"].append(figures[fig["key"]])
                continue
            for name in ("value", "num", "den", "base"):
                if name in fig:
                    target[name] = target.get(name, 0) + fig[name]
            for name in ("num_ref", "den_ref", "base_ref"):
                if target.get(name) != fig.get(name):
                    # Months closed before and after a figure's refs were declared: the
                    # rules for figures without them hold for the sum (`ratios.spec`).
                    target.pop(name, None)
            for name in ("num_key", "den_key"):
                if name in target:
                    target[name] = (target[name] + fig.get(name, 0)) % KEY_RANGE
            if "ckey" in target:
                if "ckey" in fig:
                    target["ckey"] = (target["ckey"] + fig["ckey"]) % KEY_RANGE
                else:
                    del target["ckey"]
    return merged


def month_parameters(network_ids: Sequence[int], first: date, last: date) -> dict:
    """The values of a section's statement built once (see `core.statements`): the networks,
    the month's first and last day (the last counted), its year and month."""
    return {
        "network_ids": list(network_ids),
        "first": first,
        "last": last,
        "year": first.year,
        "month": first.month,
    }
