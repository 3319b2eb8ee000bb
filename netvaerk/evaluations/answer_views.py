"""Pages where a form is offered to a participant and answered: on the tablet, through a
one-time link on their own phone, or typed in from paper."""

from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import _
from flask_login import current_user

from ..core.errors import UserError, show_user_error
from ..core.once import saved_once
from ..core.permissions import get_in_network, kiosk_allowed, public, roles_required
from ..core.security import external_url, safe_next, token_link_limit
from ..extensions import limiter
from ..participants.models import Participant, ParticipationPeriod
from ..timeutil import local_today, utcnow
from . import answers, delivery, versions
from .blueprint import STAFF, back_to_checkin, bp, locale, participant_url, raw_answers
from .forms import CsrfOnlyForm, OfferForm, PaperMetaForm, options
from .models import EvaluationForm, TabletSession


def _offer_target(form: OfferForm) -> tuple[Participant, EvaluationForm]:
    try:
        participant_id = int(form.participant_id.data)
    except (TypeError, ValueError):
        abort(404)
    participant = get_in_network(Participant, participant_id)
    return participant, get_in_network(EvaluationForm, form.form_id.data or 0)


@bp.route("/offer", methods=["POST"])
@roles_required(*STAFF)
def offer():
    """Open a form for a participant on the tablet, make a one-time link for their phone, or
    note that they were given it on paper."""
    form = OfferForm()
    if not form.validate_on_submit():
        abort(400)
    participant, evaluation = _offer_target(form)
    back = safe_next(request.form.get("next")) or participant_url(participant)
    if evaluation not in versions.active_forms(g.network.id):
        flash(_("This form cannot be answered: it is archived or has no questions."), "error")
        return redirect(back)
    try:
        if form.link.data:
            return _offer_link(evaluation, participant, back, form.once_key.data)
        if form.paper.data:
            saved_once(
                form.once_key.data,
                lambda: delivery.offer_on_paper(evaluation, participant, current_user.id, utcnow()),
            )
            flash(_("Type in the paper answer here when it comes back."), "success")
            return redirect(url_for("netvaerk.evaluations.paper", form_id=evaluation.id))
        delivery.open_on_tablet(evaluation, participant, current_user.id, utcnow())
    except UserError as refused:
        show_user_error(refused)
        return redirect(back)
    flash(
        _(
            "“%(form)s” is waiting on the tablet for %(name)s.",
            form=evaluation.title(locale()),
            name=participant.full_name,
        ),
        "success",
    )
    return redirect(back)


def _offer_link(evaluation: EvaluationForm, participant: Participant, back: str, key):
    hours = current_app.config["NETVAERK_ANSWER_LINK_HOURS"]
    link, token = saved_once(
        key,
        lambda: delivery.create_answer_link(
            evaluation, participant, current_user.id, hours, utcnow()
        ),
    )
    return render_template(
        "netvaerk/evaluations/link_created.html",
        participant=participant,
        evaluation=evaluation,
        link=link,
        url=external_url("netvaerk.evaluations.answer_by_link", token=token),
        back=back,
        locale=locale(),
    )


@bp.route("/tablet/<id:session_id>/cancel", methods=["POST"])
@roles_required(*STAFF)
def cancel_tablet(session_id: int):
    """Take a waiting form off the tablet."""
    session = get_in_network(TabletSession, session_id)
    if CsrfOnlyForm().validate_on_submit():
        delivery.cancel_tablet_session(session, utcnow())
        flash(_("The form is taken off the tablet."), "success")
    return redirect(url_for("netvaerk.evaluations.index"))


@bp.route("/periods/<id:period_id>/declined", methods=["POST"])
@roles_required("coordinator")
def mark_declined(period_id: int):
    """Stop reminding about an exit evaluation the person will not answer."""
    period = get_in_network(ParticipationPeriod, period_id)
    if CsrfOnlyForm().validate_on_submit():
        delivery.set_exit_status(period, "declined")
        flash(_("You will not be reminded about this exit evaluation again."), "success")
    return redirect(safe_next(request.form.get("next")) or url_for("netvaerk.core.home"))


def _render_answer(evaluation, form, errors, values, **extra):
    return render_template(
        "netvaerk/evaluations/answer.html",
        evaluation=evaluation,
        version=evaluation.current_version,
        form=form,
        errors=errors,
        values=values,
        locale=locale(),
        preview=False,
        text_cap=answers.TEXT_CAP,
        **extra,
    )


def _thanks(evaluation: EvaluationForm) -> str:
    if evaluation.is_named:
        return _("Thank you for your answers!")
    return _(
        "Thank you for your answers! They are kept sealed until answers from at least "
        "%(k)d people can be added to the results together.",
        k=answers.K,
    )


def _submit(evaluation: EvaluationForm, participant, **token) -> tuple[dict, dict]:
    """Validate the posted answers and, when they are valid, store them (consuming `token`:
    the tablet session or the link). Returns (errors, raw values); raises AlreadyUsed."""
    raw = raw_answers()
    given, errors = answers.validate_answers(evaluation.current_version.questions, raw)
    if not errors:
        answers.save_answer(
            evaluation.current_version, given, today=local_today(), participant=participant, **token
        )
    return errors, raw


def _expired_page() -> None:
    if request.method == "POST":
        flash(_("The page had expired. Please answer again."), "error")


