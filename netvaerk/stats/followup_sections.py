"""The report's section on status after leaving: retention at 1, 3, 6 and 12 months, and by
cohort of leaving.

Follow-up counts (`followup.figures.settled_checks`, handed over through the registry's
`report_figure` hook, STYLE rule 16); this module only arranges its counts into two tables of
people and gives each cell its cell key, as every other count of people has:

- a check is counted in the month its result became known (recorded, or not reached once its
  30 days had passed), so the months never count a check twice and a quarter or a year adds
  its months up;
- a cell's key is the sum of its contributors' record keys (the key of the participation
  period that ended in work), so the same people give the same noise here as in "left into
  work or education"; a check whose person was erased keeps a key derived from the secret and
  the check, so its cells keep their keys too;
- both tables are breakdowns (`protection.BREAKDOWN_SECTIONS`): never in a single network's
  month, shown over several networks or over a quarter or a year only where the published
  population behind a column reaches `NETVAERK_MIN_POPULATION`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from ..core.registry import current_registry
from .ckm import KEY_RANGE
from .figures import cell_id, row_total_id
from .keys import derived_key
from .models import RecordKey
from .sections import report_section, table

SECTION = "followup"
RETENTION_TABLE = "followup.retention"
COHORT_TABLE = "followup.cohorts"
HOOK = "followup.settled_checks"
RETENTION_COLUMNS = ("in_work", "not_in_work", "not_reached")
CHECK_MONTHS = (1, 3, 6, 12)
# The cohort table: in work, and checked, at each of the usual check months; its column totals
# are the retention table's cells and row totals (one id each, shared).
COHORT_COLUMNS = tuple(f"{kind}_{m}" for m in CHECK_MONTHS for kind in ("in_work", "checked"))
COHORT_TOTALS = {
    **{f"in_work_{m}": cell_id({"key": RETENTION_TABLE}, str(m), "in_work") for m in CHECK_MONTHS},
    **{f"checked_{m}": row_total_id({"key": RETENTION_TABLE}, str(m)) for m in CHECK_MONTHS},
}
# The one sentence the report says about what it counts (page, print view and exports).
IN_WORK_MEANING = _l(
    "“In work after 6 months” counts the residents who left into work or education and, at "
    "the status check 6 months after leaving, were in the same or another job, in education or "
    "in an internship; a check is counted in the month its result became known, and one not "
    "done within 30 days counts as not reached."
)


def _row_label(table_key: str, row: str, network) -> str:
    """Months after leaving ("6 months after leaving"); cohorts as they are ("2026-Q1")."""
    if table_key == RETENTION_TABLE and row.isdigit():
        months = int(row)
        return ngettext("%(num)d month after leaving", "%(num)d months after leaving", months)
    return row


def _labels() -> dict:
    labels = {
        RETENTION_TABLE: _l("Status at the checks after leaving into work or education"),
        COHORT_TABLE: _l("By cohort of leaving (quarter)"),
        "in_work": _l("In work or education"),
        "not_in_work": _l("Not in work or education"),
        "not_reached": _l("Not reached"),
    }
    for months in CHECK_MONTHS:
        labels[f"in_work_{months}"] = _l("In work after %(num)d months", num=months)
        labels[f"checked_{months}"] = _l("Checked after %(num)d months", num=months)
    return labels


def _with_record_keys(statement, period_id):
    """Follow-up's statement with the record key of each check's period (one statement)."""
    return statement.add_columns(RecordKey.key).outerjoin(
        RecordKey, RecordKey.period_id == period_id
    )


@report_section(
    SECTION, title=_l("Status after leaving"), order=75, labels=_labels(), row_label=_row_label
)
def followup_section(network_ids: Sequence[int], first: date, last: date) -> dict[int, dict]:
    """Checks settled in the month: by months after leaving, and by cohort of leaving."""
    hook = current_registry().report_figures.get(HOOK)
    counted = hook(list(network_ids), first, last, _with_record_keys) if hook else {}
    secret = str(current_app.config["SECRET_KEY"])
    result = {}
    for network_id in network_ids:
        cells = counted.get(network_id, {})
        months = sorted({*CHECK_MONTHS, *(m for m, _, _ in cells)})
        cohorts = sorted({c for _, _, c in cells})
        retention = {m: {c: [0, 0] for c in RETENTION_COLUMNS} for m in months}
        by_cohort = {c: {column: [0, 0] for column in COHORT_COLUMNS} for c in cohorts}
        for (months_after, column, cohort), people in cells.items():
            key = sum(
                record_key
                if record_key is not None
                else derived_key(secret, network_id, 0, 0, f"followup.check:{check_id}")
                for record_key, check_id in people
            )
            targets = [retention[months_after][column]]
            if months_after in CHECK_MONTHS:
                targets.append(by_cohort[cohort][f"checked_{months_after}"])
                if column == "in_work":
                    targets.append(by_cohort[cohort][f"in_work_{months_after}"])
            for target in targets:
                target[0] += len(people)
                target[1] = (target[1] + key) % KEY_RANGE
        result[network_id] = {
            "tables": [
                _table(RETENTION_TABLE, retention, RETENTION_COLUMNS, row_totals=True),
                _table(COHORT_TABLE, by_cohort, COHORT_COLUMNS, total_ids=COHORT_TOTALS),
            ],
            "figures": [],
        }
    return result


def _table(key: str, lines: dict, columns: Sequence[str], **options) -> dict:
    rows = list(lines)
    return table(
        key,
        [str(row) for row in rows],
        columns,
        [[lines[row][c][0] for c in columns] for row in rows],
        keys=[[lines[row][c][1] for c in columns] for row in rows],
        **options,
    )
