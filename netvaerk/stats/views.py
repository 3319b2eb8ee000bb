"""Statistics pages: the monthly report, the trend, print view, exports, closing and reopening
months, and the reference figures.

The steering group (and an administrator) sees closed months only, with perturbed counts; a
coordinator sees the exact figures of their own network, open months included."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import _
from flask_login import current_user

from ..core.errors import UserError, save_form, show_user_error
from ..core.permissions import get_in_network, roles_required
from ..timeutil import local_today
from . import references, services, summary
from .exports import PdfUnavailable, month_pdf, to_csv, to_xlsx
from .forms import CloseMonthForm, ReopenMonthForm
from .models import AreaReference, PlanTarget
from .page_context import (
    TEMPLATE_HELPERS,
    chart_context,
    may_close,
    month_links,
    page_context,
    period_context,
    period_links,
    reference_forms,
    reference_rows,
    scope,
    viewable,
)
from .presentation import legend, month_name

bp = Blueprint("stats", __name__, url_prefix="/stats")
for _helper in TEMPLATE_HELPERS:
    bp.add_app_template_global(_helper)

READERS = ("coordinator", "steering")
EXPORT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}


def _check_month(year: int, month: int) -> None:
    today = local_today()
    if not (1 <= month <= 12 and 2000 <= year <= 2200) or (year, month) > (today.year, today.month):
        abort(404)


def _month_page(year: int, month: int, with_trend: bool = True) -> dict:
    """The report's context; 404 for a month the reader may not see (an unknown month, or one
    not closed by every network for a reader of protected figures)."""
    _check_month(year, month)
    networks, chosen = scope()
    return page_context(networks, chosen, year, month, with_trend)


@bp.route("/")
@roles_required(*READERS, admin=True)
def index():
    """The start page: the latest closed month and the 12-month trend."""
    networks, chosen = scope()
    latest = services.latest_closed_month([n.id for n in networks])
    context = {"networks": networks, "scope": chosen, "all_networks": viewable()}
    context.update(latest=latest, legend=legend(), months=month_links(networks))
    context["periods"] = period_links(networks)
    if latest:
        context.update(page_context(networks, chosen, *latest))
    return render_template("netvaerk/stats/index.html", **context)


@bp.route("/<int:year>/<int:month>")
@roles_required(*READERS, admin=True)
def month(year: int, month: int):
    """A month's report (closed; open ones for a coordinator's own network), with its trend."""
    context = _month_page(year, month)
    context["may_close"] = may_close(context["networks"])
    context["complete"] = services.is_complete(year, month, local_today())
    context.update(close_form=CloseMonthForm(), all_networks=viewable())
    context["periods"] = period_links(context["networks"])
    return render_template("netvaerk/stats/month.html", year=year, month=month, **context)


@bp.route("/<int:year>/<int:month>/print")
@roles_required(*READERS, admin=True)
def print_view(year: int, month: int):
    """The report and trend tables on one page for printing."""
    context = _month_page(year, month)
    return render_template("netvaerk/stats/print.html", year=year, month=month, **context)


@bp.route("/<int:year>/<int:month>/chart/<name>")
@roles_required(*READERS, admin=True)
def chart(year: int, month: int, name: str):
    """One trend chart of a month, large, with its numbers beside it: the report's own
    figures (protected alike), so it may be read by whoever may read the month."""
    context = chart_context(_month_page(year, month), name)
    return render_template("netvaerk/stats/chart.html", year=year, month=month, **context)


@bp.route("/<int:year>/<int:month>/export.<fmt>")
@roles_required(*READERS, admin=True)
def export(year: int, month: int, fmt: str):
    """The report as CSV, XLSX or PDF, with the same figures as the page."""
    if fmt not in EXPORT_TYPES:
        abort(404)
    context = _month_page(year, month, with_trend=fmt == "pdf")
    return _export_response(context, fmt, f"netvaerk-{year}-{month:02d}", year=year, month=month)


def _export_response(context: dict, fmt: str, filename: str, **extra) -> Response:
    report, title, status = context["report"], context["title"], context["status"]
    if fmt == "csv":
        body = to_csv(report, title, status)
    elif fmt == "xlsx":
        body = to_xlsx(report, title, status)
    else:
        try:
            body = month_pdf(context, **extra)
        except PdfUnavailable:
            return _pdf_unavailable()
    disposition = f'attachment; filename="{filename}.{fmt}"'
    return Response(
        body, content_type=EXPORT_TYPES[fmt], headers={"Content-Disposition": disposition}
    )


def _pdf_unavailable():
    """The PDF export where WeasyPrint lacks the system's Pango library: say so plainly."""
    text = _(
        "The PDF cannot be made on this server: a program library for text (Pango) is "
        "missing. The operator can install it (see the README). The CSV and spreadsheet "
        "downloads work."
    )
    title = _("The PDF is not available")
    page = render_template("netvaerk/errors/error.html", code=503, title=title, text=text)
    return Response(page, status=503)