@bp.route("/tablet/<id:session_id>", methods=["GET", "POST"])
@kiosk_allowed
@roles_required("kiosk", *STAFF)
def answer_on_tablet(session_id: int):
    """The participant answers a waiting form on the tablet; then back to check-in."""
    session = get_in_network(TabletSession, session_id)
    if not delivery.tablet_session_is_fresh(session, utcnow()):
        flash(_("This form is no longer waiting. Ask the staff to open it again."), "error")
        return redirect(back_to_checkin())
    evaluation, participant = session.form, session.participant
    form, errors, raw = CsrfOnlyForm(), {}, {}
    if not form.validate_on_submit():
        _expired_page()
    else:
        try:
            errors, raw = _submit(evaluation, participant, tablet_session=session)
        except answers.AlreadyUsed as problem:
            show_user_error(problem)
            return redirect(back_to_checkin())
        if not errors:
            flash(_thanks(evaluation), "success")
            return redirect(back_to_checkin())
    return _render_answer(
        evaluation,
        form,
        errors,
        raw,
        kiosk=True,
        participant=participant,
        cancel_url=back_to_checkin(),
    )


@bp.route("/a/<token>", methods=["GET", "POST"])
@public
@limiter.shared_limit(token_link_limit, scope="netvaerk-secret-links")
def answer_by_link(token: str):
    """A participant answers on their own phone through a one-time link."""
    link, problem = delivery.link_for_token(token, utcnow())
    if problem is not None:
        status = 404 if link is None else 410
        return render_template("netvaerk/evaluations/link_problem.html", problem=problem), status
    evaluation, form, errors, raw = link.form, CsrfOnlyForm(), {}, {}
    if not form.validate_on_submit():
        _expired_page()
    else:
        try:
            errors, raw = _submit(evaluation, link.participant, link=link)
        except answers.AlreadyUsed as used:
            show_user_error(used)
            return render_template("netvaerk/evaluations/link_problem.html", problem=str(used)), 410
        if not errors:
            return render_template("netvaerk/evaluations/thanks.html", message=_thanks(evaluation))
    return _render_answer(
        evaluation, form, errors, raw, kiosk=False, participant=None, cancel_url=None
    )


def _paper_people(evaluation: EvaluationForm) -> list[Participant]:
    """Whom a paper answer can be noted for: anyone for a named form; for an anonymous one only
    those it was offered to (typing it in consumes the offer, nothing else is written)."""
    if evaluation.is_named:
        return delivery.network_participants(g.network.id)
    return delivery.open_paper_offers(evaluation, utcnow())


def _paper_participant(evaluation, meta: PaperMetaForm, people) -> Participant:
    """The chosen participant, with the problem on the form when the choice is not allowed.
    Every paper answer names its person: for a named form who answered, for an anonymous one
    whose offer it uses up (every anonymous answer uses exactly one offer)."""
    chosen = next((p for p in people if p.id == meta.participant_id.data), None)
    if meta.participant_id.data and chosen is None:
        raise UserError(_("Choose a participant from the list."), field="participant_id")
    if chosen is None and evaluation.is_named:
        raise UserError(_("This form is named: choose who answered it."), field="participant_id")
    if chosen is None:
        raise UserError(
            _("Choose the person whose offer this paper answer belongs to."),
            field="participant_id",
        )
    return chosen


def _save_paper(evaluation: EvaluationForm, meta: PaperMetaForm, people) -> tuple[dict, dict]:
    """Store a paper answer for the chosen person, using up their open offer when the form is
    anonymous. Returns (errors, raw values); raises UserError."""
    raw = raw_answers()
    _given, errors = answers.validate_answers(evaluation.current_version.questions, raw)
    if errors:
        return errors, raw
    participant = _paper_participant(evaluation, meta, people)
    if evaluation.is_named:
        return _submit(evaluation, participant)
    offer = delivery.open_offer(evaluation, participant, utcnow())
    return _submit(evaluation, participant, link=offer)


@bp.route("/<id:form_id>/paper", methods=["GET", "POST"])
@roles_required(*STAFF)
def paper(form_id: int):
    """A facilitator types in an answer given on paper."""
    evaluation = get_in_network(EvaluationForm, form_id)
    if not evaluation.is_active or not evaluation.current_version.questions:
        flash(_("This form cannot be answered: it is archived or has no questions."), "error")
        return redirect(url_for("netvaerk.evaluations.edit_form", form_id=form_id))
    people = _paper_people(evaluation)
    meta = PaperMetaForm()
    meta.participant_id.choices = options([("", "—")] + [(p.id, p.full_name) for p in people])
    errors, raw = {}, {}
    if meta.validate_on_submit():
        try:
            errors, raw = _save_paper(evaluation, meta, people)
        except UserError as error:
            # Nothing is stored (the request rolls back); what was typed stays on the page.
            show_user_error(error, meta)
            errors, raw = {"refused": str(error)}, raw_answers()
        if not errors:
            flash(_("The paper answer is saved."), "success")
            return redirect(url_for("netvaerk.evaluations.paper", form_id=form_id))
    return _render_answer(
        evaluation,
        meta,
        errors,
        raw,
        kiosk=False,
        participant=None,
        paper=True,
        cancel_url=url_for("netvaerk.evaluations.index"),
    )
