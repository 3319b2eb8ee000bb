"""A report as the reader sees it: labelled, protected, formatted in the reader's language.

The page, the print view and every export are built from `present_report`, so they all carry
the same figures: perturbed for the steering group, exact for a coordinator's own network.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, g
from flask_babel import format_date, format_decimal, format_percent, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..wheel.services import MIN_PEOPLE
from .capability_sections import WHEEL_TABLE
from .ckm import LARGEST_DEVIATION
from .figures import cell_id, column_total_id, grand_total_id, row_total_id, subtotal_id
from .followup_sections import IN_WORK_MEANING
from .protection import FEW, HIDDEN, MIN_BASE, MIN_EXTREME, SMALL, shown_columns
from .ratios import rounded
from .sections import section_by_key
from .services import Report


@dataclass(frozen=True)
class Shown:
    """One figure as shown: its kind, raw value (None when hidden) and state."""

    kind: str
    value: object
    state: str  # "shown", SMALL, HIDDEN or "none" (nothing to compute)

    @property
    def visible(self) -> bool:
        """True when the number itself may be shown."""
        return self.state == "shown"


def shown(kind: str, value, state: str) -> Shown:
    """A Shown whose value is dropped unless visible, so no template can leak it, and rounded
    as the page shows it, so that no export carries more digits (`ratios.rounded`)."""
    return Shown(kind, rounded(kind, value) if state == "shown" else None, state)


def display(item: Shown, threshold: int = MIN_BASE) -> str:
    """The text of a figure in the reader's language ("n<5", "×", "12", "38 %", "4,5")."""
    if item.state == "none":
        return "–"
    if item.state == SMALL:
        return _("n<%(n)d", n=threshold)
    if item.state == FEW:
        return _("<%(n)d", n=current_app.config.get("NETVAERK_MIN_POPULATION", 20))
    if item.state == HIDDEN:
        return "×"
    if item.kind == "share":
        return format_percent(item.value, "#,##0 %")
    if item.kind == "mean":
        return format_decimal(item.value, "#,##0.0")
    if item.kind == "hours":
        return format_decimal(item.value, "#,##0.##")
    return format_decimal(int(item.value))


def export_value(item: Shown) -> tuple[float | int | None, str]:
    """A figure for a spreadsheet column of numbers: (the number, "") when it is shown, a share
    in percent (40, not 0.4 or "40 %"); else (None, its mark: "n<5", "<20", "×" or "–"), for
    a column of its own (issue 29: marks as text in a number column)."""
    if not item.visible:
        return None, display(item)
    if item.kind == "share":
        return int(round(float(item.value) * 100)), ""
    if item.kind in ("mean", "hours"):
        return float(item.value), ""
    return int(item.value), ""


def export_label(label: str, item: Shown) -> str:
    """A row's label in an export: a share's says that its numbers are percentages."""
    return f"{label} (%)" if item.kind == "share" else label


def report_heading(report: Report) -> str:
    """ "Monthly statistics", "Quarterly statistics" or "Annual statistics" (a period report
    holds its `periods.period_code` in place of the month: -1..-4 a quarter, 0 the year)."""
    if report.month > 0:
        return _("Monthly statistics")
    if report.month < 0:
        return _("Quarterly statistics")
    return _("Annual statistics")


def month_name(year: int, month: int) -> str:
    """ "marts 2026" / "March 2026" in the reader's language."""
    from datetime import date

    return format_date(date(year, month, 1), "MMMM y")


# A quarter's or a year's page words what the sections name "the month" as the period
# (issue 29: "Aktive i måneden" on a quarter). Keyed by (section key, label key).
PERIOD_LABELS = {
    ("participants", "active"): _l("Active during the period"),
    ("participants", "left"): _l("Left during the period"),
    ("outcomes", "month"): _l("This period"),
    ("outcomes", "outcomes.work_or_education_share_month"): _l(
        "Share who left for work or education, this period"
    ),
    ("wheel", WHEEL_TABLE): _l(
        "Average change per area from intake, for those scored again in the period "
        "(shown when at least %(n)d people have two scorings)",
        n=MIN_PEOPLE,
    ),
}


