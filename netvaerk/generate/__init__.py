"""A large, realistic data set for benchmarks: many networks over years, written in bulk.

`flask generate --networks N --years Y --seed S` adds N networks, each with 8-16 active
participants and turnover every few months, three meetings a week (Danish public holidays and
a summer break skipped), check-ins with realistic absence, chore rotas, activities with
facilitator sign-ups, exit evaluations, wheel-of-life scorings and staff accounts, and closes
every complete month but the last through the statistics' own snapshot mechanism.

Rows are written in bulk: `COPY` on PostgreSQL (psycopg 3), Core `insert()` executemany on
SQLite; only the networks themselves go through `create_network`, so every network gets the
same defaults (activity types, wheel areas) as one made by hand. The same seed and end date
give the same data.

The simulation of the networks' own rows is split by subject (participants, meetings, rota,
activities); capabilities add theirs (wheels, exit evaluations, follow-up) through
`registry.generate_step` in their hooks.py, run after the bulk rows are written.
"""

from __future__ import annotations

import random
import time as clock
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from sqlalchemy import insert, select, text

from ..core.registry import current_registry
from ..extensions import db
from .data import AREAS, BATCH_NETWORKS, EMAIL_DOMAIN, PASSWORD, WEEKDAY_PATTERNS, Sim, Span, Utc
from .network import network_rows
from .tables import TABLES, Ids, move_sequences, write_rows

__all__ = ["PASSWORD", "GenerateRefused", "audit_account_emails", "close_past_months", "generate"]


class GenerateRefused(Exception):
    """The database already holds networks with the generated names."""


def generate(
    networks: int,
    years: float,
    seed: int,
    end: date | None = None,
    open_now: datetime | None = None,
    close_months: bool = True,
    echo: Callable[[str], None] = lambda message: None,
) -> dict[str, int]:
    """Add `networks` networks with `years` years of history up to `end`; returns row counts.

    `open_now` (local time) adds a meeting open at that moment in every network, for the
    kiosk benchmark. Refuses (GenerateRefused) when generated networks exist already.
    """
    started = clock.monotonic()
    end = end or (open_now.date() if open_now else date.today())
    span = _span(end, years, open_now)
    created = _create_networks(networks, seed, span)
    echo(f"  {networks} networks created ({clock.monotonic() - started:.1f} s)")
    totals = _write_networks(created, seed, span, lambda text: echo(_took(text, started)))
    for step in current_registry().generate_steps:  # capabilities' own generated rows
        totals.update(step.func(created, end, seed) or {})
    totals["netvaerk_user (audit accounts)"] = _audit_accounts(created, seed, span)
    db.session.commit()
    db.session.connection().execute(text("ANALYZE"))
    db.session.commit()
    echo(_took("rows written", started))
    if close_months:
        totals["netvaerk_monthly_report"] = close_past_months(created, span.start, end, echo)
        echo(_took("months closed", started))
    return dict(totals)


def audit_account_emails(seed: int) -> tuple[str, str]:
    """The steering accounts `generate` makes for the disclosure audit: one seeing the first
    three generated networks, one seeing every network in the database."""
    return (f"steering-three-{seed}@{EMAIL_DOMAIN}", f"steering-all-{seed}@{EMAIL_DOMAIN}")


def _audit_accounts(created: list[int], seed: int, span: Span) -> int:
    """Make the audit's accounts over several networks, so that anyone can rerun the audit's
    figures in the README (`flask stats audit`): every network's own steering account, one
    for three networks and one for all (the demo's too, when loaded first)."""
    from ..core.models import Membership, Network, User

    everyone = list(db.session.execute(select(Network.id).order_by(Network.id)).scalars())
    scopes = (created[:3], everyone)
    made = 0
    for email, network_ids in zip(audit_account_emails(seed), scopes, strict=True):
        if len(network_ids) < 2:
            continue
        user = User(
            email=email,
            name="Steering group",
            password_hash=span.password_hash,
            created_at=span.created_at,
        )
        db.session.add(user)
        db.session.flush()
        db.session.add_all(
            Membership(user_id=user.id, network_id=n, role="steering") for n in network_ids
        )
        made += 1
    db.session.flush()
    return made


def _took(message: str, started: float) -> str:
    return f"  {message} ({clock.monotonic() - started:.1f} s)"


