"""What the statistics pages show: who reads which networks, exactly or protected, and the
context of a month's page. Request helpers for `views`; the rules live in the services."""

from __future__ import annotations

from datetime import date

from flask import abort, g, request
from flask_babel import _, format_date
from flask_login import current_user

from ..extensions import db
from ..labels import format_moment
from ..timeutil import local_today
from . import periods, references, services
from .charts import bar_chart
from .closing import REOPEN_REASONS
from .forms import AreaReferenceForm, TargetForm
from .models import AreaReference, PlanTarget
from .presentation import (
    display,
    legend,
    method_footnote,
    month_name,
    present_report,
    protection_note,
    shown,
    use_period_words,
)
from .sections import TREND_METRICS


def stat_text(item) -> str:
    """A figure as text ("n<5" for a share or mean over too few people)."""
    return display(item)


def stats_month_name(year: int, month: int) -> str:
    """The month in the reader's language, e.g. "marts 2026"."""
    return month_name(year, month)


def stats_short_month(year: int, month: int) -> str:
    """The month's short name for a chart axis, e.g. "mar."."""
    return format_date(date(year, month, 1), "MMM")


TEMPLATE_HELPERS = (stat_text, stats_month_name, stats_short_month)


def viewable():
    """The networks the user may read, loaded once per request."""
    if "stats_networks" not in g:
        g.stats_networks = services.viewable_networks(current_user, g.get("memberships"))
    return g.stats_networks


def scope():
    """The networks the page covers (from ?network=<id>|all) and the value to link with."""
    networks = viewable()
    if not networks:
        abort(404)
    choice = request.args.get("network", "")
    if choice == "all":
        if len(networks) < 2:
            abort(404)
        return networks, "all"
    if choice:
        chosen = next((n for n in networks if str(n.id) == choice), None)
        if chosen is None:
            abort(404)
        return [chosen], str(chosen.id)
    current = g.get("network")
    if current is not None and any(n.id == current.id for n in networks):
        return [current], str(current.id)
    if len(networks) > 1:
        return networks, "all"
    return networks, str(networks[0].id)


def may_close(networks) -> bool:
    """Coordinators close and reopen months of their current network only."""
    return (
        g.get("role") == "coordinator"
        and g.get("network") is not None
        and len(networks) == 1
        and networks[0].id == g.network.id
    )


def sees_exact(networks) -> bool:
    """A coordinator reading their own network sees its exact figures; everyone else (the
    steering group, administrators, sums over networks) sees protected ones."""
    return may_close(networks)


def month_links(networks, count: int = 24) -> list[dict]:
    """The last `count` months with whether they are closed; readers of protected figures
    only get the closed ones."""
    ids = [n.id for n in networks]
    today = local_today()
    months = services.last_months(today.year, today.month, count)
    closed = services.month_statuses(ids, months)
    links = [
        {"year": y, "month": m, "closed": closed.get((y, m), 0) == len(ids)}
        for y, m in reversed(months)
    ]
    return links if sees_exact(networks) else [link for link in links if link["closed"]]


def _trend_charts(networks, year: int, month: int, exact: bool, closed) -> list[dict]:
    charts = []
    for label, key, points in services.trend(networks, year, month, exact=exact, closed=closed):
        kind = next((p.kind for p in points if p.state != "open"), "count")
        charts.append(
            {
                "key": key.replace(".", "-"),
                "label": str(label),
                "year": year,
                "month": month,
                "points": points,
                "chart": bar_chart(points, kind),
            }
        )
    return charts


def chart_context(context: dict, name: str) -> dict:
    """A month page's context narrowed to one trend chart (`name`: its key), for the chart's
    own page: the same published values as the report, nothing computed anew; 404 when the
    month has no such chart."""
    chart = next((c for c in context.get("charts", ()) if c["key"] == name), None)
    if chart is None:
        abort(404)
    return {**context, "chart": chart}


def _targets(report, found) -> list[dict]:
    metrics = {m.key: m for m in TREND_METRICS}
    targets = []
    for target in found.targets:
        value, state, value_kind = report.value(target.metric)
        metric = metrics.get(target.metric)
        # The registered kind: a withheld share reads as a count in `report.value`, yet its
        # target is still a percentage (issue 29: "40" without its % sign).
        kind = "share" if metric is not None and metric.kind == "share" else value_kind
        targets.append(
            {
                "label": metric.label if metric is not None else target.metric,
                "target": target.value / 100 if kind == "share" else target.value,
                "kind": kind,
                "actual_item": shown(value_kind, value, state),
            }
        )
    return targets


def _report_context(report, networks, chosen: str, exact: bool) -> dict:
    """What every report page shows of a report: month, quarter or year."""
    return {
        "report": report,
        "sections": present_report(report),
        "legend": legend(),
        "protection_note": protection_note(report),
        "method_footnote": None if exact else method_footnote(),
        "networks": networks,
        "scope": chosen,
    }


def page_context(
    networks, chosen: str, year: int, month: int, with_trend: bool = True, exact: bool | None = None
) -> dict:
    """A month's page context (with the 12-month trend unless told not to); 404 when the
    reader sees protected figures and not every network has closed the month, so that an
    open month answers exactly like an unknown one. `exact=False`: as the steering group
    reads it, whoever asks (the summary mail, written in a coordinator's request)."""
    exact = sees_exact(networks) if exact is None else exact
    months = services.last_months(year, month) if with_trend else [(year, month)]
    closed = services.closed_reports([n.id for n in networks], months)
    if not exact and any((n.id, year, month) not in closed for n in networks):
        abort(404)
    report = services.build_report(
        networks, year, month, exact=exact, closed=closed, today=local_today()
    )
    found = references.references_for(networks, year, month)
    context = {
        **_report_context(report, networks, chosen, exact),
        "title": _title(networks, year, month),
        "status": _status(report),
        "revision_reason": _revision_reason(report),
        "area_references": found.areas,
        "targets": _targets(report, found),
    }
    if with_trend:
        context["charts"] = _trend_charts(networks, year, month, exact, closed)
        previous = services.add_months(year, month, -1)
        if exact or all((n.id, *previous) in closed for n in networks):
            context["previous_month"] = previous
    return context


