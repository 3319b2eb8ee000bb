"""Pages of the wheel of life: a participant's wheel, their areas, recording a scoring, and the
network's list of areas."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import _
from flask_login import current_user

from ..core.errors import UserError, show_user_error
from ..core.permissions import get_in_network, roles_required
from ..participants.models import Participant
from ..timeutil import local_today
from . import services
from .forms import AreaForm, CsrfOnlyForm, scoring_form, wheel_areas_form
from .hooks import STAFF
from .models import WheelArea

bp = Blueprint("wheel", __name__, url_prefix="/wheel")
GOAL_AND_PLANS = ("goal", "plan_a", "plan_b", "plan_c")


@bp.route("/participants/<id:participant_id>")
@roles_required(*STAFF)
def participant(participant_id: int):
    """A participant's wheel: intake against the latest scoring, goal, plans and history."""
    person = get_in_network(Participant, participant_id)
    context = services.wheel_context(person)
    services.record_view(person)
    return render_template(
        "netvaerk/wheel/participant.html",
        ctx=context,
        consent=services.consent(person),
        withdraw_form=CsrfOnlyForm(),
    )


@bp.route("/participants/<id:participant_id>/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def new_scoring(participant_id: int):
    """Fill in the wheel with the participant (at intake, or again later)."""
    person = get_in_network(Participant, participant_id)
    areas = services.personal_wheel(person).current()
    history = services.scorings(person)
    form = scoring_form(areas, services.display_locale())
    if request.method == "GET":
        _fill_in_last_goal(form, history, person)
    if form.validate_on_submit():
        try:
            _record(person, form, areas)
        except UserError as error:
            show_user_error(error, form)
        else:
            flash(_("The wheel of life is saved."), "success")
            return redirect(url_for("netvaerk.wheel.participant", participant_id=person.id))
    return render_template(
        "netvaerk/wheel/new.html",
        participant=person,
        form=form,
        areas=areas,
        is_intake=not history,
        needs_consent=services.consent(person) is None,
    )


def _record(person: Participant, form, areas) -> None:
    """Save the filled-in wheel (the service checks it)."""
    services.record_scoring(
        person,
        form.scored_on.data,
        {a.id: form[a.key].data for a in areas if not a.is_own},
        own_scores={a.id: form[a.key].data for a in areas if a.is_own},
        today=local_today(),
        user_id=current_user.id,
        consent_now=bool(form.consent.data),
        **{name: getattr(form, name).data or "" for name in GOAL_AND_PLANS},
    )


def _fill_in_last_goal(form, history, person: Participant) -> None:
    """A new form starts today; goal and plans carry over from the last scoring, to be revised
    (showing them is a look-up of the participant's wheel)."""
    form.scored_on.data = local_today()
    if history:
        for name in GOAL_AND_PLANS:
            getattr(form, name).data = getattr(history[-1], name)
        services.record_view(person)


@bp.route("/participants/<id:participant_id>/areas", methods=["GET", "POST"])
@roles_required(*STAFF)
def person_areas(participant_id: int):
    """Choose with the participant the areas on their wheel, and add areas of their own."""
    person = get_in_network(Participant, participant_id)
    wheel = services.personal_wheel(person)
    form = wheel_areas_form(wheel, services.display_locale())
    if request.method == "GET" and wheel.has_choice:
        services.record_view(person)  # the page shows the areas they chose and named
    if form.validate_on_submit():
        try:
            added = _save_areas(person, form)
        except UserError as error:
            show_user_error(error, form)
        else:
            return _after_saving_areas(person, added)
    return render_template(
        "netvaerk/wheel/person_areas.html",
        participant=person,
        form=form,
        other_names=_other_language_names(wheel),
        needs_consent=services.consent(person) is None,
    )


def _save_areas(person: Participant, form):
    """Save the resident's areas (the service checks them); returns the own area added."""
    return services.save_wheel_areas(
        person,
        form.areas.data,
        form.own.data,
        form.new_area.data,
        today=local_today(),
        user_id=current_user.id,
        consent_now=bool(form.consent.data),
    )


def _after_saving_areas(person: Participant, added):
    """After adding an own area, back to the areas (another may follow); else to the wheel."""
    if added is not None:
        flash(_("“%(name)s” is added to the wheel.", name=added.own_name), "success")
        return redirect(url_for("netvaerk.wheel.person_areas", participant_id=person.id))
    flash(_("The areas of the wheel are saved."), "success")
    return redirect(url_for("netvaerk.wheel.participant", participant_id=person.id))


def _other_language_names(wheel) -> dict[int, str]:
    """Each network area's name in the other language, beside the checkbox, for a resident who
    reads the other one better."""
    locale = services.display_locale()
    other = "da" if locale == "en" else "en"
    return {a.id: a.name(other) for a in wheel.network_areas if a.name(other) != a.name(locale)}


@bp.route("/participants/<id:participant_id>/consent/withdraw", methods=["POST"])
@roles_required(*STAFF)
def withdraw_consent(participant_id: int):
    """The participant withdraws their consent: their wheel is deleted."""
    person = get_in_network(Participant, participant_id)
    if _csrf_ok():
        services.withdraw_consent(person)
        flash(_("The consent is withdrawn and the wheel of life is deleted."), "success")
    return redirect(url_for("netvaerk.wheel.participant", participant_id=person.id))


@bp.route("/areas", methods=["GET", "POST"])
@roles_required("coordinator")
def areas():
    """The areas of the network's wheel; add a new one."""
    form = AreaForm()
    if form.validate_on_submit():
        try:
            services.save_area(g.network.id, form.name_da.data, form.name_en.data)
        except UserError as error:
            show_user_error(error, form)
        else:
            flash(_("The area is added."), "success")
            return redirect(url_for("netvaerk.wheel.areas"))
    return render_template(
        "netvaerk/wheel/areas.html",
        areas=services.all_areas(g.network.id),
        form=form,
        locale=services.display_locale(),
    )


@bp.route("/areas/<id:area_id>", methods=["GET", "POST"])
@roles_required("coordinator")
def edit_area(area_id: int):
    """Rename an area."""
    area = get_in_network(WheelArea, area_id)
    form = AreaForm(obj=area)
    if form.validate_on_submit():
        try:
            services.save_area(g.network.id, form.name_da.data, form.name_en.data, area=area)
        except UserError as error:
            show_user_error(error, form)
        else:
            flash(_("The area is saved."), "success")
            return redirect(url_for("netvaerk.wheel.areas"))
    return render_template("netvaerk/wheel/area.html", area=area, form=form)


@bp.route("/areas/<id:area_id>/active", methods=["POST"])
@roles_required("coordinator")
def toggle_area(area_id: int):
    """Stop scoring an area, or take it back into use."""
    area = get_in_network(WheelArea, area_id)
    if _csrf_ok():
        services.set_area_active(area, not area.is_active)
        flash(_("The area is saved."), "success")
    return redirect(url_for("netvaerk.wheel.areas"))


@bp.route("/areas/<id:area_id>/move", methods=["POST"])
@roles_required("coordinator")
def move_area(area_id: int):
    """Move an area on the wheel."""
    area = get_in_network(WheelArea, area_id)
    step = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if step is None:
        abort(400)
    if _csrf_ok():
        services.move_area(area, step)
    return redirect(url_for("netvaerk.wheel.areas"))


def _csrf_ok() -> bool:
    return CsrfOnlyForm().validate_on_submit()
