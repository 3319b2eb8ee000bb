"""Record keys: drawn once per participation period and kept; and the keys of counts whose
contributors the database cannot name (anonymous exit evaluations, wheel-of-life scorings)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Sequence

from sqlalchemy import select

from ..extensions import db
from ..participants.models import ParticipationPeriod
from .ckm import KEY_RANGE
from .figures import RATIO_KINDS, SEP, column_total_id, grand_total_id, report_keys
from .models import RecordKey
from .ratios import PARTS


def ensure_record_keys(network_ids: Sequence[int]) -> int:
    """Give every participation period of the networks that has no record key one (a random
    number 0..255, drawn once). Safe when two requests do it at once. Returns how many."""
    if not network_ids:
        return 0
    missing = (
        db.session.execute(
            select(ParticipationPeriod.id)
            .outerjoin(RecordKey, RecordKey.period_id == ParticipationPeriod.id)
            .where(ParticipationPeriod.network_id.in_(list(network_ids)), RecordKey.key.is_(None))
        )
        .scalars()
        .all()
    )
    if not missing:
        return 0
    rows = [{"period_id": pid, "key": secrets.randbelow(KEY_RANGE)} for pid in missing]
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    db.session.execute(insert(RecordKey).on_conflict_do_nothing(), rows)
    return len(rows)


def derived_key(secret: str, network_id: int, year: int, month: int, count_id: str) -> int:
    """A cell key for a count of one network's month that has no named contributors, from a
    secret and the count's identity: the same count gets the same key every time."""
    message = f"{network_id}:{year}:{month}:{count_id}".encode()
    return hmac.digest(secret.encode(), message, hashlib.sha256)[0]


def with_keys(figures: dict, network_id: int, secret: str) -> dict:
    """A network's month figures with a cell key for every count of people: the stored one,
    else one derived from the secret (months closed before record keys, anonymous answers).

    Returns new figures with `keys` on every personal table, `ckey` on every personal
    count, and `num_key`/`den_key` on every share and mean (for the sides perturbed for it).
    The sections, tables and figures that already have theirs are shared with the given
    figures, not copied (nothing downstream changes them: sums build their own)."""
    year, month = figures["year"], figures["month"]
    stored = _keyed_ids(figures["sections"])
    sections = []
    for section in figures["sections"]:
        tables, tables_changed = [], False
        for table in section.get("tables", ()):
            if table.get("personal", True) and table.get("keys") is None:
                table = dict(table)
                table["keys"] = [
                    [
                        derived_key(secret, network_id, year, month, f"{table['key']}:{r}:{c}")
                        for c in table["columns"]
                    ]
                    for r in table["rows"]
                ]
                tables_changed = True
            tables.append(table)
        figures_out, figures_changed = [], False
        for figure in section.get("figures", ()):
            if figure["kind"] == "count" and not stored(figure):
                figure = {
                    **figure,
                    "ckey": derived_key(secret, network_id, year, month, figure["key"]),
                }
                figures_changed = True
            elif figure["kind"] in RATIO_KINDS and "num_key" not in figure:
                # The keys of a ratio's sides perturbed for it (`ratios`): its sums are of
                # answers and scorings, which no record key names.
                figure = {
                    **figure,
                    **{
                        f"{part}_key": derived_key(
                            secret, network_id, year, month, f"{figure['key']}#{part}"
                        )
                        for part in PARTS
                    },
                }
                figures_changed = True
            figures_out.append(figure)
        if tables_changed or figures_changed or "tables" not in section or "figures" not in section:
            section = {**section, "tables": tables, "figures": figures_out}
        sections.append(section)
    return {**figures, "sections": sections}


def _keyed_ids(sections) -> Callable[[dict], bool]:
    """Whether a count figure has a stored key (its own `ckey`, or a keyed table's total of the
    same id): `figure["key"] in report_keys(sections)`, without computing every table's keys.

    Ids of cells, row totals and subtotals hold the separator, which a figure's dotted key
    never does; only column and grand totals may be named like a figure (`total_ids`).
    """
    totals: set[str] = set()
    for section in sections:
        for table in section.get("tables", ()):
            if not table.get("personal", True) or table.get("keys") is None:
                continue
            if table.get("column_totals"):
                totals.update(column_total_id(table, column) for column in table["columns"])
                if table.get("row_totals") and table["rows"]:
                    totals.add(grand_total_id(table))
    full: list[dict] = []

    def stored(figure: dict) -> bool:
        if figure.get("ckey") is not None or figure["key"] in totals:
            return True
        if SEP not in figure["key"]:
            return False
        if not full:  # pragma: no cover - figures' keys are dotted, never cell ids
            full.append(report_keys(sections))
        return figure["key"] in full[0]

    return stored
