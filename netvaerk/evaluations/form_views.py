"""Pages where coordinators define evaluation forms and their questions."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import _

from ..core.errors import save_form
from ..core.once import saved_once
from ..core.permissions import MAX_ID, get_in_network, roles_required
from ..timeutil import utcnow
from . import delivery, versions
from .answers import TEXT_CAP
from .blueprint import STAFF, bp, locale
from .forms import CsrfOnlyForm, FormDetailsForm, QuestionForm, lines
from .models import EvaluationForm, FormQuestion


def _question_data(form: QuestionForm) -> versions.QuestionData:
    return versions.QuestionData(
        kind=form.kind.data,
        required=form.required.data,
        text_da=form.text_da.data or "",
        text_en=form.text_en.data or "",
        low_label_da=form.low_label_da.data or "",
        low_label_en=form.low_label_en.data or "",
        high_label_da=form.high_label_da.data or "",
        high_label_en=form.high_label_en.data or "",
        choices_da=lines(form.choices_da.data),
        choices_en=lines(form.choices_en.data),
    )


def _details(form: FormDetailsForm) -> dict:
    return {
        "title_da": form.title_da.data.strip(),
        "title_en": form.title_en.data.strip(),
        "intro_da": (form.intro_da.data or "").strip(),
        "intro_en": (form.intro_en.data or "").strip(),
        "purpose": form.purpose.data,
        "is_named": form.is_named.data,
    }


def _edit_url(form_id: int) -> str:
    return url_for("netvaerk.evaluations.edit_form", form_id=form_id)


@bp.route("/")
@roles_required(*STAFF)
def index():
    """The network's forms, with what can be done with each."""
    return render_template(
        "netvaerk/evaluations/index.html",
        forms=versions.network_forms(g.network.id),
        waiting=delivery.pending_tablet_sessions(g.network.id, utcnow()),
        locale=locale(),
        cancel_form=CsrfOnlyForm(),
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required("coordinator")
def new_form():
    """Create a form (questions are added next)."""
    form = FormDetailsForm()
    saved = save_form(
        form,
        lambda: saved_once(
            form.once_key.data, lambda: versions.create_form(g.network.id, **_details(form))
        ),
        _("The form is created. Now add its questions."),
        lambda created: _edit_url(created.id),
    )
    return saved or render_template("netvaerk/evaluations/new.html", form=form)


@bp.route("/<id:form_id>", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit_form(form_id: int):
    """A form's details and questions; coordinators edit them."""
    evaluation = get_in_network(EvaluationForm, form_id)
    details = FormDetailsForm(obj=evaluation)
    if request.method == "POST" and g.role != "coordinator":
        abort(403)
    saved = save_form(
        details,
        lambda: versions.update_form_details(evaluation, **_details(details)),
        _("The form is saved."),
        _edit_url(form_id),
    )
    return saved or render_template(
        "netvaerk/evaluations/edit.html",
        evaluation=evaluation,
        details=details,
        has_answers=versions.version_has_answers(evaluation.current_version),
        action_form=CsrfOnlyForm(),
        locale=locale(),
    )


@bp.route("/<id:form_id>/active", methods=["POST"])
@roles_required("coordinator")
def toggle_active(form_id: int):
    """Archive a form or bring it back into use."""
    evaluation = get_in_network(EvaluationForm, form_id)
    if CsrfOnlyForm().validate_on_submit():
        versions.set_form_active(evaluation, not evaluation.is_active)
        flash(
            _("The form is in use again.") if evaluation.is_active else _("The form is archived."),
            "success",
        )
    return redirect(_edit_url(form_id))


def _question_of(evaluation: EvaluationForm, question_id: int) -> FormQuestion:
    """A question of the form's current version (an older version's id maps by key)."""
    if question_id > MAX_ID:
        abort(404)
    question = versions.question_in_form(evaluation, question_id)
    if question is None:
        abort(404)
    return question


def _render_question(evaluation, form, question):
    return render_template(
        "netvaerk/evaluations/question.html",
        evaluation=evaluation,
        form=form,
        question=question,
        has_answers=versions.version_has_answers(evaluation.current_version),
    )


def _save_question(evaluation, form: QuestionForm, question: FormQuestion | None) -> bool:
    """Add or change the question; False (with the problems on the form) when it cannot."""
    data = _question_data(form)
    problems = versions.question_problems(data)
    for name, message in problems.items():
        getattr(form, name).errors = list(getattr(form, name).errors or []) + [message]
    if problems:
        return False
    if question is None:
        versions.add_question(evaluation, data)
    else:
        versions.update_question(evaluation, question, data)
    return True


@bp.route("/<id:form_id>/questions/new", methods=["GET", "POST"])
@roles_required("coordinator")
def new_question(form_id: int):
    """Add a question to a form."""
    evaluation = get_in_network(EvaluationForm, form_id)
    form = QuestionForm()
    if form.validate_on_submit() and _save_question(evaluation, form, None):
        flash(_("The question is added."), "success")
        return redirect(_edit_url(form_id))
    return _render_question(evaluation, form, None)


@bp.route("/<id:form_id>/questions/<id:question_id>", methods=["GET", "POST"])
@roles_required("coordinator")
def edit_question(form_id: int, question_id: int):
    """Change a question (in a new version when the form has answers)."""
    evaluation = get_in_network(EvaluationForm, form_id)
    question = _question_of(evaluation, question_id)
    form = QuestionForm(obj=question)
    if request.method == "GET":
        form.choices_da.data = "\n".join(c["da"] for c in question.choices or [])
        form.choices_en.data = "\n".join(c["en"] for c in question.choices or [])
    if form.validate_on_submit() and _save_question(evaluation, form, question):
        flash(_("The question is saved."), "success")
        return redirect(_edit_url(form_id))
    return _render_question(evaluation, form, question)


@bp.route("/<id:form_id>/questions/<id:question_id>/delete", methods=["POST"])
@roles_required("coordinator")
def delete_question(form_id: int, question_id: int):
    """Remove a question (earlier answers keep theirs)."""
    evaluation = get_in_network(EvaluationForm, form_id)
    question = _question_of(evaluation, question_id)
    if CsrfOnlyForm().validate_on_submit():
        versions.delete_question(evaluation, question)
        flash(_("The question is removed."), "success")
    return redirect(_edit_url(form_id))


@bp.route("/<id:form_id>/questions/<id:question_id>/move", methods=["POST"])
@roles_required("coordinator")
def move_question(form_id: int, question_id: int):
    """Move a question up or down."""
    evaluation = get_in_network(EvaluationForm, form_id)
    question = _question_of(evaluation, question_id)
    step = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if step is None:
        abort(400)
    if CsrfOnlyForm().validate_on_submit():
        versions.move_question(evaluation, question, step)
    return redirect(_edit_url(form_id))


@bp.route("/<id:form_id>/preview")
@roles_required(*STAFF)
def preview(form_id: int):
    """The form as participants see it, without a way to send it."""
    evaluation = get_in_network(EvaluationForm, form_id)
    return render_template(
        "netvaerk/evaluations/answer.html",
        evaluation=evaluation,
        version=evaluation.current_version,
        form=CsrfOnlyForm(),
        errors={},
        values={},
        locale=locale(),
        preview=True,
        text_cap=TEXT_CAP,
        kiosk=False,
        participant=None,
        cancel_url=_edit_url(form_id),
    )
