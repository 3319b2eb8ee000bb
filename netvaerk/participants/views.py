"""Coordinator pages: the participant list, registration, the participant page and its
status flow (intake, start, leaving, coming back), kiosk codes and places per group."""

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import _
from flask_login import current_user

from .. import timeutil
from ..core.errors import UserError, save_form, show_user_error
from ..core.permissions import get_in_network, roles_required
from ..core.transaction import rollback_request
from ..labels import age_band, group_label
from . import listing, services
from .duplicates import look_alikes
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


def capacity_message(warning: services.CapacityWarning) -> str:
    """The translated warning shown before a group's places are exceeded."""
    return _(
        "%(group)s has %(places)d places and %(taken)d are taken. Confirm to give a place anyway.",
        group=group_label(g.network, warning.group),
        places=warning.places,
        taken=warning.taken,
    )


@bp.route("/", methods=["GET", "POST"])
@roles_required("coordinator")
def index():
    """The participants in the network now (or former ones, or everyone), a page at a time,
    with search and filters, their group, age band and attendance.

    The name search is sent by POST, so that no resident's name lands in a URL, a server log
    or the browser history; a `q` in the URL is ignored (and so are its page links: buttons
    that send the search again)."""
    if request.method == "POST":
        query = request.form
    else:
        query = request.args.copy()
        query.pop("q", None)
    form = FilterForm(g.network, query)
    filters = form.filters() if form.validate() else {}
    listed = listing.list_page(
        g.network.id,
        **filters,
        page=listing.page_number(query.get("page")),
        per_page=current_app.config["NETVAERK_PARTICIPANTS_PAGE_SIZE"],
    )
    return render_template(
        "netvaerk/participants/index.html",
        form=form,
        listed=listed,
        counts=listing.list_counts(g.network.id),
        places={1: g.network.places_group1, 3: g.network.places_group3},
        year=timeutil.local_today().year,
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
        services.lock_registrations(g.network)
        twins = look_alikes(
            g.network.id, form.first_name.data, form.last_name.data, form.birth_year.data
        )
        if twins and request.form.get("confirm_duplicate") != "1":
            return render_template(
                "netvaerk/participants/form.html", form=form, participant=None, twins=twins
            )
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
        services.record_view(participant, detail="edit")
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
            warning = _ask_to_confirm(exc, form)
        else:
            flash(_("The changes are saved."), "success")
            return redirect(url_for("netvaerk.participants.show", participant_id=participant.id))
    return render_template(
        "netvaerk/participants/form.html", form=form, participant=participant, warning=warning
    )


def _ask_to_confirm(warning: services.CapacityWarning, form) -> str:
    """Nothing is saved yet: the form comes back asking to confirm the extra place."""
    rollback_request()
    form.confirm_over_capacity.data = "1"
    return capacity_message(warning)


def _render_page(participant: Participant, status_code: int = 200, **forms):
    """The participant page, with any step form that failed validation passed in."""
    today = timeutil.local_today()
    defaults = {
        "intake_form": IntakeForm(formdata=None, intake_on=today),
        "start_form": StartForm(formdata=None, start_on=today),
        "code_form": CodeForm(formdata=None),
        "confirm_form": ConfirmForm(formdata=None),
        "capacity_warning": None,
    }
    defaults.update(forms)
    return render_template(
        "netvaerk/participants/show.html",
        participant=participant,
        age=age_band(participant.birth_year, today.year),
        steps=services.next_steps(participant.status),
        **defaults,
    ), status_code


@bp.route("/<id:participant_id>")
@roles_required("coordinator")
def show(participant_id: int):
    """A participant's page: data, periods, status history, attendance, other capabilities."""
    participant = get_in_network(Participant, participant_id, services.PAGE_LOADING)
    page, status = _render_page(participant)
    services.record_view(participant)  # committed by the request, after rendering
    return page, status


@bp.route("/<id:participant_id>/intake", methods=["POST"])
@roles_required("coordinator")
def intake(participant_id: int):
    """Record that the intake conversation was held."""
    participant = get_in_network(Participant, participant_id)
    form = IntakeForm()
    saved = save_form(
        form,
        lambda: services.record_intake(
            participant,
            form.intake_on.data,
            form.note.data,
            current_user.id,
            timeutil.local_today(),
        ),
        _("The intake conversation is recorded."),
        url_for("netvaerk.participants.show", participant_id=participant.id),
    )
    return saved or _render_page(participant, intake_form=form)


def _start(participant: Participant, success: str):
    form = StartForm()
    warning = None
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
            warning = _ask_to_confirm(exc, form)
        except UserError as error:
            show_user_error(error, form)
        else:
            flash(success, "success")
            return redirect(url_for("netvaerk.participants.show", participant_id=participant.id))
    return _render_page(participant, start_form=form, capacity_warning=warning)


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


@bp.route("/<id:participant_id>/leave", methods=["GET", "POST"])
@roles_required("coordinator")
def leave(participant_id: int):
    """Ending the course, a step of its own: end date and outcome close the current period."""
    participant = get_in_network(Participant, participant_id)
    form = LeaveForm(formdata=None) if request.method == "GET" else LeaveForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            services.leave(
                participant,
                form.end_on.data,
                form.outcome.data,
                current_user.id,
                timeutil.local_today(),
            )
        except UserError as error:
            show_user_error(error, form)
        else:
            return redirect(url_for("netvaerk.participants.left", participant_id=participant.id))
    return render_template("netvaerk/participants/leave.html", participant=participant, form=form)


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
        services.set_places(g.network, form.data)
        flash(_("The places are saved."), "success")
        return redirect(url_for("netvaerk.participants.index"))
    return render_template(
        "netvaerk/participants/places.html",
        form=form,
        counts=services.active_counts(g.network.id),
    )
