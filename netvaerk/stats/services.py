"""Monthly reports: computing months, sums over networks, the protected report and the trend.

No request objects here. The perturbation lives in `ckm` and `protection`; closing and
reopening in `closing`; the reference figures in `references`."""

from __future__ import annotations

import gc
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

from flask import current_app
from sqlalchemy import func, select, tuple_

from ..core.models import Membership, Network, User
from ..core.months import month_bounds
from ..core.statements import built_once, ids, number
from ..extensions import db
from ..timeutil import local_today
from . import capability_sections as _capability_sections  # noqa: F401 - registers them
from . import followup_sections as _followup_sections  # noqa: F401 - registers it
from . import people_sections as _people_sections  # noqa: F401 - registers the built-in ones
from .figures import report_system
from .keys import ensure_record_keys, with_keys
from .models import MonthlyReport
from .protection import Protection, protect
from .ratios import rounded
from .sections import REPORT_SECTIONS, TREND_METRICS, merge_sections

SCHEMA = 2  # 2: every count of people carries its cell key
VIEWING_ROLES = ("coordinator", "steering")


# Months --------------------------------------------------------------------------------


def add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    """The month `delta` months after (or before) the given one."""
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def last_months(year: int, month: int, count: int = 12) -> list[tuple[int, int]]:
    """The `count` months ending with the given one, oldest first."""
    return [add_months(year, month, -i) for i in range(count - 1, -1, -1)]


def is_complete(year: int, month: int, today: date) -> bool:
    """True when the whole month lies in the past."""
    return month_bounds(year, month)[1] < today


# Who may see what ---------------------------------------------------------------------------


def viewable_networks(user: User, memberships: Sequence[Membership] | None = None) -> list[Network]:
    """Networks whose reports the user may read: an administrator all, others their own
    networks where they are coordinator or steering member.

    `memberships`, the user's memberships with their networks already loaded (ordered by the
    network's name, as a request has them), spare a non-administrator the query.
    """
    if memberships is not None and not user.is_admin:
        return [m.network for m in memberships if m.role in VIEWING_ROLES]
    query = select(Network).order_by(Network.name)
    if not user.is_admin:
        query = query.join(Membership, Membership.network_id == Network.id).where(
            Membership.user_id == user.id, Membership.role.in_(VIEWING_ROLES)
        )
    return list(db.session.execute(query).scalars().unique())


# Computing --------------------------------------------------------------------------------


def compute_figures(
    network_ids: Sequence[int],
    year: int,
    month: int,
    today: date | None = None,
    *,
    draw_keys: bool = True,
) -> dict[int, dict]:
    """The exact figures of each network for a month, from the live data, with cell keys.

    Each registered section runs a fixed number of aggregate queries for all networks at
    once. An unfinished month is counted up to `today` (bulk callers that only compute
    complete months may leave it out). Periods without a record key get one first, unless
    `draw_keys` is False: the live figures of an open month are read by coordinators only,
    exactly, and need no keys until the month is closed.
    """
    first, last = month_bounds(year, month)
    last = min(last, max(first, today or local_today()))
    network_ids = list(network_ids)
    if draw_keys:
        ensure_record_keys(network_ids)
    figures = {
        network_id: {"schema": SCHEMA, "year": year, "month": month, "sections": []}
        for network_id in network_ids
    }
    if not network_ids:
        return figures
    for section in REPORT_SECTIONS:
        computed = section.compute(network_ids, first, last)
        for network_id in network_ids:
            figures[network_id]["sections"].append({"key": section.key, **computed[network_id]})
    return figures


@dataclass(frozen=True)
class Snapshot:
    """A closed month as the reports read it: the frozen figures and how it was closed (the
    columns of `MonthlyReport` the pages show, read without loading the ORM object)."""

    network_id: int
    year: int
    month: int
    figures: dict
    closed_at: datetime
    revision: int
    revised_at: datetime | None
    revision_reason: str | None
    revision_note: str | None

    @property
    def first_day(self) -> date:
        """The first day of the report's month."""
        return date(self.year, self.month, 1)


SNAPSHOT_COLUMNS = (
    MonthlyReport.network_id,
    MonthlyReport.year,
    MonthlyReport.month,
    MonthlyReport.figures,
    MonthlyReport.closed_at,
    MonthlyReport.revision,
    MonthlyReport.revised_at,
    MonthlyReport.revision_reason,
    MonthlyReport.revision_note,
)


