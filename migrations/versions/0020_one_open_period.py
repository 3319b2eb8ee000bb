"""participants: at most one open participation period per person; repair the duplicates

Revision ID: 0020_one_open_period
Revises: 0019_report_versions

Status changes were not serialised (issue 27): thirty "start" or "return" requests sent at once
on one participant left several open participation periods, and thirty "leave" requests left
several "left" status changes. This migration repairs what the race left and then adds the
partial unique index that makes the database refuse a second open period.

What it does, in this order:

1. Extra open periods. A person's periods never overlap (a return starts after the last
   end), so an open period that overlaps an earlier period of the same person (by start
   date, a closed one first, then id) is a duplicate, and is DELETED, not closed:
   it is no stretch of participation of its own, and
   closing them would make the person a leaver in the outcomes. Their record keys go with
   them (ON DELETE CASCADE), so the monthly figures count the person once again: the
   "new" and "left" counts summed the periods of a person, and the attendance join repeated
   each meeting once per open period. Follow-up checks and exit-evaluation statuses belong
   to closed periods only, so none point at a deleted one.
2. Repeated status changes. The flow never moves a person to the status they already have,
   so a status change whose previous change (by id) of the same person has the same status
   is a duplicate of it and is deleted (the first one is kept).
3. The partial unique index `uq_netvaerk_participation_period_open` on participant_id where
   end_date IS NULL, on SQLite and PostgreSQL.

Left alone: the audit trail keeps one event per request that was made (it records requests,
and nothing is computed from it). Months that were already closed keep their frozen figures;
the migration names in its log every closed month (network, year, month) that overlaps a
repaired period, so a coordinator can reopen it with the reason "Correction of an error".

The downgrade drops the index only: the deleted duplicates are not restored.
"""

import logging

import sqlalchemy as sa
from alembic import op

revision = "0020_one_open_period"
down_revision = "0019_report_versions"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

PERIOD = "netvaerk_participation_period"
INDEX = "uq_netvaerk_participation_period_open"


def _extra_open_periods(connection) -> list[tuple[int, int, object]]:
    """(period id, network id, start date) of every open period that overlaps an earlier
    period of the same person (a person's periods never overlap: a return starts after the
    last end). Of periods starting the same day a closed one comes first, so the period a
    "leave" closed is the one kept."""
    rows = connection.execute(
        sa.text(
            f"SELECT id, participant_id, network_id, start_date, end_date FROM {PERIOD} "
            f"WHERE participant_id IN (SELECT participant_id FROM {PERIOD} "
            "WHERE end_date IS NULL GROUP BY participant_id HAVING COUNT(*) > 1) "
            f"OR participant_id IN (SELECT a.participant_id FROM {PERIOD} a JOIN {PERIOD} b "
            "ON a.participant_id = b.participant_id AND a.id <> b.id "
            "WHERE a.end_date IS NULL AND a.start_date <= COALESCE(b.end_date, a.start_date))"
        )
    ).all()
    by_person: dict[int, list] = {}
    for row in rows:
        by_person.setdefault(row.participant_id, []).append(row)
    extra = []
    for periods in by_person.values():
        periods.sort(key=lambda p: (str(p.start_date), p.end_date is None, p.id))
        kept = None
        for period in periods:
            overlaps = kept is not None and (
                kept.end_date is None or str(kept.end_date) >= str(period.start_date)
            )
            if overlaps and period.end_date is None:
                extra.append((period.id, period.network_id, period.start_date))
            elif not overlaps:
                kept = period
    return extra


def _repeated_status_changes(connection) -> list[int]:
    """Ids of status changes that repeat the status of the person's previous change."""
    rows = connection.execute(
        sa.text(
            "SELECT id, participant_id, status FROM netvaerk_status_change "
            "ORDER BY participant_id, id"
        )
    ).all()
    repeated, last = [], {}
    for change_id, participant_id, status in rows:
        if last.get(participant_id) == status:
            repeated.append(change_id)
        last[participant_id] = status
    return repeated


def _closed_months_reached(connection, extra) -> list[tuple[int, int, int]]:
    """Closed months (network, year, month) from the earliest repaired start on."""
    reached = set()
    for _period_id, network_id, start_date in extra:
        start = sa.text(
            "SELECT network_id, year, month FROM netvaerk_monthly_report "
            "WHERE network_id = :network AND (year * 100 + month) >= :first"
        )
        first = int(str(start_date)[:4]) * 100 + int(str(start_date)[5:7])
        for row in connection.execute(start, {"network": network_id, "first": first}):
            reached.add(tuple(row))
    return sorted(reached)


def upgrade():
    connection = op.get_bind()
    extra = _extra_open_periods(connection)
    for month in _closed_months_reached(connection, extra):
        log.warning(
            "0020: closed month %s (network %s, %s-%02d) counted a duplicated period; "
            "reopen it with the reason 'Correction of an error'.",
            month,
            month[0],
            month[1],
            month[2],
        )
    ids = [period_id for period_id, _network, _start in extra]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        params = {f"p{n}": value for n, value in enumerate(chunk)}
        names = ", ".join(f":p{n}" for n in range(len(chunk)))
        # Explicit, so that it does not depend on SQLite's foreign_keys pragma.
        for table in ("netvaerk_record_key", "netvaerk_exit_evaluation_status"):
            connection.execute(sa.text(f"DELETE FROM {table} WHERE period_id IN ({names})"), params)
        connection.execute(sa.text(f"DELETE FROM {PERIOD} WHERE id IN ({names})"), params)
    repeated = _repeated_status_changes(connection)
    for start in range(0, len(repeated), 500):
        chunk = repeated[start : start + 500]
        params = {f"c{n}": value for n, value in enumerate(chunk)}
        names = ", ".join(f":c{n}" for n in range(len(chunk)))
        connection.execute(
            sa.text(f"DELETE FROM netvaerk_status_change WHERE id IN ({names})"), params
        )
    log.info(
        "0020: deleted %d extra open periods and %d repeated status changes",
        len(ids),
        len(repeated),
    )
    op.create_index(
        INDEX,
        PERIOD,
        ["participant_id"],
        unique=True,
        sqlite_where=sa.text("end_date IS NULL"),
        postgresql_where=sa.text("end_date IS NULL"),
    )


def downgrade():
    op.drop_index(
        INDEX,
        table_name=PERIOD,
        sqlite_where=sa.text("end_date IS NULL"),
        postgresql_where=sa.text("end_date IS NULL"),
    )