def _span(end: date, years: float, open_now: datetime | None) -> Span:
    from ..auth.services import hash_password
    from ..meetings.services import danish_holidays

    start = end - timedelta(days=int(years * 365.25))
    start -= timedelta(days=start.weekday())
    horizon = end + timedelta(weeks=5)
    holidays = set(danish_holidays(start, horizon))
    return Span(start, end, horizon, holidays, hash_password(PASSWORD), open_now)


def _create_networks(networks: int, seed: int, span: Span) -> list[int]:
    """The networks themselves, through `create_network` so each gets the usual defaults."""
    from ..core.models import Network
    from ..core.services import create_network

    names = [f"Netværk {AREAS[i % len(AREAS)]} {seed}-{i + 1:03d}" for i in range(networks)]
    taken = db.session.execute(select(Network.name).where(Network.name.in_(names))).scalars()
    if taken.first() is not None:
        raise GenerateRefused(
            "The database already holds networks generated with this seed; use another seed "
            "or an empty database."
        )
    created = []
    for i, name in enumerate(names):
        rng = random.Random(f"{seed}:network:{i}")
        area = AREAS[i % len(AREAS)]
        network = create_network(
            name,
            [area, f"{area} Syd"],
            meeting_weekdays=rng.choice(WEEKDAY_PATTERNS),
            created_at=span.created_at,
        )
        created.append(network.id)
    db.session.flush()
    return created


def _lookups(created: list[int]):
    """The new networks, their housing areas and their activity types."""
    from ..activities.models import ActivityType
    from ..core.models import HousingArea, Network

    rows = db.session.execute(select(Network).where(Network.id.in_(created))).scalars()
    network_of = {network.id: network for network in rows}
    areas_of: dict[int, list[int]] = defaultdict(list)
    for network_id, area_id in db.session.execute(
        select(HousingArea.network_id, HousingArea.id)
        .where(HousingArea.network_id.in_(created))
        .order_by(HousingArea.id)
    ):
        areas_of[network_id].append(area_id)
    types_of: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for network_id, type_id, name_da in db.session.execute(
        select(ActivityType.network_id, ActivityType.id, ActivityType.name_da)
        .where(ActivityType.network_id.in_(created))
        .order_by(ActivityType.sort_order, ActivityType.id)
    ):
        types_of[network_id].append((type_id, name_da))
    return network_of, areas_of, types_of


def _write_networks(created: list[int], seed: int, span: Span, echo) -> dict[str, int]:
    """Simulate every network and write its rows in bulk, ten networks at a time."""
    network_of, areas_of, types_of = _lookups(created)
    connection = db.session.connection()
    ids = Ids(connection, TABLES)
    utc = Utc()
    totals: dict[str, int] = defaultdict(int)
    batch: dict[str, list[dict]] = defaultdict(list)

    def flush_batch() -> None:
        for table_name in TABLES:
            rows = batch.pop(table_name, [])
            write_rows(connection, table_name, rows)
            totals[table_name] += len(rows)

    for index, network_id in enumerate(created):
        rng = random.Random(f"{seed}:data:{index}")
        areas, types = areas_of[network_id], types_of[network_id]
        network_rows(
            Sim(batch, ids, utc, rng, span, network_of[network_id], index + 1, areas, types)
        )
        if (index + 1) % BATCH_NETWORKS == 0:
            flush_batch()
            echo(f"{index + 1}/{len(created)} networks written")
    flush_batch()
    move_sequences(connection, TABLES)
    db.session.commit()
    return totals


def close_past_months(network_ids: list[int], first: date, end: date, echo) -> int:
    """Freeze every complete month but the last one through the statistics' own computation.

    The last complete month stays open, as it would be while the coordinator has not yet
    closed it; so does the current one.
    """
    from ..stats.models import MonthlyReport
    from ..stats.services import add_months, compute_figures

    table = MonthlyReport.__table__
    year, month = first.year, first.month
    last_year, last_month = add_months(end.year, end.month, -2)
    written = 0
    closed_at = datetime.combine(end, time(8))
    while (year, month) <= (last_year, last_month):
        figures = compute_figures(network_ids, year, month)
        db.session.execute(
            insert(table),
            [
                {
                    "network_id": network_id,
                    "year": year,
                    "month": month,
                    "figures": figures[network_id],
                    "closed_at": closed_at,
                    "revision": 1,
                }
                for network_id in network_ids
            ],
        )
        written += len(network_ids)
        year, month = add_months(year, month, 1)
    db.session.commit()
    return written
