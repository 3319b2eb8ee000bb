"""Coordinator pages: the participant list, registration, the participant page and its
status flow (intake, start, leaving, coming back), kiosk codes and places per group."""

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .. import timeutil
from ..audit.services import action_label_for, record
from ..core.permissions import get_in_network, roles_required
from ..core.registry import nav_item, personal_data
from ..extensions import db
from ..labels import age_band, group_label
from ..meetings import services as meetings
from . import services
from .forms import (
    CodeForm,
    ConfirmForm,
    FilterForm,
    IntakeForm,
    LeaveForm,
    ParticipantForm,
    PlacesForm,
    StartForm,
    default_consent_text,
)
from .models import Participant

bp = Blueprint("participants", __name__, url_prefix="/participants")

nav_item("netvaerk.participants.index", _l("Participants"), ("coordinator",), order=10)
personal_data("participants", export=services.export_participant, erase=services.erase_participant)
# How the participants' audit events read on the audit pages and in an access request.
for _action, _label in (
    ("participant.create", _l("Registered a participant")),
    ("participant.update", _l("Changed a participant's data")),
    ("participant.intake", _l("Recorded the intake conversation")),
    ("participant.active", _l("Gave a participant a place")),
    ("participant.left", _l("Recorded that a participant left")),
    ("participant.code_set", _l("Set a participant's check-in code")),
    ("participant.code_removed", _l("Removed a participant's check-in code")),
):
    action_label_for(_action, _label)


def capacity_message(warning: services.CapacityWarning) -> str:
    """The translated warning shown before a group's places are exceeded."""
    return _(
        "%(group)s has %(places)d places and %(taken)d are taken. Confirm to give a place anyway.",
        group=group_label(g.network, warning.group),
        places=warning.places,
        taken=warning.taken,
    )


