"""Monthly reports: computing, closing and reopening months, sums over networks, the trend,
and the reference figures. No request objects here; suppression lives in `suppression`."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from sqlalchemy import String, func, literal, null, select, tuple_, union_all
from sqlalchemy.exc import IntegrityError

from ..audit.services import record
from ..core.models import HousingArea, Membership, Network, User
from ..extensions import db
from ..timeutil import local_today, utcnow
from . import capability_sections as _capability_sections  # noqa: F401 - registers them
from . import sections as _sections  # noqa: F401 - registers the built-in sections
from .models import AreaReference, MonthlyReport, PlanTarget
from .sections import REPORT_SECTIONS, TREND_METRICS, merge_sections
from .suppression import forced_in_sum, report_system, suppress_report

SCHEMA = 1
VIEWING_ROLES = ("coordinator", "steering")


class StatsError(Exception):
    """A rule of closing or reopening was broken; `code` says which."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


# Months --------------------------------------------------------------------------------


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """The first and last day of a month."""
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    """The month `delta` months after (or before) the given one."""
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def last_months(year: int, month: int, count: int = 12) -> list[tuple[int, int]]:
    """The `count` months ending with the given one, oldest first."""
    return [add_months(year, month, -i) for i in range(count - 1, -1, -1)]


def is_complete(year: int, month: int, today: date | None = None) -> bool:
    """True when the whole month lies in the past."""
    return month_bounds(year, month)[1] < (today or local_today())


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


def compute_figures(network_ids: Sequence[int], year: int, month: int) -> dict[int, dict]:
    """The unsuppressed figures of each network for a month, from the live data.

    Each registered section runs a fixed number of aggregate queries for all networks at
    once. An unfinished month is counted up to today.
    """
    first, last = month_bounds(year, month)
    last = min(last, max(first, local_today()))
    network_ids = list(network_ids)
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


def closed_reports(
    network_ids: Sequence[int], months: Sequence[tuple[int, int]]
) -> dict[tuple[int, int, int], MonthlyReport]:
    """The closed months among the given networks and months, in one query."""
    if not network_ids or not months:
        return {}
    rows = db.session.execute(
        select(MonthlyReport).where(
            MonthlyReport.network_id.in_(list(network_ids)),
            tuple_(MonthlyReport.year, MonthlyReport.month).in_(list(months)),
        )
    ).scalars()
    return {(r.network_id, r.year, r.month): r for r in rows}


def figures_for(
    network_ids: Sequence[int],
    year: int,
    month: int,
    closed: dict[tuple[int, int, int], MonthlyReport] | None = None,
) -> tuple[dict[int, dict], dict[int, MonthlyReport]]:
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
    figures.update(compute_figures(open_ids, year, month))
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


def suppress_many(per_network: Sequence[dict], threshold: int) -> tuple[list[dict], dict]:
    """Sum the networks' figures and decide what to hide in the sum.

    Besides the ordinary rules, a figure hidden in exactly one network is hidden in the sum
    too, so that the sum minus the other networks cannot give it back.
    """
    if len(per_network) == 1:
        sections = per_network[0]["sections"]
        return sections, suppress_report(sections, threshold)
    hidden_each = [suppress_report(f["sections"], threshold) for f in per_network]
    sections = sum_figures(per_network)
    return sections, suppress_report(sections, threshold, force=forced_in_sum(hidden_each))


