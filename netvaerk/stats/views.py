"""Steering pages: the monthly report, the trend, print view, exports, closing and reopening
months, and the reference figures. Only aggregated, suppressed figures leave these views."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..audit.services import action_label_for
from ..core.models import HousingArea
from ..core.permissions import get_in_network, roles_required
from ..core.registry import home_panel, nav_item
from ..extensions import db
from ..timeutil import local_today
from . import services
from .charts import bar_chart
from .exports import to_csv, to_pdf, to_xlsx
from .forms import AreaReferenceForm, CloseMonthForm, ReopenMonthForm, TargetForm
from .models import AreaReference, PlanTarget
from .presentation import display, legend, month_name, present_report
from .sections import TREND_METRICS

bp = Blueprint("stats", __name__, url_prefix="/stats")

nav_item("netvaerk.stats.index", _l("Statistics"), ("coordinator", "steering", "admin"), order=80)

READERS = ("coordinator", "steering")
action_label_for("stats.close", _l("Closed a month's report"))
action_label_for("stats.reopen", _l("Reopened a month's report"))


@home_panel("netvaerk/stats/_home_panel.html", roles=("coordinator",), order=80)
def last_month_panel() -> dict:
    """On the coordinator's start page: is last month closed for the steering group yet?"""
    today = local_today()
    year, month = services.add_months(today.year, today.month, -1)
    closed = services.closed_reports([g.network.id], [(year, month)])
    return {"year": year, "month": month, "closed": bool(closed)}


ERRORS = {
    "not_complete": _l("Only a month that has ended can be closed."),
    "already_closed": _l("The month is closed already."),
    "not_closed": _l("The month is not closed, so there is nothing to reopen."),
    "reason_required": _l("Please write why the month is reopened."),
    "unknown_area": _l("Please choose one of the network's housing areas."),
}


@bp.app_template_global()
def stat_text(item) -> str:
    """A figure as text, with small counts shown as "<5" (the configured threshold)."""
    return display(item, current_app.config["NETVAERK_MIN_CELL"])


@bp.app_template_global()
def stats_month_name(year: int, month: int) -> str:
    """The month in the reader's language, e.g. "marts 2026"."""
    return month_name(year, month)


@bp.app_template_global()
def stats_short_month(year: int, month: int) -> str:
    """The month's short name for a chart axis, e.g. "mar."."""
    from datetime import date

    from flask_babel import format_date

    return format_date(date(year, month, 1), "MMM")


def _threshold() -> int:
    return int(current_app.config["NETVAERK_MIN_CELL"])


def _viewable():
    """The networks the user may read, loaded once per request (from the memberships the
    request has already loaded, for all but administrators)."""
    if "stats_networks" not in g:
        g.stats_networks = services.viewable_networks(current_user, g.get("memberships"))
    return g.stats_networks


def _scope():
    """The networks the page covers (from ?network=<id>|all) and the value to link with."""
    networks = _viewable()
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


def _may_close(networks) -> bool:
    """Coordinators close and reopen months of their current network only."""
    return (
        g.get("role") == "coordinator"
        and g.get("network") is not None
        and len(networks) == 1
        and networks[0].id == g.network.id
    )


def _check_month(year: int, month: int) -> None:
    today = local_today()
    if not (1 <= month <= 12 and 2000 <= year <= 2200) or (year, month) > (today.year, today.month):
        abort(404)


def _trend_charts(networks, year: int, month: int, closed=None) -> list[dict]:
    charts = []
    for label, key, points in services.trend(networks, year, month, _threshold(), closed):
        kind = next((p.kind for p in points if p.state != "open"), "count")
        charts.append(
            {
                "key": key.replace(".", "-"),
                "label": str(label),
                "points": points,
                "chart": bar_chart(points, kind),
            }
        )
    return charts


def _month_links(network_ids, count: int = 24) -> list[dict]:
    today = local_today()
    months = services.last_months(today.year, today.month, count)
    closed = services.month_statuses(network_ids, months)
    return [
        {"year": y, "month": m, "closed": closed.get((y, m), 0) == len(network_ids)}
        for y, m in reversed(months)
    ]