def closed_reports(
    network_ids: Sequence[int], months: Sequence[tuple[int, int]]
) -> dict[tuple[int, int, int], Snapshot]:
    """The closed months among the given networks and months, in one query."""
    if not network_ids or not months:
        return {}
    # Plain rows on the session's connection: the ORM's handling of a result costs more than
    # the database takes to answer a month of one network (services flush what they change).
    connection = db.session.connection()
    if len(months) == 1:  # a month's report: the statement built once
        ((year, month),) = months
        rows = connection.execute(
            _closed_month_statement(),
            {"network_ids": list(network_ids), "year": year, "month": month},
        )
    else:
        rows = connection.execute(
            select(*SNAPSHOT_COLUMNS).where(
                MonthlyReport.network_id.in_(list(network_ids)),
                tuple_(MonthlyReport.year, MonthlyReport.month).in_(list(months)),
            )
        )
    return {(row[0], row[1], row[2]): Snapshot(*row) for row in rows}


@built_once
def _closed_month_statement():
    """The snapshots of one month of the networks."""
    return select(*SNAPSHOT_COLUMNS).where(
        MonthlyReport.network_id.in_(ids()),
        MonthlyReport.year == number("year"),
        MonthlyReport.month == number("month"),
    )


def closed_months(
    network_ids: Sequence[int], months: Sequence[tuple[int, int]]
) -> set[tuple[int, int, int]]:
    """Which of the given networks' months are closed, as (network id, year, month), in one
    query that reads no figures (the links to months, quarters and years)."""
    if not network_ids or not months:
        return set()
    rows = db.session.execute(
        select(MonthlyReport.network_id, MonthlyReport.year, MonthlyReport.month).where(
            MonthlyReport.network_id.in_(list(network_ids)),
            tuple_(MonthlyReport.year, MonthlyReport.month).in_(list(months)),
        )
    )
    return {(network_id, year, month) for network_id, year, month in rows}


def figures_for(
    network_ids: Sequence[int],
    year: int,
    month: int,
    closed: dict[tuple[int, int, int], Snapshot] | None = None,
    today: date | None = None,
) -> tuple[dict[int, dict], dict[int, Snapshot]]:
    """Each network's figures: frozen from its snapshot when closed, else computed live.

    `closed` (from `closed_reports`, covering at least this month) spares the query.
    """
    if closed is None:
        closed = closed_reports(network_ids, [(year, month)])
    by_network = {
        network_id: report
        for (network_id, y, m), report in closed.items()
        if (y, m) == (year, month) and network_id in network_ids
    }
    figures = {network_id: report.figures for network_id, report in by_network.items()}
    open_ids = [n for n in network_ids if n not in by_network]
    figures.update(compute_figures(open_ids, year, month, today, draw_keys=False))
    return figures, by_network


def sum_figures(per_network: Sequence[dict]) -> list[dict]:
    """The sections of several networks added up (sections missing somewhere count as 0)."""
    keys: list[str] = []
    for figures in per_network:
        for section in figures["sections"]:
            if section["key"] not in keys:
                keys.append(section["key"])
    return [
        merge_sections(
            [s for figures in per_network for s in figures["sections"] if s["key"] == key]
        )
        for key in keys
    ]


def min_population() -> int:
    """The smallest population a breakdown is shown over (setting NETVAERK_MIN_POPULATION)."""
    return int(current_app.config.get("NETVAERK_MIN_POPULATION", 20))


def _secret() -> str:
    return str(current_app.config["SECRET_KEY"])


@dataclass
class Report:
    """A month's report for one network or the sum of several, as its reader may see it."""

    year: int
    month: int
    networks: list[Network]
    sections: list[dict]
    protection: Protection
    snapshots: dict[int, Snapshot] = field(default_factory=dict)

    @property
    def network(self) -> Network | None:
        """The one network of the report, or None for a sum over networks."""
        return self.networks[0] if len(self.networks) == 1 else None

    @property
    def snapshot(self) -> Snapshot | None:
        """The closed month of a one-network report."""
        return self.snapshots.get(self.networks[0].id) if self.network else None

    @property
    def is_closed(self) -> bool:
        """True when every network of the report has closed the month."""
        return len(self.snapshots) == len(self.networks)

    @property
    def exact(self) -> bool:
        """True when the reader sees the exact figures (a coordinator's own network)."""
        return self.protection.exact

    @property
    def first_day(self) -> date:
        """The first day of the month."""
        return date(self.year, self.month, 1)

    @cached_property
    def counts(self) -> dict[str, int]:
        """Every exact count of the report by id (for coordinators and tests, never shown to
        the steering group)."""
        return report_system(self.sections)[0]

    @property
    def published(self) -> dict[str, int]:
        """Every count by id as the reader sees it (perturbed unless exact)."""
        return self.protection.published

    def value(self, key: str) -> tuple[object, str, str]:
        """A figure's value as the reader sees it, its state ("shown", "small", "hidden",
        "none") and kind."""
        if key in self.protection.hidden_figures:
            return None, "none", "count"
        if key in self.protection.few:
            return None, "few", "count"
        if key in self.published:
            return self.published[key], "shown", "count"
        for section in self.sections:
            for figure in section["figures"]:
                if figure["key"] == key and figure["kind"] == "hours":
                    return rounded("hours", figure["value"]), "shown", "hours"
                if figure["key"] == key and figure["kind"] in ("share", "mean"):
                    value, state = self.protection.ratios[key]
                    return value, state, figure["kind"]
        return None, "none", "count"