def _title(networks, year: int, month: int) -> str:
    if len(networks) == 1:
        return f"{networks[0].name} – {month_name(year, month)}"
    return _(
        "%(count)d networks in all – %(month)s",
        count=len(networks),
        month=month_name(year, month),
    )


def _revision_reason(report) -> str | None:
    snapshot = report.snapshot
    if snapshot is None or not snapshot.revision_reason:
        return None
    label = REOPEN_REASONS.get(snapshot.revision_reason)
    # Months reopened before the fixed list kept a free text: only coordinators see it.
    return str(label) if label else (snapshot.revision_reason if report.exact else _("Other"))


def _status(report) -> str:
    if report.network is not None and report.snapshot is not None:
        snapshot = report.snapshot
        if snapshot.revision > 1 and snapshot.revised_at:
            return _(
                "Closed; revised %(when)s (revision %(revision)d).",
                when=format_moment(snapshot.revised_at, "short"),
                revision=snapshot.revision,
            )
        return _("Closed %(when)s.", when=format_moment(snapshot.closed_at, "short"))
    if report.network is None:
        return _(
            "Closed by %(closed)d of %(count)d networks; the others' figures are provisional.",
            closed=len(report.snapshots),
            count=len(report.networks),
        )
    return _("Not closed: the figures are provisional and may still change.")


def reference_forms():
    """The two forms of the reference page, with the network's areas and the figures."""
    area_form = AreaReferenceForm(prefix="area")
    area_form.housing_area.choices = [(a.id, a.name) for a in references.network_areas(g.network)]
    target_form = TargetForm(prefix="target")
    target_form.metric.choices = [(m.key, str(m.label)) for m in TREND_METRICS]
    return area_form, target_form


def reference_rows(area_form, target_form, delete_form) -> dict:
    """The reference page's context: the forms and the figures entered so far."""
    network_id = g.network.id
    area_rows = db.session.execute(
        db.select(AreaReference)
        .where(AreaReference.network_id == network_id)
        .order_by(AreaReference.as_of.desc())
    ).scalars()
    target_rows = db.session.execute(
        db.select(PlanTarget)
        .where(PlanTarget.network_id == network_id)
        .order_by(PlanTarget.year.desc(), PlanTarget.metric)
    ).scalars()
    return {
        "area_form": area_form,
        "target_form": target_form,
        "area_rows": area_rows.all(),
        "target_rows": target_rows.all(),
        "metric_labels": {m.key: m.label for m in TREND_METRICS},
        "share_metrics": {m.key for m in TREND_METRICS if m.kind == "share"},
        "delete_form": delete_form,
    }


# Quarters and years -----------------------------------------------------------------------


def period_name(year: int, quarter: int | None) -> str:
    """A quarter or a year in the reader's language, e.g. "1. kvartal 2026"."""
    if quarter is None:
        return _("The year %(year)d", year=year)
    return _("Quarter %(quarter)d %(year)d", quarter=quarter, year=year)


def period_context(networks, chosen: str, year: int, quarter: int | None) -> dict:
    """A quarter's or a year's page context; 404 when the period has not begun, or when the
    reader sees protected figures and a month of it is not closed by every network (the
    same page as an unknown period)."""
    today = local_today()
    months = periods.period_months(year, quarter)
    if months[0] > (today.year, today.month):
        abort(404)
    exact = sees_exact(networks)
    ids = [n.id for n in networks]
    closed = services.closed_reports(ids, months)
    complete = periods.is_closed(ids, year, quarter, closed)
    if not exact and not complete:
        abort(404)
    report = periods.build_period_report(
        networks, year, quarter, exact=exact, closed=closed, today=today
    )
    name = period_name(year, quarter)
    title = (
        f"{networks[0].name} – {name}"
        if len(networks) == 1
        else _("%(count)d networks in all – %(month)s", count=len(networks), month=name)
    )
    status = (
        _("Built from the closed months.")
        if complete
        else _("Not every month is closed: the figures are provisional and may still change.")
    )
    use_period_words()
    return {
        **_report_context(report, networks, chosen, exact),
        "title": title,
        "status": status,
        "area_references": [],
        "targets": [],
        "year": year,
        "quarter": quarter,
    }


def period_links(networks, years: int = 3) -> list[dict]:
    """The quarters and years of the last `years` years that have begun, newest first, with
    whether every network has closed them; readers of protected figures get closed ones only."""
    ids = [n.id for n in networks]
    today = local_today()
    months = [(y, m) for y in range(today.year - years + 1, today.year + 1) for m in range(1, 13)]
    closed = services.closed_months(
        ids, [(y, m) for y, m in months if (y, m) <= (today.year, today.month)]
    )
    links = []
    for year in range(today.year, today.year - years, -1):
        for quarter in (None, 4, 3, 2, 1):
            if periods.period_months(year, quarter)[0] > (today.year, today.month):
                continue
            done = periods.is_closed(ids, year, quarter, closed)
            if done or sees_exact(networks):
                links.append(
                    {
                        "year": year,
                        "quarter": quarter,
                        "closed": done,
                        "name": period_name(year, quarter),
                    }
                )
    return links
