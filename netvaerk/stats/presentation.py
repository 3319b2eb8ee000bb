"""A report as the reader sees it: labelled, suppressed, formatted in the reader's language.

The page, the print view and every export are built from `present_report`, so they all carry
the same suppressed figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import format_date, format_decimal, format_percent, get_locale
from flask_babel import gettext as _

from .sections import section_by_key
from .services import Report
from .suppression import (
    HIDDEN,
    SMALL,
    cell_id,
    column_total_id,
    grand_total_id,
    row_total_id,
    subtotal_id,
)


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
    """A Shown whose value is dropped unless visible, so no template can leak it."""
    return Shown(kind, value if state == "shown" else None, state)


def display(item: Shown, threshold: int) -> str:
    """The text of a figure in the reader's language ("<5", "×", "12", "38 %", "4,5")."""
    if item.state == "none":
        return "–"
    if item.state == SMALL:
        if item.kind in ("share", "mean"):
            return _("n<%(n)d", n=threshold)
        return _("<%(n)d", n=threshold)
    if item.state == HIDDEN:
        return "×"
    if item.kind == "share":
        return format_percent(item.value, "#,##0 %")
    if item.kind == "mean":
        return format_decimal(item.value, "#,##0.0")
    if item.kind == "hours":
        return format_decimal(item.value, "#,##0.##")
    return format_decimal(int(item.value))


def month_name(year: int, month: int) -> str:
    """ "marts 2026" / "March 2026" in the reader's language."""
    from datetime import date

    return format_date(date(year, month, 1), "MMMM y")


def _label(section, key: str) -> str:
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


def present_report(report: Report) -> list[dict]:
    """The report's sections with labels and suppressed, typed values (no text yet)."""
    hidden, counts = report.hidden, report.counts
    language = _reader_language()

    def cell(key: str, personal: bool = True) -> Shown:
        return shown(
            "count" if personal else "number", counts.get(key, 0), hidden.get(key, "shown")
        )

    presented = []
    for raw in report.sections:
        section = section_by_key(raw["key"])
        tables = []
        for tbl in raw.get("tables", ()):
            personal = tbl.get("personal", True)
            columns = [_label(section, c) for c in tbl["columns"]]
            if tbl.get("row_totals"):
                columns.append(_("Total"))

            def line(row_key: str, tbl=tbl, personal=personal) -> list[Shown]:
                values = [cell(cell_id(tbl, row_key, c), personal) for c in tbl["columns"]]
                if tbl.get("row_totals"):
                    values.append(cell(row_total_id(tbl, row_key), personal))
                return values

            rows = []
            for row in tbl["rows"]:
                label = (
                    section.row_label(tbl["key"], row, report.network)
                    if section is not None and section.row_label is not None
                    else _label(section, row)
                )
                rows.append((label, line(row)))
            subtotals = [
                (
                    _label(section, sub["key"]),
                    [cell(subtotal_id(tbl, sub["key"], c), personal) for c in tbl["columns"]],
                )
                for sub in tbl.get("subtotals", ())
            ]
            totals = None
            if tbl.get("column_totals"):
                values = [cell(column_total_id(tbl, c), personal) for c in tbl["columns"]]
                if tbl.get("row_totals"):
                    values.append(cell(grand_total_id(tbl), personal))
                totals = (_("Total"), values)
            tables.append(
                {
                    "key": tbl["key"],
                    "title": _label(section, tbl["key"]),
                    "columns": columns,
                    "rows": rows,
                    "subtotals": subtotals,
                    "totals": totals,
                }
            )
        figures = []
        placed = []
        for fig in raw.get("figures", ()):
            if fig["kind"] in ("share", "mean"):
                value = fig["num"] / fig["den"] if fig["den"] else None
                state = hidden.get(fig["key"], "shown") if fig["den"] else "none"
            else:
                value, state = fig["value"], hidden.get(fig["key"], "shown")
            item = shown(fig["kind"], value, state)
            if fig.get("table"):
                placed.append((fig, item))
            else:
                figures.append((_label(section, fig["key"]), item, fig))
        tables.extend(_figure_tables(section, placed, language))
        presented.append(
            {
                "key": raw["key"],
                "title": str(section.title) if section is not None else raw["key"],
                "tables": tables,
                "figures": [(label, item) for label, item, _fig in figures],
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


def legend(threshold: int) -> list[tuple[str, str]]:
    """What the marks mean, for the page and every export."""
    return [
        (
            _("<%(n)d", n=threshold),
            _(
                "between 1 and %(m)d people: hidden so that nobody can be recognised",
                m=threshold - 1,
            ),
        ),
        ("×", _("hidden so that a small number cannot be worked out from the totals")),
        (_("n<%(n)d", n=threshold), _("based on fewer than %(n)d people: not shown", n=threshold)),
        ("–", _("nothing to compute")),
    ]