def use_period_words() -> None:
    """Label the report of this request (a quarter or a year) with period words."""
    g.netvaerk_stats_period = True


def _label(section, key: str) -> str:
    if section is not None and g.get("netvaerk_stats_period"):
        period_label = PERIOD_LABELS.get((section.key, key))
        if period_label is not None:
            return str(period_label)
    if section is not None and key in section.labels:
        return str(section.labels[key])
    return key


def _reader_language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "da"


def _row_name(section, figure: dict, language: str) -> str:
    """A row label of a table of figures: frozen names in the reader's language, else labels."""
    names = figure.get("row_names") or {}
    return names.get(language) or names.get("da") or _label(section, figure["table"]["row"])


def _figure_tables(section, placed: list[tuple[dict, Shown]], language: str) -> list[dict]:
    """Figures placed in tables (`in_table`) arranged as tables: rows in order of appearance,
    a column a row has no figure for shows "–"."""
    grids: dict[str, dict] = {}
    for fig, item in placed:
        where = fig["table"]
        grid = grids.setdefault(where["key"], {"columns": [], "rows": {}})
        if where["column"] not in grid["columns"]:
            grid["columns"].append(where["column"])
        row = grid["rows"].setdefault(where["row"], {"label": None, "cells": {}})
        row["label"] = row["label"] or _row_name(section, fig, language)
        row["cells"][where["column"]] = item
    nothing = Shown("count", None, "none")
    return [
        {
            "key": key,
            "title": _label(section, key),
            "columns": [_label(section, c) for c in grid["columns"]],
            "rows": [
                (row["label"], [row["cells"].get(c, nothing) for c in grid["columns"]])
                for row in grid["rows"].values()
            ],
            "subtotals": [],
            "totals": None,
        }
        for key, grid in grids.items()
    ]


def _row_label(section, tbl: dict, row: str, report: Report) -> str:
    if section is not None and section.row_label is not None:
        return section.row_label(tbl["key"], row, report.network)
    return _label(section, row)


def _present_table(section, tbl: dict, report: Report, columns_shown: list[str]) -> dict:
    """One table of counts (the columns the reader may see) with its totals and subtotals."""
    published = report.published
    personal = tbl.get("personal", True)
    tbl = {**tbl, "columns": columns_shown}

    def cell(key: str) -> Shown:
        state = FEW if key in report.protection.few else "shown"
        return shown("count" if personal else "number", published.get(key, 0), state)

    columns = [_label(section, c) for c in tbl["columns"]]
    if tbl.get("row_totals"):
        columns.append(_("Total"))

    def line(row_key: str) -> list[Shown]:
        values = [cell(cell_id(tbl, row_key, c)) for c in tbl["columns"]]
        if tbl.get("row_totals"):
            values.append(cell(row_total_id(tbl, row_key)))
        return values

    totals = None
    if tbl.get("column_totals"):
        values = [cell(column_total_id(tbl, c)) for c in tbl["columns"]]
        if tbl.get("row_totals"):
            values.append(cell(grand_total_id(tbl)))
        totals = (_("Total"), values)
    return {
        "key": tbl["key"],
        "title": _label(section, tbl["key"]),
        "columns": columns,
        "rows": [(_row_label(section, tbl, row, report), line(row)) for row in tbl["rows"]],
        "subtotals": [
            (
                _label(section, sub["key"]),
                [cell(subtotal_id(tbl, sub["key"], c)) for c in tbl["columns"]],
            )
            for sub in tbl.get("subtotals", ())
        ],
        "totals": totals,
    }


def _headline(
    section, tbl: dict, report: Report, columns: list[str], seen: set[str]
) -> list[tuple[str, Shown]]:
    """Columns not shown to the reader leave their totals and subtotals as headline figures."""
    figures = []
    for column in columns:
        ids = [(column_total_id(tbl, column), _label(section, column))]
        for sub in tbl.get("subtotals", ()):
            label = f"{_label(section, sub['key'])} ({_label(section, column)})"
            ids.append((subtotal_id(tbl, sub["key"], column), label))
        for key, fallback in ids:
            if key in seen or key not in report.published:
                continue
            seen.add(key)
            label = _label(section, key) if section and key in section.labels else fallback
            state = FEW if key in report.protection.few else "shown"
            figures.append((label, shown("count", report.published[key], state)))
    return figures


