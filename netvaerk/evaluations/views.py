"""Pages for evaluation forms: defining them, answering on the tablet, by link or on paper,
and reading the results."""

from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import _, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..audit.services import action_label_for, record
from ..core.permissions import MAX_ID, get_in_network, kiosk_allowed, public, roles_required
from ..core.registry import home_panel, nav_item, page_part, personal_data
from ..core.security import external_url, safe_next, token_link_limit
from ..extensions import db, limiter
from ..participants.models import Participant, ParticipationPeriod
from ..timeutil import local_today
from . import services
from .forms import (
    PURPOSE_LABELS,
    QUESTION_KIND_LABELS,
    CsrfOnlyForm,
    FormDetailsForm,
    OfferForm,
    PaperMetaForm,
    QuestionForm,
    RedactForm,
    ResultsPeriodForm,
    lines,
    options,
)
from .models import AnswerItem, EvaluationForm, FormQuestion, Submission, TabletSession

bp = Blueprint("evaluations", __name__, url_prefix="/evaluations")
STAFF = ("coordinator", "facilitator")

nav_item("netvaerk.evaluations.index", _l("Evaluations"), STAFF, order=60)
personal_data(
    "evaluations",
    export=services.export_personal_data,
    erase=services.erase_personal_data,
)
action_label_for("evaluation.link_created", _l("Made an answer link for a participant"))
action_label_for("evaluation.tablet_opened", _l("Opened a form on the tablet for a participant"))
action_label_for("evaluation.answer", _l("Saved a participant's named answers"))
action_label_for("evaluation.named_answer_view", _l("Viewed a participant's named answers"))
action_label_for("evaluation.free_text_view", _l("Read the free-text answers of a form"))
action_label_for("evaluation.redact", _l("Redacted a free-text answer"))
action_label_for("evaluation.exit_declined", _l("Recorded that an exit evaluation was declined"))


@bp.app_template_global()
def purpose_label(purpose: str) -> str:
    """The translated purpose of a form."""
    return PURPOSE_LABELS.get(purpose, purpose)


@bp.app_template_global()
def question_kind_label(kind: str) -> str:
    """The translated kind of a question."""
    return QUESTION_KIND_LABELS.get(kind, kind)


def _locale() -> str:
    return "en" if str(get_locale()) == "en" else "da"


def _back_to_checkin() -> str:
    """The kiosk's check-in screen when the kiosk capability is there, else the start page."""
    if "netvaerk.kiosk.index" in current_app.view_functions:
        return url_for("netvaerk.kiosk.index")
    return url_for("netvaerk.core.home")


def participant_url(participant: Participant) -> str:
    """The participant's page if the participants capability provides one, else their wheel."""
    for endpoint in ("netvaerk.participants.show", "netvaerk.participants.view"):
        if endpoint in current_app.view_functions:
            return url_for(endpoint, participant_id=participant.id)
    return url_for("netvaerk.wheel.participant", participant_id=participant.id)


def _participants_for_select() -> list[Participant]:
    return list(
        db.session.execute(
            db.select(Participant)
            .where(
                Participant.network_id == g.network.id,
                Participant.status.in_(("intake", "active", "left")),
            )
            .order_by(Participant.first_name, Participant.last_name)
        )
        .scalars()
        .all()
    )


