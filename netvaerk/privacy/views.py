"""A participant's data on request (page and JSON), and erasure with confirmation."""

import json

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    url_for,
)
from flask_babel import _

from ..core.errors import UserError, show_user_error
from ..core.models import Network
from ..core.permissions import get_in_network, roles_required
from ..core.services import all_networks
from ..participants.models import Participant
from . import retention, services
from .forms import EraseForm, RetentionForm

bp = Blueprint("privacy", __name__, url_prefix="/privacy")


def _exported(participant: Participant) -> dict:
    return services.answer_access_request(participant)


@bp.route("/participants/<id:participant_id>")
@roles_required("coordinator")
def export_page(participant_id: int):
    """Everything stored about the participant, as a readable page to print or hand over."""
    participant = get_in_network(Participant, participant_id)
    data = _exported(participant)
    return render_template(
        "netvaerk/privacy/export.html",
        participant=participant,
        data=data,
        section_labels=services.SECTION_LABELS,
        field_labels=services.FIELD_LABELS,
    )


@bp.route("/participants/<id:participant_id>/export.json")
@roles_required("coordinator")
def export_json(participant_id: int):
    """The same as a JSON file."""
    participant = get_in_network(Participant, participant_id)
    body = json.dumps(_exported(participant), ensure_ascii=False, indent=2, default=str)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f"attachment; filename=participant-{participant.id}.json"},
    )


@bp.route("/participants/<id:participant_id>/erase", methods=["GET", "POST"])
@roles_required("coordinator")
def erase(participant_id: int):
    """Ask for a reason and confirmation, then erase the participant for good."""
    participant = get_in_network(Participant, participant_id)
    form = EraseForm()
    if form.validate_on_submit():
        services.erase_participant(participant, form.reason.data.strip())
        flash(_("The participant's data is erased."), "success")
        return redirect(url_for("netvaerk.core.home"))
    return render_template("netvaerk/privacy/erase.html", participant=participant, form=form)


def _retention_networks() -> list[Network]:
    """The networks the user may set retention for: their own, or every one for a site
    administrator without a network."""
    if g.get("role") == "coordinator" and g.get("network") is not None:
        return [g.network]
    return all_networks()


@bp.route("/retention", methods=["GET", "POST"])
@roles_required("coordinator", admin=True)
def retention_page():
    """How long each network keeps a resident's data after they leave; coordinators (their
    network) and site administrators (every network) change it here or with `flask retention`."""
    networks = _retention_networks()
    form = RetentionForm()
    if form.validate_on_submit():
        chosen = next((n for n in networks if n.id == form.network_id.data), None)
        if chosen is None:
            abort(404)
        try:
            retention.set_retention(chosen, form.months.data)
        except UserError as error:
            show_user_error(error, form)
        else:
            flash(_("The retention period is saved."), "success")
            return redirect(url_for("netvaerk.privacy.retention_page"))
    forms = [
        (
            n,
            form
            if form.network_id.data == n.id
            else RetentionForm(network_id=n.id, months=n.retention_months),
        )
        for n in networks
    ]
    return render_template(
        "netvaerk/privacy/retention.html",
        forms=forms,
        never_started_months=current_app.config["NETVAERK_NEVER_STARTED_MONTHS"],
    )