def _context(networks, scope: str, year: int, month: int, with_trend: bool = True) -> dict:
    """The report's page context; with the 12-month trend (`charts`) unless told not to.

    The month's snapshots and the trend's are read in one query."""
    months = services.last_months(year, month) if with_trend else [(year, month)]
    closed = services.closed_reports([n.id for n in networks], months)
    report = services.build_report(networks, year, month, _threshold(), closed)
    references = services.references_for(networks, year, month)
    targets = []
    metric_labels = {m.key: m.label for m in TREND_METRICS}
    for target in references.targets:
        value, state, kind = report.value(target.metric)
        targets.append(
            {
                "label": metric_labels.get(target.metric, target.metric),
                "target": target.value / 100 if kind == "share" else target.value,
                "kind": kind,
                "actual_item": _item(kind, value, state),
            }
        )
    context = {
        "report": report,
        "sections": present_report(report),
        "legend": legend(_threshold()),
        "networks": networks,
        "scope": scope,
        "title": _title(networks, year, month),
        "status": _status(report),
        "area_references": references.areas,
        "targets": targets,
    }
    if with_trend:
        context["charts"] = _trend_charts(networks, year, month, closed)
    return context


def _item(kind, value, state):
    from .presentation import shown

    return shown(kind, value, state)


def _title(networks, year: int, month: int) -> str:
    if len(networks) == 1:
        return f"{networks[0].name} – {month_name(year, month)}"
    return _(
        "%(count)d networks in all – %(month)s",
        count=len(networks),
        month=month_name(year, month),
    )


def _status(report) -> str:
    from flask_babel import format_datetime

    if report.network is not None and report.snapshot is not None:
        snapshot = report.snapshot
        if snapshot.revision > 1 and snapshot.revised_at:
            return _(
                "Closed; revised %(when)s (revision %(revision)d).",
                when=format_datetime(snapshot.revised_at, "short"),
                revision=snapshot.revision,
            )
        return _("Closed %(when)s.", when=format_datetime(snapshot.closed_at, "short"))
    if report.network is None:
        return _(
            "Closed by %(closed)d of %(count)d networks; the others' figures are provisional.",
            closed=len(report.snapshots),
            count=len(report.networks),
        )
    return _("Not closed: the figures are provisional and may still change.")


@bp.route("/")
@roles_required(*READERS, admin=True)
def index():
    """The steering start page: the latest closed month and the 12-month trend."""
    networks, scope = _scope()
    latest = services.latest_closed_month([n.id for n in networks])
    context = {
        "networks": networks,
        "scope": scope,
        "all_networks": _viewable(),
        "latest": latest,
        "months": _month_links([n.id for n in networks]),
        "legend": legend(_threshold()),
    }
    if latest:
        context.update(_context(networks, scope, *latest))
    return render_template("netvaerk/stats/index.html", **context)


@bp.route("/<int:year>/<int:month>")
@roles_required(*READERS, admin=True)
def month(year: int, month: int):
    """Any month's report (closed, or provisional while open), with its trend."""
    _check_month(year, month)
    networks, scope = _scope()
    context = _context(networks, scope, year, month)
    context["may_close"] = _may_close(networks)
    context["complete"] = services.is_complete(year, month)
    context["close_form"] = CloseMonthForm()
    context["all_networks"] = _viewable()
    return render_template("netvaerk/stats/month.html", year=year, month=month, **context)


@bp.route("/<int:year>/<int:month>/print")
@roles_required(*READERS, admin=True)
def print_view(year: int, month: int):
    """The report and trend tables on one page for printing."""
    _check_month(year, month)
    networks, scope = _scope()
    context = _context(networks, scope, year, month)
    return render_template("netvaerk/stats/print.html", year=year, month=month, **context)