def _question_data(form: QuestionForm) -> services.QuestionData:
    return services.QuestionData(
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


def _raw_answers() -> dict[str, list[str]]:
    return {key: request.form.getlist(key) for key in request.form if key.startswith("q")}


# --- defining forms ---------------------------------------------------------------------------


@bp.route("/")
@roles_required(*STAFF)
def index():
    """The network's forms, with what can be done with each."""
    forms = (
        db.session.execute(
            db.select(EvaluationForm)
            .where(EvaluationForm.network_id == g.network.id)
            .order_by(EvaluationForm.is_active.desc(), EvaluationForm.title_da)
        )
        .scalars()
        .all()
    )
    return render_template(
        "netvaerk/evaluations/index.html",
        forms=forms,
        waiting=services.pending_tablet_sessions(g.network.id),
        locale=_locale(),
        cancel_form=CsrfOnlyForm(),
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required("coordinator")
def new_form():
    """Create a form (questions are added next)."""
    form = FormDetailsForm()
    if form.validate_on_submit():
        created = services.create_form(
            g.network.id,
            title_da=form.title_da.data.strip(),
            title_en=form.title_en.data.strip(),
            intro_da=(form.intro_da.data or "").strip(),
            intro_en=(form.intro_en.data or "").strip(),
            purpose=form.purpose.data,
            is_named=form.is_named.data,
        )
        flash(_("The form is created. Now add its questions."), "success")
        return redirect(url_for("netvaerk.evaluations.edit_form", form_id=created.id))
    return render_template("netvaerk/evaluations/new.html", form=form)


@bp.route("/<id:form_id>", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit_form(form_id: int):
    """A form's details and questions; coordinators edit them."""
    evaluation = get_in_network(EvaluationForm, form_id)
    details = FormDetailsForm(obj=evaluation)
    if request.method == "POST":
        if g.role != "coordinator":
            abort(403)
        if details.validate_on_submit():
            try:
                services.update_form_details(
                    evaluation,
                    title_da=details.title_da.data.strip(),
                    title_en=details.title_en.data.strip(),
                    intro_da=(details.intro_da.data or "").strip(),
                    intro_en=(details.intro_en.data or "").strip(),
                    purpose=details.purpose.data,
                    is_named=details.is_named.data,
                )
            except services.EvaluationError as problem:
                db.session.rollback()
                flash(str(problem), "error")
            else:
                flash(_("The form is saved."), "success")
                return redirect(url_for("netvaerk.evaluations.edit_form", form_id=form_id))
    return render_template(
        "netvaerk/evaluations/edit.html",
        evaluation=evaluation,
        details=details,
        has_answers=services.version_has_answers(evaluation.current_version),
        action_form=CsrfOnlyForm(),
        locale=_locale(),
    )


@bp.route("/<id:form_id>/active", methods=["POST"])
@roles_required("coordinator")
def toggle_active(form_id: int):
    """Archive a form or bring it back into use."""
    evaluation = get_in_network(EvaluationForm, form_id)
    if CsrfOnlyForm().validate_on_submit():
        services.set_form_active(evaluation, not evaluation.is_active)
        flash(
            _("The form is in use again.") if evaluation.is_active else _("The form is archived."),
            "success",
        )
    return redirect(url_for("netvaerk.evaluations.edit_form", form_id=form_id))


def _question_of(evaluation: EvaluationForm, question_id: int) -> FormQuestion:
    """A question of the form's current version (an older version's id maps by key)."""
    if question_id > MAX_ID:
        abort(404)
    question = db.session.get(FormQuestion, question_id)
    if question is None or question.version.form_id != evaluation.id:
        abort(404)
    current = services.current_question(evaluation, question)
    if current is None:
        abort(404)
    return current


@bp.route("/<id:form_id>/questions/new", methods=["GET", "POST"])
@roles_required("coordinator")
def new_question(form_id: int):
    """Add a question to a form."""
    evaluation = get_in_network(EvaluationForm, form_id)
    form = QuestionForm()
    problems = {}
    if form.validate_on_submit():
        data = _question_data(form)
        problems = services.question_problems(data)
        if not problems:
            services.add_question(evaluation, data)
            flash(_("The question is added."), "success")
            return redirect(url_for("netvaerk.evaluations.edit_form", form_id=form_id))
        _attach(form, problems)
    return render_template(
        "netvaerk/evaluations/question.html",
        evaluation=evaluation,
        form=form,
        question=None,
        has_answers=services.version_has_answers(evaluation.current_version),
    )


def _attach(form: QuestionForm, problems: dict[str, str]) -> None:
    for name, message in problems.items():
        getattr(form, name).errors = list(getattr(form, name).errors or []) + [message]


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
    if form.validate_on_submit():
        data = _question_data(form)
        problems = services.question_problems(data)
        if not problems:
            services.update_question(evaluation, question, data)
            flash(_("The question is saved."), "success")
            return redirect(url_for("netvaerk.evaluations.edit_form", form_id=form_id))
        _attach(form, problems)
    return render_template(
        "netvaerk/evaluations/question.html",
        evaluation=evaluation,
        form=form,
        question=question,
        has_answers=services.version_has_answers(evaluation.current_version),
    )


@bp.route("/<id:form_id>/questions/<id:question_id>/delete", methods=["POST"])
@roles_required("coordinator")
def delete_question(form_id: int, question_id: int):
    """Remove a question (earlier answers keep theirs)."""
    evaluation = get_in_network(EvaluationForm, form_id)
    question = _question_of(evaluation, question_id)
    if CsrfOnlyForm().validate_on_submit():
        services.delete_question(evaluation, question)
        flash(_("The question is removed."), "success")
    return redirect(url_for("netvaerk.evaluations.edit_form", form_id=form_id))


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
        services.move_question(evaluation, question, step)
    return redirect(url_for("netvaerk.evaluations.edit_form", form_id=form_id))


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
        locale=_locale(),
        preview=True,
        kiosk=False,
        participant=None,
        cancel_url=url_for("netvaerk.evaluations.edit_form", form_id=form_id),
    )


# --- offering a form to a participant ---------------------------------------------------------


@bp.route("/offer", methods=["POST"])
@roles_required(*STAFF)
def offer():
    """Open a form for a participant on the tablet, or make a one-time link for their phone."""
    form = OfferForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        participant_id = int(form.participant_id.data)
    except (TypeError, ValueError):
        abort(404)
    participant = get_in_network(Participant, participant_id)
    evaluation = get_in_network(EvaluationForm, form.form_id.data or 0)
    back = safe_next(request.form.get("next")) or participant_url(participant)
    if evaluation not in services.active_forms(g.network.id):
        flash(_("This form cannot be answered: it is archived or has no questions."), "error")
        return redirect(back)
    if form.link.data:
        hours = current_app.config["NETVAERK_ANSWER_LINK_HOURS"]
        link, token = services.create_answer_link(evaluation, participant, current_user.id, hours)
        record(
            "evaluation.link_created",
            network_id=g.network.id,
            subject_type="participant",
            subject_id=participant.id,
            detail=f"form {evaluation.id}",
        )
        db.session.commit()
        return render_template(
            "netvaerk/evaluations/link_created.html",
            participant=participant,
            evaluation=evaluation,
            link=link,
            url=external_url("netvaerk.evaluations.answer_by_link", token=token),
            back=back,
            locale=_locale(),
        )
    services.open_on_tablet(evaluation, participant, current_user.id)
    record(
        "evaluation.tablet_opened",
        network_id=g.network.id,
        subject_type="participant",
        subject_id=participant.id,
        detail=f"form {evaluation.id}",
    )
    db.session.commit()
    flash(
        _(
            "“%(form)s” is waiting on the tablet for %(name)s.",
            form=evaluation.title(_locale()),
            name=participant.display_name,
        ),
        "success",
    )
    return redirect(back)


@bp.route("/tablet/<id:session_id>/cancel", methods=["POST"])
@roles_required(*STAFF)
def cancel_tablet(session_id: int):
    """Take a waiting form off the tablet."""
    session = get_in_network(TabletSession, session_id)
    if CsrfOnlyForm().validate_on_submit():
        services.cancel_tablet_session(session)
        flash(_("The form is taken off the tablet."), "success")
    return redirect(url_for("netvaerk.evaluations.index"))


@bp.route("/periods/<id:period_id>/declined", methods=["POST"])
@roles_required("coordinator")
def mark_declined(period_id: int):
    """Stop reminding about an exit evaluation the person will not answer."""
    period = get_in_network(ParticipationPeriod, period_id)
    if CsrfOnlyForm().validate_on_submit():
        services.set_exit_status(period, "declined")
        flash(_("You will not be reminded about this exit evaluation again."), "success")
    return redirect(safe_next(request.form.get("next")) or url_for("netvaerk.core.home"))


# --- answering --------------------------------------------------------------------------------


def _render_answer(evaluation, version, form, errors, values, **extra):
    return render_template(
        "netvaerk/evaluations/answer.html",
        evaluation=evaluation,
        version=version,
        form=form,
        errors=errors,
        values=values,
        locale=_locale(),
        preview=False,
        **extra,
    )


@bp.route("/tablet/<id:session_id>", methods=["GET", "POST"])
@kiosk_allowed
@roles_required("kiosk", *STAFF)
def answer_on_tablet(session_id: int):
    """The participant answers a waiting form on the tablet; then back to check-in."""
    session = get_in_network(TabletSession, session_id)
    if not services.tablet_session_is_fresh(session):
        flash(_("This form is no longer waiting. Ask the staff to open it again."), "error")
        return redirect(_back_to_checkin())
    evaluation = session.form
    version = evaluation.current_version
    form = CsrfOnlyForm()
    errors, raw = {}, {}
    if form.validate_on_submit():
        raw = _raw_answers()
        answers, errors = services.validate_answers(version.questions, raw)
        if not errors:
            try:
                services.save_submission(
                    version, answers, participant=session.participant, tablet_session=session
                )
            except services.AlreadyUsed as problem:
                flash(str(problem), "info")
                return redirect(_back_to_checkin())
            flash(_("Thank you for your answers!"), "success")
            return redirect(_back_to_checkin())
    elif request.method == "POST":
        flash(_("The page had expired. Please answer again."), "error")
    return _render_answer(
        evaluation,
        version,
        form,
        errors,
        raw,
        kiosk=True,
        participant=session.participant,
        cancel_url=_back_to_checkin(),
    )


@bp.route("/a/<token>", methods=["GET", "POST"])
@public
@limiter.shared_limit(token_link_limit, scope="netvaerk-secret-links")
def answer_by_link(token: str):
    """A participant answers on their own phone through a one-time link."""
    link, problem = services.link_for_token(token)
    if problem is not None:
        return render_template(
            "netvaerk/evaluations/link_problem.html", problem=problem
        ), 404 if link is None else 410
    evaluation = link.form
    version = evaluation.current_version
    form = CsrfOnlyForm()
    errors, raw = {}, {}
    if form.validate_on_submit():
        raw = _raw_answers()
        answers, errors = services.validate_answers(version.questions, raw)
        if not errors:
            try:
                services.save_submission(version, answers, participant=link.participant, link=link)
            except services.AlreadyUsed as used:
                return render_template(
                    "netvaerk/evaluations/link_problem.html", problem=str(used)
                ), 410
            return render_template("netvaerk/evaluations/thanks.html")
    elif request.method == "POST":
        flash(_("The page had expired. Please answer again."), "error")
    return _render_answer(
        evaluation, version, form, errors, raw, kiosk=False, participant=None, cancel_url=None
    )


@bp.route("/<id:form_id>/paper", methods=["GET", "POST"])
@roles_required(*STAFF)
def paper(form_id: int):
    """A facilitator types in an answer given on paper."""
    evaluation = get_in_network(EvaluationForm, form_id)
    version = evaluation.current_version
    if not evaluation.is_active or not version.questions:
        flash(_("This form cannot be answered: it is archived or has no questions."), "error")
        return redirect(url_for("netvaerk.evaluations.edit_form", form_id=form_id))
    people = _participants_for_select()
    meta = PaperMetaForm()
    meta.participant_id.choices = options([("", "—")] + [(p.id, p.full_name) for p in people])
    if request.method == "GET":
        meta.month.data = local_today().replace(day=1)
        meta.participant_id.data = request.args.get("participant_id", type=int)
    errors, raw = {}, {}
    if meta.validate_on_submit():
        raw = _raw_answers()
        answers, errors = services.validate_answers(version.questions, raw)
        participant = None
        if meta.participant_id.data:
            participant = next((p for p in people if p.id == meta.participant_id.data), None)
            if participant is None:
                meta.participant_id.errors = [_("Choose a participant from the list.")]
        elif evaluation.is_named:
            meta.participant_id.errors = [_("This form is named: choose who answered it.")]
        month = meta.month.data
        if month and month > local_today():
            meta.month.errors = [_("The month cannot be in the future.")]
        if not errors and not meta.participant_id.errors and not meta.month.errors:
            services.save_submission(
                version,
                answers,
                participant=participant,
                outcome=meta.outcome.data or None,
                month=month,
            )
            flash(_("The paper answer is saved."), "success")
            return redirect(url_for("netvaerk.evaluations.paper", form_id=form_id))
    return _render_answer(
        evaluation,
        version,
        meta,
        errors,
        raw,
        kiosk=False,
        participant=None,
        paper=True,
        cancel_url=url_for("netvaerk.evaluations.index"),
    )


# --- results ----------------------------------------------------------------------------------


def _default_period() -> tuple[date, date]:
    today = local_today().replace(day=1)
    start_index = today.year * 12 + today.month - 1 - 11
    return date(start_index // 12, start_index % 12 + 1, 1), today


@bp.route("/<id:form_id>/results")
@roles_required(*STAFF)
def results(form_id: int):
    """Answers of a form for a period: counts, distributions, means and (for coordinators)
    the free-text answers."""
    evaluation = get_in_network(EvaluationForm, form_id)
    period = ResultsPeriodForm(request.args)
    start, end = _default_period()
    if request.args and not period.validate():
        flash(_("Choose the months as year and month, e.g. 2026-03."), "error")
    else:
        start = period.start.data or start
        end = period.end.data or end
    if start > end:
        flash(_("The first month must come before the last. Showing them swapped."), "warning")
        start, end = end, start
    period.start.data, period.end.data = start, end
    data = services.form_results(evaluation, (start.year, start.month), (end.year, end.month))
    if g.role == "coordinator" and any(q.texts for q in data["questions"]):
        record(
            "evaluation.free_text_view",
            network_id=g.network.id,
            subject_type="evaluation_form",
            subject_id=evaluation.id,
        )
        db.session.commit()
    return render_template(
        "netvaerk/evaluations/results.html",
        evaluation=evaluation,
        data=data,
        period=period,
        start=start,
        end=end,
        locale=_locale(),
        min_cell=current_app.config["NETVAERK_MIN_CELL"],
        show_texts=g.role == "coordinator",
    )


@bp.route("/answers/<answer_id>/redact", methods=["GET", "POST"])
@roles_required("coordinator")
def redact(answer_id: str):
    """Rewrite a free-text answer so it can be quoted without identifying anyone."""
    item = db.session.get(AnswerItem, answer_id)
    if item is None or item.submission.network_id != g.network.id or item.question.kind != "text":
        abort(404)
    form = RedactForm(obj=item)
    evaluation = item.question.version.form
    if form.validate_on_submit():
        services.redact_answer(item, form.text.data)
        flash(_("The answer is redacted."), "success")
        return redirect(url_for("netvaerk.evaluations.results", form_id=evaluation.id))
    return render_template(
        "netvaerk/evaluations/redact.html",
        item=item,
        form=form,
        evaluation=evaluation,
        locale=_locale(),
    )


@bp.route("/submissions/<submission_id>")
@roles_required(*STAFF)
def submission(submission_id: str):
    """One participant's answers to a named form (anonymous answers are never shown singly)."""
    found = db.session.get(Submission, submission_id)
    if found is None or found.network_id != g.network.id or found.participant_id is None:
        abort(404)
    record(
        "evaluation.named_answer_view",
        network_id=g.network.id,
        subject_type="participant",
        subject_id=found.participant_id,
        detail=f"form {found.version.form_id}",
    )
    db.session.commit()
    return render_template(
        "netvaerk/evaluations/submission.html",
        submission=found,
        items=sorted(found.items, key=lambda i: (i.question.position, i.question.id)),
        describe=services.describe_item,
        locale=_locale(),
        back=participant_url(found.participant),
    )


# --- parts of other capabilities' pages -------------------------------------------------------


@page_part("participant.page", "netvaerk/evaluations/_participant_part.html", order=60)
def participant_part(participant: Participant):
    """Named answers and a way to open a form for the participant (staff of their network)."""
    if g.get("role") not in STAFF or g.network is None or participant.network_id != g.network.id:
        return None
    offer_form = OfferForm(participant_id=participant.id)
    forms = services.active_forms(g.network.id)
    offer_form.form_id.choices = options((f.id, f.title(_locale())) for f in forms)
    period = services.exit_period(participant)
    return {
        "participant": participant,
        "offer_form": offer_form,
        "forms": forms,
        "named": services.named_submissions(participant),
        "exit_status": services.exit_status(period) if participant.status == "left" else None,
        "locale": _locale(),
    }


@page_part("participant.left", "netvaerk/evaluations/_left_part.html", order=60)
def left_part(participant: Participant):
    """Right after leaving: offer the exit evaluation on the tablet, by link or on paper."""
    if g.get("role") not in STAFF or g.network is None or participant.network_id != g.network.id:
        return None
    exit_form = services.exit_form(g.network.id)
    if exit_form is None:
        return None
    offer_form = OfferForm(participant_id=participant.id, form_id=exit_form.id)
    offer_form.form_id.choices = options([(exit_form.id, exit_form.title(_locale()))])
    return {
        "participant": participant,
        "exit_form": exit_form,
        "offer_form": offer_form,
        "locale": _locale(),
    }


def _waiting_context(network_id: int) -> dict | None:
    waiting = services.pending_tablet_sessions(network_id)
    if not waiting:
        return None
    return {"waiting": waiting, "locale": _locale()}


@page_part("kiosk.screen", "netvaerk/evaluations/_kiosk_part.html", order=60)
def kiosk_part(network, meeting=None):
    """The forms waiting on the tablet, as large buttons on the check-in screen."""
    return _waiting_context(network.id)


@home_panel("netvaerk/evaluations/_kiosk_panel.html", roles=("kiosk",), order=60)
def kiosk_panel() -> dict:
    """The waiting forms on the kiosk's start page (when there is no check-in screen)."""
    return _waiting_context(g.network.id) or {"waiting": [], "locale": _locale()}


@home_panel("netvaerk/evaluations/_reminder_panel.html", roles=("coordinator",), order=60)
def reminder_panel() -> dict:
    """People who left recently and have not answered the exit evaluation."""
    missing = services.missing_exit_evaluations(g.network.id, local_today())
    return {
        "missing": missing,
        "exit_form": services.exit_form(g.network.id),
        "action_form": CsrfOnlyForm(),
        "participant_url": participant_url,
        "locale": _locale(),
    }
