"""A participant's data on request (page and JSON), and erasure with confirmation."""

import json

from flask import Blueprint, Response, flash, g, redirect, render_template, url_for
from flask_babel import _

from ..audit.services import record
from ..core.permissions import get_in_network, roles_required
from ..core.registry import page_part
from ..extensions import db
from ..participants.models import Participant
from . import services
from .forms import EraseForm

bp = Blueprint("privacy", __name__, url_prefix="/privacy")


@page_part("participant.page", "netvaerk/privacy/_participant_part.html", order=90)
def participant_part(participant) -> dict | None:
    """Links to the export and to erasure on a participant's page, for coordinators."""
    return {"participant": participant} if g.get("role") == "coordinator" else None


def _exported(participant: Participant) -> dict:
    data = services.export_participant(participant)
    record(
        "participant.export",
        network_id=participant.network_id,
        subject_type="participant",
        subject_id=participant.id,
    )
    db.session.commit()
    return data


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