@bp.route("/<int:year>/<int:month>/export.<fmt>")
@roles_required(*READERS, admin=True)
def export(year: int, month: int, fmt: str):
    """The report as CSV, XLSX or PDF, with the same suppressed figures as the page."""
    if fmt not in ("csv", "xlsx", "pdf"):
        abort(404)
    _check_month(year, month)
    networks, scope = _scope()
    context = _context(networks, scope, year, month, with_trend=fmt == "pdf")
    report, title, status = context["report"], context["title"], context["status"]
    name = f"netvaerk-{year}-{month:02d}.{fmt}"
    if fmt == "csv":
        body, mimetype = to_csv(report, title, status), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body = to_xlsx(report, title, status)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        html = render_template("netvaerk/stats/pdf.html", year=year, month=month, **context)
        body, mimetype = to_pdf(html), "application/pdf"
    return Response(
        body,
        content_type=mimetype,  # the CSV's type names its charset once
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/<int:year>/<int:month>/close", methods=["POST"])
@roles_required("coordinator")
def close(year: int, month: int):
    """Close a month: its figures are frozen from now on."""
    _check_month(year, month)
    form = CloseMonthForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.close_month(g.network, year, month, current_user)
        flash(_("%(month)s is closed.", month=month_name(year, month)), "success")
    except services.StatsError as error:
        flash(str(ERRORS[error.code]), "error")
    return redirect(url_for("netvaerk.stats.month", year=year, month=month))


@bp.route("/<int:year>/<int:month>/reopen", methods=["GET", "POST"])
@roles_required("coordinator")
def reopen(year: int, month: int):
    """Reopen a closed month with a reason: its figures are recomputed and frozen again."""
    _check_month(year, month)
    form = ReopenMonthForm()
    if form.validate_on_submit():
        try:
            services.reopen_month(g.network, year, month, current_user, form.reason.data)
        except services.StatsError as error:
            flash(str(ERRORS[error.code]), "error")
            return redirect(url_for("netvaerk.stats.month", year=year, month=month))
        flash(
            _("%(month)s was recomputed and closed again.", month=month_name(year, month)),
            "success",
        )
        return redirect(url_for("netvaerk.stats.month", year=year, month=month))
    return render_template("netvaerk/stats/reopen.html", form=form, year=year, month=month)


def _reference_forms():
    areas = (
        db.session.execute(
            db.select(HousingArea)
            .where(HousingArea.network_id == g.network.id)
            .order_by(HousingArea.name)
        )
        .scalars()
        .all()
    )
    area_form = AreaReferenceForm(prefix="area")
    area_form.housing_area.choices = [(a.id, a.name) for a in areas]
    target_form = TargetForm(prefix="target")
    target_form.metric.choices = [(m.key, str(m.label)) for m in TREND_METRICS]
    return area_form, target_form


@bp.route("/references", methods=["GET", "POST"])
@roles_required("coordinator")
def references():
    """The figures the steering group compares against: area shares and the plan's targets."""
    area_form, target_form = _reference_forms()
    if request.method == "POST":
        if "area-submit" in request.form and area_form.validate_on_submit():
            services.save_area_reference(
                g.network,
                area_form.housing_area.data,
                area_form.year.data,
                float(area_form.percent.data),
                current_user,
            )
            flash(_("The area's share is saved."), "success")
            return redirect(url_for("netvaerk.stats.references"))
        if "target-submit" in request.form and target_form.validate_on_submit():
            services.save_target(
                g.network,
                target_form.metric.data,
                target_form.year.data,
                float(target_form.value.data),
                current_user,
            )
            flash(_("The target is saved."), "success")
            return redirect(url_for("netvaerk.stats.references"))
        if "area-submit" not in request.form and "target-submit" not in request.form:
            abort(400)
    area_rows = (
        db.session.execute(
            db.select(AreaReference)
            .where(AreaReference.network_id == g.network.id)
            .order_by(AreaReference.as_of.desc())
        )
        .scalars()
        .all()
    )
    target_rows = (
        db.session.execute(
            db.select(PlanTarget)
            .where(PlanTarget.network_id == g.network.id)
            .order_by(PlanTarget.year.desc(), PlanTarget.metric)
        )
        .scalars()
        .all()
    )
    metric_labels = {m.key: m.label for m in TREND_METRICS}
    return render_template(
        "netvaerk/stats/references.html",
        area_form=area_form,
        target_form=target_form,
        area_rows=area_rows,
        target_rows=target_rows,
        metric_labels=metric_labels,
        delete_form=CloseMonthForm(),
    )


@bp.route("/references/<kind>/<id:row_id>/delete", methods=["POST"])
@roles_required("coordinator")
def delete_reference(kind: str, row_id: int):
    """Remove an area share or a target entered by mistake."""
    model = {"area": AreaReference, "target": PlanTarget}.get(kind)
    if model is None:
        abort(404)
    row = get_in_network(model, row_id)
    if not CloseMonthForm().validate_on_submit():
        abort(400)
    services.delete_reference(row)
    flash(_("The reference figure is removed."), "success")
    return redirect(url_for("netvaerk.stats.references"))