def _figure_item(fig: dict, report: Report) -> Shown:
    if fig["kind"] in ("share", "mean"):
        value, state = report.protection.ratios[fig["key"]]
        return shown(fig["kind"], value, state)
    value = report.published.get(fig["key"], fig["value"])
    return shown(fig["kind"], value, FEW if fig["key"] in report.protection.few else "shown")


def present_report(report: Report) -> list[dict]:
    """The report's sections with labels and the reader's typed values (no text yet)."""
    protection = report.protection
    language = _reader_language()
    seen: set[str] = set()
    presented = []
    for raw in report.sections:
        if raw["key"] in protection.hidden_sections:
            continue
        section = section_by_key(raw["key"])
        tables, figures, placed = [], [], []
        for tbl in raw.get("tables", ()):
            columns, headline = shown_columns(tbl, protection)
            figures.extend(_headline(section, tbl, report, headline, seen))
            if columns:
                tables.append(_present_table(section, tbl, report, columns))
        for fig in raw.get("figures", ()):
            if fig["key"] in protection.hidden_figures:
                continue
            item = _figure_item(fig, report)
            if fig.get("table"):
                placed.append((fig, item))
            else:
                figures.append((_label(section, fig["key"]), item))
        tables.extend(_figure_tables(section, placed, language))
        presented.append(
            {
                "key": raw["key"],
                "title": str(section.title) if section is not None else raw["key"],
                "tables": tables,
                "figures": figures,
            }
        )
    return presented


def export_rows(report: Report) -> list[tuple[str, str, str, str, Shown]]:
    """The report flattened for the exports: (section, table, row, column, figure)."""
    rows = []
    for section in present_report(report):
        for label, item in section["figures"]:
            rows.append((section["title"], "", label, "", item))
        for tbl in section["tables"]:
            lines = [*tbl["rows"], *tbl["subtotals"]]
            if tbl["totals"]:
                lines.append(tbl["totals"])
            for label, values in lines:
                for column, item in zip(tbl["columns"], values, strict=True):
                    rows.append((section["title"], tbl["title"], label, column, item))
    return rows


def legend(threshold: int = MIN_BASE) -> list[tuple[str, str]]:
    """What the marks mean, for the page and every export."""
    return [
        (_("n<%(n)d", n=threshold), _("based on fewer than %(n)d people: not shown", n=threshold)),
        (
            _("<%(n)d", n=current_app.config.get("NETVAERK_MIN_POPULATION", 20)),
            _(
                "a count shown only over several networks or a quarter or year, under %(n)d: "
                "not shown",
                n=current_app.config.get("NETVAERK_MIN_POPULATION", 20),
            ),
        ),
        (
            "×",
            _(
                "0 %%, 100 %% or a mean at the end of its scale over fewer than %(n)d people: "
                "not shown",
                n=MIN_EXTREME,
            ),
        ),
        ("–", _("nothing to compute")),
    ]


def protection_note(report: Report) -> str | None:
    """The one plain sentence on a protected report, or None when the figures are exact."""
    if report.exact:
        return None
    return _(
        "The figures are adjusted slightly to protect individuals, so they may not add up exactly."
    )


def method_footnote() -> str:
    """The footnote on the perturbation's parameters (page, print view and exports)."""
    method = _(
        "Counts of people are adjusted by the cell key method: a count changes by at most 2 "
        "(a true 3 may rarely be shown as 0); counts of 5 and more are unchanged more than "
        "half of the time and right on average (variance 0.6); 1 and 2 are never shown, and 0 "
        "means 0 to %(n)d people. The same people always give the same figure.",
        n=LARGEST_DEVIATION,
    )
    sums = _(
        "Over several networks, a figure that each network shows is the sum of the networks' "
        "figures."
    )
    return f"{method} {sums} {IN_WORK_MEANING}"
