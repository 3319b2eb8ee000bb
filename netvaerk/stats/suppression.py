"""Anonymisation of a report: which figures are hidden (primary and secondary suppression).

Pure functions on plain data; no database, no request, no Flask.

A report is a list of *sections*; a section holds *tables* of counts (with row totals, column
totals and subtotals) and single *figures* (counts, shares, means, and non-personal numbers
such as meetings held). Every number gets an id. Tables turn into linear *relations*
(`total = part + part + ...`); tables that share a total (the month's breakdowns by readiness
group, age band and housing area all add up to the same "active", "new" and "left") name the
same id for it, so one system of relations spans the whole report.

What a reader can know: every visible number, every relation, that counts are non-negative
integers, and that "<5" means 1..threshold-1 (zero is shown as 0). The guarantees:

1. no visible count lies in 1..threshold-1 (primary suppression);
2. no hidden count is determined by the visible numbers through the relations (secondary
   suppression, checked by exact linear algebra over the whole report, so differencing
   across tables that share a total is covered too). Hidden counts are never 0, so each
   hidden count also has a second non-negative solution;
3. within one relation whose total is visible, the hidden parts never add up to exactly the
   smallest or largest sum their "<5" marks allow (e.g. two "<5" adding up to 2 would both
   be 1);
4. a share or mean is hidden when it rests on fewer than `threshold` people or when a count
   it is computed from is hidden (else the ratio would give the count back).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

SMALL = "small"  # a count in 1..threshold-1, or a ratio resting on fewer people: shown "<5"
HIDDEN = "hidden"  # hidden so that a small count cannot be worked out: shown "×"

RATIO_KINDS = ("share", "mean")

Relation = tuple[str, tuple[str, ...]]  # (total, parts): total = sum(parts)

_SEP = "\x1f"  # ids only need to be unique; this never occurs in a row or column key
_PRIME = (1 << 61) - 1  # exact enough: the relations have coefficients 0 and ±1


def cell_id(table: Mapping, row: str, column: str) -> str:
    """The id of one cell of a table."""
    return _SEP.join((table["key"], str(row), str(column)))


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


def table_values(table: Mapping) -> dict[str, int]:
    """Every number a table shows, by id: cells, totals and subtotals."""
    rows, columns, cells = table["rows"], table["columns"], table["cells"]
    values: dict[str, int] = {}
    for r, row in enumerate(rows):
        for c, column in enumerate(columns):
            values[cell_id(table, row, column)] = int(cells[r][c])
        if table.get("row_totals"):
            values[row_total_id(table, row)] = sum(int(v) for v in cells[r])
    if table.get("column_totals"):
        for c, column in enumerate(columns):
            values[column_total_id(table, column)] = sum(int(cells[r][c]) for r in range(len(rows)))
        if table.get("row_totals"):
            values[grand_total_id(table)] = sum(int(v) for line in cells for v in line)
    index = {row: r for r, row in enumerate(rows)}
    for sub in table.get("subtotals", ()):
        members = [index[row] for row in sub["rows"] if row in index]
        for c, column in enumerate(columns):
            values[subtotal_id(table, sub["key"], column)] = sum(int(cells[r][c]) for r in members)
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
    values: dict[str, int] = {}
    relations: list[Relation] = []
    exempt: set[str] = set()
    for section in sections:
        for table in section.get("tables", ()):
            table_vals = table_values(table)
            values.update(table_vals)
            relations.extend(table_relations(table))
            if not table.get("personal", True):
                exempt.update(table_vals)
        for figure in section.get("figures", ()):
            if figure["kind"] in ("count", "number"):
                values[figure["key"]] = int(figure["value"])
                if figure["kind"] == "number":
                    exempt.add(figure["key"])
    return values, relations, exempt


def suppress(
    values: Mapping[str, int],
    relations: Sequence[Relation],
    threshold: int,
    exempt: Iterable[str] = (),
    force: Iterable[str] = (),
) -> dict[str, str]:
    """Which counts to hide: id -> SMALL (primary) or HIDDEN (secondary).

    `exempt` ids (non-personal numbers) get no primary suppression; `force` ids are hidden
    whatever their value (used for cross-network sums). Zero is never hidden: it protects
    nothing and a hidden zero could be pinned down by non-negativity.
    """
    exempt = set(exempt)
    hidden: dict[str, str] = {
        key: SMALL for key, value in values.items() if key not in exempt and 0 < value < threshold
    }
    for key in force:
        if values.get(key, 0) > 0:
            hidden.setdefault(key, HIDDEN)
    if not hidden:
        return hidden
    relations = [(t, p) for t, p in relations if t in values and all(x in values for x in p)]
    totals = {total for total, _ in relations}
    by_member: dict[str, list[int]] = {}
    for index, (total, parts) in enumerate(relations):
        for member in (total, *parts):
            by_member.setdefault(member, []).append(index)

    def candidate(relation_indexes: Iterable[int]) -> str | None:
        """The visible non-zero member to hide next: a cell before a total, smallest first."""
        best = None
        for index in relation_indexes:
            total, parts = relations[index]
            for member in (total, *parts):
                if member in hidden or values[member] <= 0:
                    continue
                rank = (member in totals, values[member], member)
                if best is None or rank < best:
                    best = rank
        return None if best is None else best[2]

    while True:
        added = False
        for index, (total, parts) in enumerate(relations):
            members = (total, *parts)
            hidden_members = [m for m in members if m in hidden]
            if not hidden_members:
                continue
            exposed = len(hidden_members) == 1 or _at_bound(total, parts, hidden, values, threshold)
            if exposed:
                chosen = candidate([index])
                if chosen is not None:
                    hidden[chosen] = HIDDEN
                    added = True
        if added:
            continue
        determined = _determined(hidden, values, relations)
        if not determined:
            return hidden
        for key in determined:
            chosen = candidate(by_member.get(key, ()))
            if chosen is None:
                chosen = candidate(_component(key, relations, by_member))
            if chosen is not None:
                hidden[chosen] = HIDDEN
                break
        else:
            return hidden  # nothing left to hide: every non-zero number is hidden already


def _at_bound(total, parts, hidden, values, threshold) -> bool:
    """True when the hidden parts of a relation with a visible total are pinned by their marks."""
    if total in hidden:
        return False
    hidden_parts = [p for p in parts if p in hidden]
    if len(hidden_parts) < 2:
        return False
    rest = values[total] - sum(values[p] for p in parts if p not in hidden)
    lowest = sum(1 if hidden[p] == SMALL else min(values[p], threshold) for p in hidden_parts)
    if rest <= lowest:
        return True
    if all(hidden[p] == SMALL for p in hidden_parts):
        return rest >= (threshold - 1) * len(hidden_parts)
    return False


def _component(key: str, relations, by_member) -> list[int]:
    """The indexes of every relation connected to `key`."""
    seen_relations: set[int] = set()
    stack = [key]
    seen = {key}
    while stack:
        member = stack.pop()
        for index in by_member.get(member, ()):
            if index in seen_relations:
                continue
            seen_relations.add(index)
            total, parts = relations[index]
            for other in (total, *parts):
                if other not in seen:
                    seen.add(other)
                    stack.append(other)
    return sorted(seen_relations)


def _determined(hidden: Mapping[str, str], values, relations) -> list[str]:
    """Hidden ids whose value follows from the visible numbers (exact linear algebra).

    A hidden value is determined when no solution of the relations (with the visible values
    fixed) can change it: in the reduced row echelon form of the relations restricted to the
    hidden ids, its pivot row has no free variable.
    """
    columns = sorted(hidden)
    position = {key: i for i, key in enumerate(columns)}
    matrix: list[list[int]] = []
    for total, parts in relations:
        row = [0] * len(columns)
        touched = False
        if total in position:
            row[position[total]] = (row[position[total]] - 1) % _PRIME
            touched = True
        for part in parts:
            if part in position:
                row[position[part]] = (row[position[part]] + 1) % _PRIME
                touched = True
        if touched:
            matrix.append(row)
    pivots = _rref(matrix, len(columns))
    determined = []
    for row_index, column in pivots:
        row = matrix[row_index]
        if all(row[c] == 0 for c in range(len(columns)) if c != column):
            determined.append(columns[column])
    return determined


def _rref(matrix: list[list[int]], width: int) -> list[tuple[int, int]]:
    """Reduce `matrix` in place (mod a large prime); return (row, pivot column) pairs."""
    pivots = []
    row_index = 0
    for column in range(width):
        pivot = next((r for r in range(row_index, len(matrix)) if matrix[r][column]), None)
        if pivot is None:
            continue
        matrix[row_index], matrix[pivot] = matrix[pivot], matrix[row_index]
        inverse = pow(matrix[row_index][column], _PRIME - 2, _PRIME)
        pivot_row = [(v * inverse) % _PRIME for v in matrix[row_index]]
        matrix[row_index] = pivot_row
        nonzero = [c for c in range(column, width) if pivot_row[c]]
        for r in range(len(matrix)):
            if r != row_index and matrix[r][column]:
                factor = matrix[r][column]
                target = matrix[r]
                for c in nonzero:
                    target[c] = (target[c] - factor * pivot_row[c]) % _PRIME
        pivots.append((row_index, column))
        row_index += 1
        if row_index == len(matrix):
            break
    return pivots


def suppress_figures(
    sections: Iterable[Mapping], hidden: dict[str, str], threshold: int
) -> dict[str, str]:
    """Add the shares and means that must be hidden to `hidden` (and return it)."""
    for section in sections:
        for figure in section.get("figures", ()):
            if figure["kind"] not in RATIO_KINDS or not figure.get("den"):
                continue
            if figure.get("base", 0) < max(threshold, figure.get("min_base", 0)):
                hidden[figure["key"]] = SMALL
            elif any(ref in hidden for ref in figure.get("refs", ())):
                hidden[figure["key"]] = HIDDEN
    return hidden


def suppress_report(
    sections: Sequence[Mapping], threshold: int, force: Iterable[str] = ()
) -> dict[str, str]:
    """Everything to hide in a report (tables, counts and ratios): id -> SMALL or HIDDEN."""
    values, relations, exempt = report_system(sections)
    hidden = suppress(values, relations, threshold, exempt=exempt, force=force)
    return suppress_figures(sections, hidden, threshold)


def forced_in_sum(hidden_per_network: Iterable[Mapping[str, str]]) -> set[str]:
    """Ids to hide in a cross-network sum: those hidden in exactly one network's report.

    Otherwise the sum minus the other networks' visible figures gives that network's hidden
    figure back. (Hidden in two or more networks, the sum only reveals their total.)
    """
    counts: dict[str, int] = {}
    for hidden in hidden_per_network:
        for key in hidden:
            counts[key] = counts.get(key, 0) + 1
    return {key for key, count in counts.items() if count == 1}
