"""Pages where staff read the results of a form and a participant's named answers."""

from __future__ import annotations

from datetime import date

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import _

from ..core.permissions import get_in_network, roles_required
from ..timeutil import local_today
from . import personal
from . import results as result_rules
from .blueprint import STAFF, bp, locale, participant_url
from .forms import RedactForm, ResultsPeriodForm
from .models import EvaluationForm


def _default_period(today: date) -> tuple[date, date]:
    month = today.replace(day=1)
    start_index = month.year * 12 + month.month - 1 - 11
    return date(start_index // 12, start_index % 12 + 1, 1), month


def _chosen_period(period: ResultsPeriodForm) -> tuple[date, date]:
    """The months asked for (the last twelve by default), in order."""
    start, end = _default_period(local_today())
    if request.args and not period.validate():
        flash(_("Choose the months as year and month, e.g. 2026-03."), "error")
    else:
        start, end = period.start.data or start, period.end.data or end
    if start > end:
        flash(_("The first month must come before the last. Showing them swapped."), "warning")
        start, end = end, start
    period.start.data, period.end.data = start, end
    return start, end


@bp.route("/<id:form_id>/results")
@roles_required(*STAFF)
def results(form_id: int):
    """Answers of a form for a period: counts, distributions, means and (for coordinators)
    the free-text answers."""
    evaluation = get_in_network(EvaluationForm, form_id)
    period = ResultsPeriodForm(request.args)
    start, end = _chosen_period(period)
    data = result_rules.read_results(
        evaluation,
        (start.year, start.month),
        (end.year, end.month),
        with_texts=g.role == "coordinator",
    )
    return render_template(
        "netvaerk/evaluations/results.html",
        evaluation=evaluation,
        data=data,
        period=period,
        start=start,
        end=end,
        locale=locale(),
        min_cell=current_app.config["NETVAERK_MIN_CELL"],
        show_texts=g.role == "coordinator",
    )


@bp.route("/answers/<answer_id>/redact", methods=["GET", "POST"])
@roles_required("coordinator")
def redact(answer_id: str):
    """Rewrite a free-text answer so it can be quoted without identifying anyone."""
    item = result_rules.text_answer_in_network(answer_id, g.network.id)
    if item is None:
        abort(404)
    form = RedactForm(obj=item)
    evaluation = item.question.version.form
    if form.validate_on_submit():
        result_rules.redact_answer(item, form.text.data)
        flash(_("The answer is redacted."), "success")
        return redirect(url_for("netvaerk.evaluations.results", form_id=evaluation.id))
    return render_template(
        "netvaerk/evaluations/redact.html",
        item=item,
        form=form,
        evaluation=evaluation,
        locale=locale(),
    )


@bp.route("/submissions/<submission_id>")
@roles_required(*STAFF)
def submission(submission_id: str):
    """One participant's answers to a named form (anonymous answers are never shown singly)."""
    found = personal.read_named_submission(submission_id, g.network.id)
    if found is None:
        abort(404)
    return render_template(
        "netvaerk/evaluations/submission.html",
        submission=found,
        items=sorted(found.items, key=lambda i: (i.question.position, i.question.id)),
        describe=personal.describe_item,
        locale=locale(),
        back=participant_url(found.participant),
    )