@dataclass
class Report:
    """A month's report for one network or the sum of several, ready to present."""

    year: int
    month: int
    networks: list[Network]
    sections: list[dict]
    hidden: dict[str, str]
    threshold: int
    snapshots: dict[int, MonthlyReport] = field(default_factory=dict)

    @property
    def network(self) -> Network | None:
        """The one network of the report, or None for a sum over networks."""
        return self.networks[0] if len(self.networks) == 1 else None

    @property
    def snapshot(self) -> MonthlyReport | None:
        """The closed month of a one-network report."""
        return self.snapshots.get(self.networks[0].id) if self.network else None

    @property
    def is_closed(self) -> bool:
        """True when every network of the report has closed the month."""
        return len(self.snapshots) == len(self.networks)

    @property
    def first_day(self) -> date:
        """The first day of the month."""
        return date(self.year, self.month, 1)

    @cached_property
    def counts(self) -> dict[str, int]:
        """Every count of the report by id (cells, totals, counts)."""
        return report_system(self.sections)[0]

    def value(self, key: str) -> tuple[object, str, str]:
        """A figure's raw value, its state ("shown", "small", "hidden", "none") and kind."""
        values = self.counts
        if key in values:
            return values[key], self.hidden.get(key, "shown"), "count"
        for section in self.sections:
            for figure in section["figures"]:
                if figure["key"] == key and figure["kind"] == "hours":
                    return figure["value"], "shown", "hours"
                if figure["key"] == key and figure["kind"] in ("share", "mean"):
                    if not figure["den"]:
                        return None, "none", figure["kind"]
                    value = figure["num"] / figure["den"]
                    return value, self.hidden.get(key, "shown"), figure["kind"]
        return None, "none", "count"


def build_report(
    networks: Sequence[Network],
    year: int,
    month: int,
    threshold: int,
    closed: dict[tuple[int, int, int], MonthlyReport] | None = None,
) -> Report:
    """The report of one network, or the sum of several, with what to hide decided.

    `closed`: the networks' snapshots already loaded (see `figures_for`)."""
    ids = [n.id for n in networks]
    figures, snapshots = figures_for(ids, year, month, closed)
    sections, hidden = suppress_many([figures[i] for i in ids], threshold)
    return Report(year, month, list(networks), sections, hidden, threshold, snapshots)


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
    threshold: int,
    closed: dict[tuple[int, int, int], MonthlyReport] | None = None,
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
        sections, hidden = suppress_many([snapshots[i].figures for i in ids], threshold)
        reports[(y, m)] = Report(y, m, list(networks), sections, hidden, threshold, snapshots)
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
    closed = closed_reports(network_ids, months)
    counts: dict[tuple[int, int], int] = {}
    for _, y, m in closed:
        counts[(y, m)] = counts.get((y, m), 0) + 1
    return counts


# Closing and reopening ----------------------------------------------------------------------


def close_month(network: Network, year: int, month: int, user: User | None) -> MonthlyReport:
    """Freeze a complete month's figures. Raises StatsError("not_complete"/"already_closed")."""
    if not is_complete(year, month):
        raise StatsError("not_complete")
    figures = compute_figures([network.id], year, month)[network.id]
    report = MonthlyReport(
        network_id=network.id,
        year=year,
        month=month,
        figures=figures,
        closed_by_id=user.id if user else None,
    )
    db.session.add(report)
    record(
        "stats.close",
        network_id=network.id,
        subject_type="monthly_report",
        detail=f"{year}-{month:02d}",
        user_id=user.id if user else None,
    )
    try:
        db.session.commit()
    except IntegrityError as error:  # a second click, or two coordinators at once
        db.session.rollback()
        raise StatsError("already_closed") from error
    return report


def reopen_month(
    network: Network, year: int, month: int, user: User | None, reason: str
) -> MonthlyReport:
    """Reopen a closed month with a reason: recompute its figures now and freeze them again
    as a new revision. Raises StatsError("not_closed") or ("reason_required")."""
    reason = (reason or "").strip()
    if not reason:
        raise StatsError("reason_required")
    report = db.session.execute(
        select(MonthlyReport)
        .where(
            MonthlyReport.network_id == network.id,
            MonthlyReport.year == year,
            MonthlyReport.month == month,
        )
        .with_for_update()
    ).scalar_one_or_none()
    if report is None:
        raise StatsError("not_closed")
    report.figures = compute_figures([network.id], year, month)[network.id]
    report.revision += 1
    report.revised_at = utcnow()
    report.revised_by_id = user.id if user else None
    report.revision_reason = reason[:500]
    record(
        "stats.reopen",
        network_id=network.id,
        subject_type="monthly_report",
        subject_id=report.id,
        detail=f"{year}-{month:02d}: {reason}",
        user_id=user.id if user else None,
    )
    db.session.commit()
    return report


