"""Pages of the wheel of life: a participant's wheel, recording a scoring, the areas."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import _, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..audit.services import action_label_for, record
from ..core.permissions import get_in_network, roles_required
from ..core.registry import nav_item, page_part, personal_data
from ..extensions import db
from ..participants.models import Participant
from ..timeutil import local_today
from . import services
from .forms import AreaForm, CsrfOnlyForm, scoring_form
from .models import WheelArea

bp = Blueprint("wheel", __name__, url_prefix="/wheel")
STAFF = ("coordinator", "facilitator")

nav_item("netvaerk.wheel.areas", _l("Wheel of life"), ("coordinator",), order=65)
personal_data("wheel", export=services.export_personal_data, erase=services.erase_personal_data)
action_label_for("wheel.view", _l("Viewed a participant's wheel of life"))
action_label_for("wheel.record", _l("Recorded a wheel of life"))


def _locale() -> str:
    return "en" if str(get_locale()) == "en" else "da"


def wheel_context(participant: Participant) -> dict:
    """What the chart, the table and the goal need for one participant."""
    wheel = services.comparison(participant)
    series = [[row.intake for row in wheel["rows"]]]
    if wheel["latest"] is not None:
        series.append([row.latest for row in wheel["rows"]])
    return {
        "participant": participant,
        "wheel": wheel,
        "geometry": services.radar_geometry(len(wheel["rows"]), series),
        "locale": _locale(),
    }


def _audit_view(participant: Participant) -> None:
    record(
        "wheel.view",
        network_id=participant.network_id,
        subject_type="participant",
        subject_id=participant.id,
    )
    db.session.commit()


@bp.route("/participants/<id:participant_id>")
@roles_required(*STAFF)
def participant(participant_id: int):
    """A participant's wheel: intake against the latest scoring, goal, plans and history."""
    person = get_in_network(Participant, participant_id)
    context = wheel_context(person)
    _audit_view(person)
    return render_template("netvaerk/wheel/participant.html", ctx=context)


@bp.route("/participants/<id:participant_id>/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def new_scoring(participant_id: int):
    """Fill in the wheel with the participant (at intake, or again later)."""
    person = get_in_network(Participant, participant_id)
    areas = services.active_areas(g.network.id)
    history = services.scorings(person)
    form = scoring_form(areas, _locale())
    if request.method == "GET":
        form.scored_on.data = local_today()
        if history:  # goal and plans carry over, to be revised: the form shows them
            last = history[-1]
            form.goal.data, form.plan_a.data = last.goal, last.plan_a
            form.plan_b.data, form.plan_c.data = last.plan_b, last.plan_c
            _audit_view(person)
    if form.validate_on_submit():
        if form.scored_on.data > local_today():
            form.scored_on.errors = [_("The date cannot be in the future.")]
        else:
            try:
                services.record_scoring(
                    person,
                    form.scored_on.data,
                    {a.id: getattr(form, f"area_{a.id}").data for a in areas},
                    goal=form.goal.data or "",
                    plan_a=form.plan_a.data or "",
                    plan_b=form.plan_b.data or "",
                    plan_c=form.plan_c.data or "",
                    user_id=current_user.id,
                )
            except services.WheelError as problem:
                flash(str(problem), "error")
            else:
                record(
                    "wheel.record",
                    network_id=person.network_id,
                    subject_type="participant",
                    subject_id=person.id,
                )
                db.session.commit()
                flash(_("The wheel of life is saved."), "success")
                return redirect(url_for("netvaerk.wheel.participant", participant_id=person.id))
    return render_template(
        "netvaerk/wheel/new.html",
        participant=person,
        form=form,
        areas=areas,
        is_intake=not history,
    )


@bp.route("/areas", methods=["GET", "POST"])
@roles_required("coordinator")
def areas():
    """The areas of the network's wheel; add a new one."""
    form = AreaForm()
    if form.validate_on_submit():
        try:
            services.save_area(g.network.id, form.name_da.data, form.name_en.data)
        except services.WheelError as problem:
            form.name_da.errors = [str(problem)]
        else:
            flash(_("The area is added."), "success")
            return redirect(url_for("netvaerk.wheel.areas"))
    return render_template(
        "netvaerk/wheel/areas.html",
        areas=services.all_areas(g.network.id),
        form=form,
        locale=_locale(),
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
        except services.WheelError as problem:
            form.name_da.errors = [str(problem)]
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


@page_part("participant.page", "netvaerk/wheel/_participant_part.html", order=55)
def participant_part(participant: Participant):
    """The wheel on the participant's page (their network's coordinators and facilitators)."""
    if g.get("role") not in STAFF or g.network is None or participant.network_id != g.network.id:
        return None
    # The participant page records its own view ("participant.view"), which covers this part.
    return wheel_context(participant)