@bp.route("/")
@roles_required("coordinator")
def index():
    """All participants with search and filters, their group, age band and attendance."""
    form = FilterForm(g.network, request.args)
    valid = form.validate()
    participants = services.search(
        g.network.id,
        text=(form.q.data or "") if valid else "",
        status=form.status.data if valid else None,
        group=int(form.group.data) if valid and form.group.data else None,
        housing_area_id=int(form.area.data) if valid and form.area.data else None,
    )
    now = timeutil.local_now()
    return render_template(
        "netvaerk/participants/index.html",
        form=form,
        participants=participants,
        stats=meetings.attendance_stats(g.network.id, now),
        counts=services.active_counts(g.network.id),
        places={1: g.network.places_group1, 3: g.network.places_group3},
        year=now.year,
        age_band=age_band,
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required("coordinator")
def create():
    """Register a resident."""
    form = ParticipantForm(g.network, creating=True)
    if request.method == "GET":
        form.consent_date.data = timeutil.local_today()
        form.consent_text.data = default_consent_text(g.network.retention_months)
        form.readiness_group.data = 1
    if form.validate_on_submit():
        participant = services.register_participant(
            g.network, form.data_for_service(), current_user.id, timeutil.local_today()
        )
        flash(_("%(name)s is registered.", name=participant.full_name), "success")
        return redirect(url_for("netvaerk.participants.show", participant_id=participant.id))
    return render_template("netvaerk/participants/form.html", form=form, participant=None)


@bp.route("/<id:participant_id>/edit", methods=["GET", "POST"])
@roles_required("coordinator")
def edit(participant_id: int):
    """Edit a participant's own data; warns before a group change overfills the new group."""
    participant = get_in_network(Participant, participant_id)
    form = ParticipantForm(g.network, obj=participant)
    warning = None
    if request.method == "GET":  # the form shows all the person's data: a look-up
        record(
            "participant.view",
            network_id=g.network.id,
            subject_type="participant",
            subject_id=participant.id,
            detail="edit",
        )
        db.session.commit()
    if form.validate_on_submit():
        try:
            services.update_participant(
                g.network,
                participant,
                form.data_for_service(),
                current_user.id,
                confirm_over_capacity=form.confirm_over_capacity.data == "1",
            )
        except services.CapacityWarning as exc:
            warning = capacity_message(exc)
            form.confirm_over_capacity.data = "1"
        else:
            flash(_("The changes are saved."), "success")
            return redirect(url_for("netvaerk.participants.show", participant_id=participant.id))
    return render_template(
        "netvaerk/participants/form.html", form=form, participant=participant, warning=warning
    )


def _render_page(participant: Participant, status_code: int = 200, **forms):
    """The participant page, with any step form that failed validation passed in."""
    today = timeutil.local_today()
    defaults = {
        "intake_form": IntakeForm(formdata=None, intake_on=today),
        "start_form": StartForm(formdata=None, start_on=today),
        "leave_form": LeaveForm(formdata=None, end_on=today),
        "code_form": CodeForm(formdata=None),
        "confirm_form": ConfirmForm(formdata=None),
        "step_error": None,
        "capacity_warning": None,
    }
    defaults.update(forms)
    now = timeutil.local_now()
    return render_template(
        "netvaerk/participants/show.html",
        participant=participant,
        stats=meetings.attendance_stats(g.network.id, now, participant.id).get(participant.id),
        recent=meetings.recent_attendance(participant, now),
        age=age_band(participant.birth_year, today.year),
        steps=services.next_steps(participant.status),
        **defaults,
    ), status_code


@bp.route("/<id:participant_id>")
@roles_required("coordinator")
def show(participant_id: int):
    """A participant's page: data, periods, status history, attendance, other capabilities."""
    participant = get_in_network(Participant, participant_id)
    page, status = _render_page(participant)
    # Recorded after rendering: committing first would expire and reload every loaded row.
    record(
        "participant.view",
        network_id=g.network.id,
        subject_type="participant",
        subject_id=participant.id,
    )
    db.session.commit()
    return page, status


@bp.route("/<id:participant_id>/intake", methods=["POST"])
@roles_required("coordinator")
def intake(participant_id: int):
    """Record that the intake conversation was held."""
    participant = get_in_network(Participant, participant_id)
    form = IntakeForm()
    step_error = None
    if form.validate_on_submit():
        try:
            services.record_intake(
                participant,
                form.intake_on.data,
                form.note.data,
                current_user.id,
                timeutil.local_today(),
            )
        except services.FlowError as exc:
            step_error = exc.message
        else:
            flash(_("The intake conversation is recorded."), "success")
            return redirect(url_for("netvaerk.participants.show", participant_id=participant.id))
    return _render_page(participant, intake_form=form, step_error=step_error)


def _start(participant: Participant, success: str):
    form = StartForm()
    warning = step_error = None
    if form.validate_on_submit():
        try:
            services.start_participation(
                g.network,
                participant,
                form.start_on.data,
                current_user.id,
                timeutil.local_today(),
                confirm_over_capacity=form.confirm_over_capacity.data == "1",
            )
        except services.CapacityWarning as exc:
            warning = capacity_message(exc)
            form.confirm_over_capacity.data = "1"
        except services.FlowError as exc:
            step_error = exc.message
        else:
            flash(success, "success")
            return redirect(url_for("netvaerk.participants.show", participant_id=participant.id))
    return _render_page(
        participant, start_form=form, capacity_warning=warning, step_error=step_error
    )


@bp.route("/<id:participant_id>/start", methods=["POST"])
@roles_required("coordinator")
def start(participant_id: int):
    """Give a place in the network (intake held → active)."""
    participant = get_in_network(Participant, participant_id)
    return _start(participant, _("%(name)s has started.", name=participant.full_name))


@bp.route("/<id:participant_id>/return", methods=["POST"])
@roles_required("coordinator")
def come_back(participant_id: int):
    """Someone who left comes back: a new period, the old one kept."""
    participant = get_in_network(Participant, participant_id)
    return _start(participant, _("%(name)s is back in the network.", name=participant.full_name))


@bp.route("/<id:participant_id>/leave", methods=["POST"])
@roles_required("coordinator")
def leave(participant_id: int):
    """Leaving: end date and outcome close the current period."""
    participant = get_in_network(Participant, participant_id)
    form = LeaveForm()
    step_error = None
    if form.validate_on_submit():
        try:
            services.leave(
                participant,
                form.end_on.data,
                form.outcome.data,
                current_user.id,
                timeutil.local_today(),
            )
        except services.FlowError as exc:
            step_error = exc.message
        else:
            return redirect(url_for("netvaerk.participants.left", participant_id=participant.id))
    return _render_page(participant, leave_form=form, step_error=step_error)


@bp.route("/<id:participant_id>/left")
@roles_required("coordinator")
def left(participant_id: int):
    """Right after leaving: the outcome, and what other capabilities offer (exit evaluation)."""
    participant = get_in_network(Participant, participant_id)
    if participant.status != "left" or not participant.periods:
        return redirect(url_for("netvaerk.participants.show", participant_id=participant.id))
    return render_template(
        "netvaerk/participants/left.html", participant=participant, period=participant.periods[-1]
    )


@bp.route("/<id:participant_id>/code", methods=["POST"])
@roles_required("coordinator")
def set_code(participant_id: int):
    """Set the participant's personal four-digit code for the check-in tablet."""
    participant = get_in_network(Participant, participant_id)
    form = CodeForm()
    if form.validate_on_submit():
        services.set_code(participant, form.code.data, current_user.id)
        flash(_("The check-in code is saved."), "success")
        return redirect(url_for("netvaerk.participants.show", participant_id=participant.id))
    return _render_page(participant, code_form=form)


@bp.route("/<id:participant_id>/code/remove", methods=["POST"])
@roles_required("coordinator")
def remove_code(participant_id: int):
    """Remove the participant's check-in code."""
    participant = get_in_network(Participant, participant_id)
    if ConfirmForm().validate_on_submit():
        services.set_code(participant, None, current_user.id)
        flash(_("The check-in code is removed."), "success")
    return redirect(url_for("netvaerk.participants.show", participant_id=participant.id))


@bp.route("/places", methods=["GET", "POST"])
@roles_required("coordinator")
def places():
    """Places per readiness group and the names of the groups."""
    form = PlacesForm(obj=g.network)
    if form.validate_on_submit():
        form.populate_obj(g.network)
        db.session.commit()
        flash(_("The places are saved."), "success")
        return redirect(url_for("netvaerk.participants.index"))
    return render_template(
        "netvaerk/participants/places.html",
        form=form,
        counts=services.active_counts(g.network.id),
    )