# Reference figures -----------------------------------------------------------------------


@dataclass(frozen=True)
class AreaShare:
    """A housing area's latest published share of 18–64-year-olds outside work and education."""

    area: str
    as_of: date
    percent: float


@dataclass(frozen=True)
class Target:
    """The plan's target for a figure (by id) in the report's year."""

    metric: str
    value: float


@dataclass
class References:
    """The figures the steering group compares the month against."""

    areas: list[AreaShare]
    targets: list[Target]


def references_for(networks: Sequence[Network], year: int, month: int) -> References:
    """The latest published share per housing area up to the month, and the year's targets
    (of a one-network report), in one query."""
    ids = [n.id for n in networks]
    last = month_bounds(year, month)[1]
    query = (
        select(
            literal("area", String).label("kind"),
            AreaReference.housing_area_id.label("area_id"),
            HousingArea.name.label("name"),
            AreaReference.as_of.label("as_of"),
            AreaReference.percent.label("value"),
        )
        .join(HousingArea, HousingArea.id == AreaReference.housing_area_id)
        .where(AreaReference.network_id.in_(ids), AreaReference.as_of <= last)
    )
    if len(ids) == 1:
        query = union_all(
            query,
            select(
                literal("target", String),
                null(),
                PlanTarget.metric,
                null(),
                PlanTarget.value,
            ).where(PlanTarget.network_id == ids[0], PlanTarget.year == year),
        )
    both = query.subquery()
    rows = db.session.execute(
        select(both).order_by(both.c.kind, both.c.name, both.c.as_of.desc())
    ).all()
    latest: dict[int, AreaShare] = {}
    targets = []
    for kind, area_id, name, as_of, value in rows:
        if kind == "target":
            targets.append(Target(name, float(value)))
        elif area_id not in latest:
            latest[area_id] = AreaShare(name, as_of, float(value))
    return References(list(latest.values()), targets)


def save_area_reference(
    network: Network, housing_area_id: int, year: int, percent: float, user: User | None
) -> AreaReference:
    """Enter (or correct) the area's official share counted on 1 December of `year`."""
    area = db.session.get(HousingArea, housing_area_id)
    if area is None or area.network_id != network.id:
        raise StatsError("unknown_area")
    as_of = date(year, 12, 1)
    row = db.session.execute(
        select(AreaReference).where(
            AreaReference.housing_area_id == area.id, AreaReference.as_of == as_of
        )
    ).scalar_one_or_none()
    if row is None:
        row = AreaReference(network_id=network.id, housing_area_id=area.id, as_of=as_of)
        db.session.add(row)
    row.percent = percent
    row.entered_by_id = user.id if user else None
    _commit_or_retry(lambda: save_area_reference(network, housing_area_id, year, percent, user))
    return row


def save_target(
    network: Network, metric: str, year: int, value: float, user: User | None
) -> PlanTarget:
    """Enter (or correct) the plan's target for a figure in a year."""
    row = db.session.execute(
        select(PlanTarget).where(
            PlanTarget.network_id == network.id,
            PlanTarget.metric == metric,
            PlanTarget.year == year,
        )
    ).scalar_one_or_none()
    if row is None:
        row = PlanTarget(network_id=network.id, metric=metric, year=year)
        db.session.add(row)
    row.value = value
    row.entered_by_id = user.id if user else None
    _commit_or_retry(lambda: save_target(network, metric, year, value, user))
    return row


def _commit_or_retry(again) -> None:
    """Commit; when someone saved the same reference at the same moment, update theirs."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        again()


def delete_reference(row) -> None:
    """Remove a reference figure."""
    db.session.delete(row)
    db.session.commit()
