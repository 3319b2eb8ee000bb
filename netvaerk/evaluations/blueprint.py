"""The evaluations blueprint and the small helpers its views share."""

from __future__ import annotations

from flask import Blueprint, current_app, request, url_for

from ..labels import language
from ..participants.models import Participant
from .forms import OUTCOME_GROUP_LABELS, PURPOSE_LABELS, QUESTION_KIND_LABELS

bp = Blueprint("evaluations", __name__, url_prefix="/evaluations")
STAFF = ("coordinator", "facilitator")


@bp.app_template_global()
def purpose_label(purpose: str) -> str:
    """The translated purpose of a form."""
    return PURPOSE_LABELS.get(purpose, purpose)


@bp.app_template_global()
def question_kind_label(kind: str) -> str:
    """The translated kind of a question."""
    return QUESTION_KIND_LABELS.get(kind, kind)


@bp.app_template_global()
def outcome_group_label(group: str) -> str:
    """The translated coarse outcome ("work or education", "other") of anonymous answers."""
    return str(OUTCOME_GROUP_LABELS.get(group, group))


def locale() -> str:
    """The language forms are shown in: "en" or "da"."""
    return language()


def back_to_checkin() -> str:
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


def raw_answers() -> dict[str, list[str]]:
    """The answer fields of the posted form (`q<question id>` -> values)."""
    return {key: request.form.getlist(key) for key in request.form if key.startswith("q")}
