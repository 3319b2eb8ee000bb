"""The numbers of a report by id, their cell keys, and the relations between them.

Pure functions on plain data. A report is a list of *sections*; a section holds *tables* of
counts (with row totals, column totals and subtotals) and single *figures* (counts, shares,
means, and non-personal numbers such as meetings held). Every number gets an id. Tables turn
into linear *relations* (`total = part + part + ...`); tables that share a total (the month's
breakdowns by readiness group, age band and housing area all add up to the same "active",
"new" and "left") name the same id for it.

A table may carry `keys`, the cell key of each cell (see `ckm`); a total's key is the sum of
its cells' keys, as its contributors are theirs put together.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .ckm import KEY_RANGE

RATIO_KINDS = ("share", "mean")

Relation = tuple[str, tuple[str, ...]]  # (total, parts): total = sum(parts)

SEP = "\x1f"  # ids only need to be unique; this never occurs in a row or column key


def cell_id(table: Mapping, row: str, column: str) -> str:
    """The id of one cell of a table."""
    return SEP.join((table["key"], str(row), str(column)))


def column_total_id(table: Mapping, column: str) -> str:
    """The id of a column total; tables sharing a total name it in `total_ids`."""
    return table.get("total_ids", {}).get(column) or cell_id(table, "*", column)


def row_total_id(table: Mapping, row: str) -> str:
    """The id of a row total."""
    return cell_id(table, row, "*")


def grand_total_id(table: Mapping) -> str:
    """The id of the table's grand total (only with both row and column totals)."""
    return table.get("total_ids", {}).get("*") or cell_id(table, "*", "*")


def subtotal_id(table: Mapping, subtotal: str, column: str) -> str:
    """The id of a subtotal (a named group of rows) in one column."""
    return cell_id(table, "+" + subtotal, column)


def table_values(table: Mapping, matrix: str = "cells") -> dict[str, int]:
    """Every number a table shows, by id: cells, totals and subtotals.

    With `matrix="keys"`, the cell keys of the same numbers instead (totals add up modulo
    256); a table without keys gives {}.
    """
    rows, columns = table["rows"], table["columns"]
    cells = table.get(matrix)
    if cells is None:
        return {}
    modulo = KEY_RANGE if matrix == "keys" else None

    def total(numbers) -> int:
        added = sum(map(int, numbers))
        return added % modulo if modulo else added

    # Ids built from one prefix per row (`cell_id`, inlined: this runs for every table of
    # every network of a sum over hundreds of them).
    values: dict[str, int] = {}
    row_totals = table.get("row_totals")
    names = [str(column) for column in columns]
    for r, row in enumerate(rows):
        line = cells[r]
        prefix = f"{table['key']}{SEP}{row}{SEP}"
        for c, name in enumerate(names):
            values[prefix + name] = int(line[c])
        if row_totals:
            values[prefix + "*"] = total(line)
    if table.get("column_totals"):
        lines = cells[: len(rows)]
        for c, column in enumerate(columns):
            values[column_total_id(table, column)] = total(line[c] for line in lines)
        if row_totals:
            values[grand_total_id(table)] = total(v for line in cells for v in line)
    index = {row: r for r, row in enumerate(rows)}
    for sub in table.get("subtotals", ()):
        members = [cells[index[row]] for row in sub["rows"] if row in index]
        for c, column in enumerate(columns):
            values[subtotal_id(table, sub["key"], column)] = total(line[c] for line in members)
    return values


def table_relations(table: Mapping) -> list[Relation]:
    """The additive relations a table publishes (row, column, grand totals and subtotals)."""
    rows, columns = table["rows"], table["columns"]
    relations: list[Relation] = []
    if table.get("row_totals"):
        for row in rows:
            relations.append(
                (row_total_id(table, row), tuple(cell_id(table, row, col) for col in columns))
            )
    if table.get("column_totals"):
        for column in columns:
            relations.append(
                (column_total_id(table, column), tuple(cell_id(table, r, column) for r in rows))
            )
        if table.get("row_totals") and rows and columns:
            grand = grand_total_id(table)
            relations.append((grand, tuple(row_total_id(table, row) for row in rows)))
            relations.append((grand, tuple(column_total_id(table, col) for col in columns)))
    for sub in table.get("subtotals", ()):
        for column in columns:
            relations.append(
                (
                    subtotal_id(table, sub["key"], column),
                    tuple(cell_id(table, row, column) for row in sub["rows"] if row in rows),
                )
            )
    return [(total, parts) for total, parts in relations if parts]


def report_system(
    sections: Iterable[Mapping],
) -> tuple[dict[str, int], list[Relation], set[str]]:
    """All counts of a report by id, the relations between them, and the non-personal ids."""
    return _system(sections, with_relations=True)


def report_values(sections: Iterable[Mapping]) -> tuple[dict[str, int], set[str]]:
    """All counts of a report by id and the non-personal ids (`report_system` without the
    relations, for a reader of the report)."""
    values, _relations, exempt = _system(sections, with_relations=False)
    return values, exempt


def _system(sections, with_relations: bool):
    values: dict[str, int] = {}
    relations: list[Relation] = []
    exempt: set[str] = set()
    for section in sections:
        for table in section.get("tables", ()):
            table_vals = table_values(table)
            values.update(table_vals)
            if with_relations:
                relations.extend(table_relations(table))
            if not table.get("personal", True):
                exempt.update(table_vals)
        for figure in section.get("figures", ()):
            if figure["kind"] in ("count", "number"):
                values[figure["key"]] = int(figure["value"])
                if figure["kind"] == "number":
                    exempt.add(figure["key"])
    return values, relations, exempt


def report_keys(sections: Iterable[Mapping]) -> dict[str, int]:
    """The cell key of every personal count of a report that has one, by id."""
    keys: dict[str, int] = {}
    for section in sections:
        for table in section.get("tables", ()):
            if table.get("personal", True):
                keys.update(table_values(table, "keys"))
        for figure in section.get("figures", ()):
            if figure["kind"] == "count" and figure.get("ckey") is not None:
                keys[figure["key"]] = int(figure["ckey"])
    return keys


def personal_ids(sections: Iterable[Mapping]) -> list[str]:
    """The ids of every count of people in a report (cells, totals, subtotals, counts)."""
    values, exempt = report_values(sections)
    return [key for key in values if key not in exempt]