def build_report(
    networks: Sequence[Network],
    year: int,
    month: int,
    *,
    exact: bool,
    closed: dict[tuple[int, int, int], Snapshot] | None = None,
    today: date | None = None,
) -> Report:
    """The report of one network, or the sum of several: exact, or protected (see
    `protection`). `closed`: the networks' snapshots already loaded (see `figures_for`)."""
    ids = [n.id for n in networks]
    with collection_paused():
        figures, snapshots = figures_for(ids, year, month, closed, today)
        return _report(networks, year, month, figures, snapshots, exact)


@contextmanager
def collection_paused():
    """No cyclic garbage collection while a report is built.

    A report's figures are plain dicts and lists without reference cycles, freed by reference
    counting; over hundreds of networks they are so many that the collector ran several full
    passes over every object of the process while building them (a quarter of the month over
    300 networks, measured). The collector runs again as usual once the report is built; a
    collector already paused (by another report in another thread) is left so."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _report(networks, year, month, figures, snapshots, exact: bool) -> Report:
    secret = _secret()
    keyed = [with_keys(figures[n.id], n.id, secret) for n in networks]
    sections = keyed[0]["sections"] if len(keyed) == 1 else sum_figures(keyed)
    protection = protect(
        sections,
        exact=exact,
        single_network=len(networks) == 1,
        min_population=min_population(),
        parts=[k["sections"] for k in keyed] if len(keyed) > 1 else (),
    )
    return Report(year, month, list(networks), sections, protection, snapshots)


def latest_closed_month(network_ids: Sequence[int]) -> tuple[int, int] | None:
    """The latest month every one of the networks has closed."""
    if not network_ids:
        return None
    row = db.session.execute(
        select(MonthlyReport.year, MonthlyReport.month)
        .where(MonthlyReport.network_id.in_(list(network_ids)))
        .group_by(MonthlyReport.year, MonthlyReport.month)
        .having(func.count() == len(set(network_ids)))
        .order_by(MonthlyReport.year.desc(), MonthlyReport.month.desc())
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else None


@dataclass
class TrendPoint:
    """One month of a trend line: the value and its state, or None when not closed."""

    year: int
    month: int
    value: object
    state: str
    kind: str = "count"


def trend(
    networks: Sequence[Network],
    year: int,
    month: int,
    *,
    exact: bool,
    closed: dict[tuple[int, int, int], Snapshot] | None = None,
) -> list[tuple[object, str, list[TrendPoint]]]:
    """The 12 months ending with the given one, from closed months only (one query, or none
    when `closed` already holds the networks' snapshots of these months).

    Returns (label, metric key, points) per registered trend metric; a month not yet closed
    by every network has the state "open".
    """
    months = last_months(year, month)
    ids = [n.id for n in networks]
    if closed is None:
        closed = closed_reports(ids, months)
    reports: dict[tuple[int, int], Report | None] = {}
    for y, m in months:
        snapshots = {i: closed.get((i, y, m)) for i in ids}
        if any(s is None for s in snapshots.values()):
            reports[(y, m)] = None
            continue
        figures = {i: snapshot.figures for i, snapshot in snapshots.items()}
        reports[(y, m)] = _report(networks, y, m, figures, snapshots, exact)
    lines = []
    for metric in TREND_METRICS:
        points = []
        for y, m in months:
            report = reports[(y, m)]
            if report is None:
                points.append(TrendPoint(y, m, None, "open"))
            else:
                value, state, kind = report.value(metric.key)
                if state != "shown":
                    value = None
                points.append(TrendPoint(y, m, value, state, kind))
        lines.append((metric.label, metric.key, points))
    return lines


def month_statuses(network_ids: Sequence[int], months: Sequence[tuple[int, int]]) -> dict:
    """For each month: how many of the networks have closed it (one query)."""
    closed = closed_months(network_ids, months)
    counts: dict[tuple[int, int], int] = {}
    for _, y, m in closed:
        counts[(y, m)] = counts.get((y, m), 0) + 1
    return counts
