"""The kiosk account's only pages: the check-in grid, the code step and the confirmation."""

from flask import Blueprint, abort, g, render_template, request
from flask_babel import _

from .. import timeutil
from ..core.permissions import get_in_network, kiosk_allowed, roles_required
from ..meetings import services as meetings
from ..participants import services as participants
from ..participants.models import Participant
from .forms import KioskCodeForm
from .services import grid_labels

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk")


def _closed(status_code: int = 200, tried: bool = False):
    """No meeting open now: say when the next one is."""
    now = timeutil.local_now()
    return render_template(
        "netvaerk/kiosk/closed.html",
        next_meeting=meetings.next_meeting(g.network.id, now),
        today=now.date(),
        tried=tried,
    ), status_code


@bp.route("/")
@kiosk_allowed
@roles_required("kiosk")
def index():
    """Today's meeting and a big button per active participant; outside hours, the next one."""
    meeting = meetings.open_meeting(g.network.id, timeutil.local_now())
    if meeting is None:
        return _closed()
    people = participants.active_participants(g.network.id)
    return render_template(
        "netvaerk/kiosk/index.html",
        meeting=meeting,
        participants=people,
        labels=grid_labels(people),
        checked_in=meetings.checked_in_ids(meeting),
    )


@bp.route("/check-in/<id:participant_id>", methods=["POST"])
@kiosk_allowed
@roles_required("kiosk")
def check_in(participant_id: int):
    """Check a resident in (after the code, when the network asks for one)."""
    participant = get_in_network(Participant, participant_id)
    if participant.status != "active":
        abort(404)
    meeting = meetings.open_meeting(g.network.id, timeutil.local_now())
    if meeting is None:
        return _closed(tried=True)
    if g.network.checkin_code_required and participant.checkin_code_hash:
        form = KioskCodeForm()
        now_utc = timeutil.utcnow()
        error = None
        if participants.code_locked(participant, now_utc):
            error = _("Too many wrong codes. Ask a member of staff to check you in.")
        elif "code" not in request.form:
            return render_template(
                "netvaerk/kiosk/code.html", participant=participant, form=form, error=None
            )
        elif not form.validate_on_submit():
            error = " ".join(str(e) for e in form.code.errors) or _("Type your four-digit code.")
        elif not participants.verify_code(participant, form.code.data, now_utc):
            error = (
                _("Too many wrong codes. Ask a member of staff to check you in.")
                if participants.code_locked(participant, now_utc)
                else _("That code is not right. Try again.")
            )
        if error:
            form.code.data = ""
            return render_template(
                "netvaerk/kiosk/code.html", participant=participant, form=form, error=error
            )
    attendance, changed = meetings.check_in(meeting, participant)
    return render_template(
        "netvaerk/kiosk/confirmation.html",
        participant=participant,
        meeting=meeting,
        already=not changed,
    )