def _period_page(year: int, quarter: int | None) -> dict:
    """A quarter's or year's context; 404 for one the reader may not see (see `_month_page`)."""
    if not (2000 <= year <= 2200) or quarter not in (None, 1, 2, 3, 4):
        abort(404)
    networks, chosen = scope()
    context = period_context(networks, chosen, year, quarter)
    context.update(all_networks=viewable(), periods=period_links(networks))
    return context


@bp.route("/<int:year>/q<int:quarter>")
@roles_required(*READERS, admin=True)
def quarter(year: int, quarter: int):
    """A quarter's report, with the breakdowns where enough people are behind them."""
    return render_template("netvaerk/stats/period.html", **_period_page(year, quarter))


@bp.route("/<int:year>")
@roles_required(*READERS, admin=True)
def year(year: int):
    """A year's report, with the breakdowns where enough people are behind them."""
    return render_template("netvaerk/stats/period.html", **_period_page(year, None))


@bp.route("/<int:year>/q<int:quarter>/export.<fmt>")
@roles_required(*READERS, admin=True)
def quarter_export(year: int, quarter: int, fmt: str):
    """A quarter's report as CSV, XLSX or PDF, with the same figures as the page."""
    if fmt not in EXPORT_TYPES:
        abort(404)
    return _export_response(_period_page(year, quarter), fmt, f"netvaerk-{year}-q{quarter}")


@bp.route("/<int:year>/export.<fmt>")
@roles_required(*READERS, admin=True)
def year_export(year: int, fmt: str):
    """A year's report as CSV, XLSX or PDF, with the same figures as the page."""
    if fmt not in EXPORT_TYPES:
        abort(404)
    return _export_response(_period_page(year, None), fmt, f"netvaerk-{year}")


@bp.route("/<int:year>/<int:month>/close", methods=["POST"])
@roles_required("coordinator")
def close(year: int, month: int):
    """Close a month: its figures are frozen from now on."""
    _check_month(year, month)
    if not CloseMonthForm().validate_on_submit():
        abort(400)
    try:
        summary.close_and_tell(g.network, year, month, current_user, local_today())
        flash(_("%(month)s is closed.", month=month_name(year, month)), "success")
    except UserError as error:
        show_user_error(error)
    return redirect(url_for("netvaerk.stats.month", year=year, month=month))


@bp.route("/<int:year>/<int:month>/reopen", methods=["GET", "POST"])
@roles_required("coordinator")
def reopen(year: int, month: int):
    """Reopen a closed month with a reason: its figures are recomputed and frozen again."""
    _check_month(year, month)
    form = ReopenMonthForm()
    saved = save_form(
        form,
        lambda: summary.reopen_and_tell(
            g.network, year, month, current_user, form.reason.data, form.note.data or ""
        ),
        _("%(month)s was recomputed and closed again.", month=month_name(year, month)),
        url_for("netvaerk.stats.month", year=year, month=month),
    )
    return saved or render_template("netvaerk/stats/reopen.html", form=form, year=year, month=month)


def _save_reference(area_form, target_form) -> str | None:
    """Save whichever reference form was sent; the message to show, or None if not valid."""
    if "area-submit" in request.form and area_form.validate_on_submit():
        area, year = area_form.housing_area.data, area_form.year.data
        percent = float(area_form.percent.data)
        references.save_area_reference(g.network, area, year, percent, current_user)
        return _("The area's share is saved.")
    if "target-submit" in request.form and target_form.validate_on_submit():
        metric, year = target_form.metric.data, target_form.year.data
        value = float(target_form.value.data)
        references.save_target(g.network, metric, year, value, current_user)
        return _("The target is saved.")
    return None


@bp.route("/references", methods=["GET", "POST"], endpoint="references")
@roles_required("coordinator")
def references_page():
    """The figures the steering group compares against: area shares and the plan's targets."""
    area_form, target_form = reference_forms()
    if request.method == "POST":
        if not {"area-submit", "target-submit"} & set(request.form):
            abort(400)
        try:
            message = _save_reference(area_form, target_form)
        except UserError as error:
            show_user_error(error, area_form)
            message = None
        if message:
            flash(message, "success")
            return redirect(url_for("netvaerk.stats.references"))
    rows = reference_rows(area_form, target_form, CloseMonthForm())
    return render_template("netvaerk/stats/references.html", **rows)


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
    references.delete_reference(row)
    flash(_("The reference figure is removed."), "success")
    return redirect(url_for("netvaerk.stats.references"))
