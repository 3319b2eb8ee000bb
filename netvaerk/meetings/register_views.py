"""The register as one form: every row starts "not registered"; save one row or all of them.

A row left "not registered" is not saved, so a stray "Save" never marks anyone present.
"Fill in present" reloads the form with "present" chosen for the rows nobody registered yet
(nothing is saved until "Save all"). Routes on the meetings blueprint (imported by views.py).
"""

from flask import flash, g, redirect, request, url_for
from flask_babel import _, ngettext
from flask_login import current_user

from .. import timeutil
from ..core.permissions import get_in_network, roles_required
from ..labels import ABSENCE_REASON_LABELS, ATTENDANCE_LABELS
from ..participants.models import Participant
from . import services
from .models import Meeting
from .views import _render_register, bp, register_mode


def read_register_form(form, rows, mode: str, only: int | None) -> tuple[dict, dict]:
    """The rows to save {participant_id: (status, reason)} and the errors {participant_id: text}.

    Rows left empty ("not registered") are skipped; `only` limits it to one participant."""
    changes, errors = {}, {}
    for participant, _attendance in rows:
        if only is not None and participant.id != only:
            continue
        status = form.get(f"status-{participant.id}", "")
        reason = form.get(f"reason-{participant.id}", "") or None
        if not status:
            continue
        if status not in ATTENDANCE_LABELS or (reason and reason not in ABSENCE_REASON_LABELS):
            errors[participant.id] = _("Choose present, absent or absent with notice.")
        elif mode == "notice" and status != "notified":
            errors[participant.id] = _(
                "The meeting has not taken place yet: you can only record absence with notice."
            )
        elif status == "notified" and not reason:
            errors[participant.id] = _("Choose the reason for the absence.")
        else:
            changes[participant.id] = (status, reason)
    return changes, errors


@bp.route("/<id:meeting_id>/register", methods=["POST"])
@roles_required("coordinator", "facilitator")
def save_register(meeting_id: int):
    """Save the register's rows that were filled in (or the one row whose "Save" was pressed)."""
    meeting = get_in_network(Meeting, meeting_id)
    mode = register_mode(meeting, g.role)
    if mode == "none":
        error = (
            _("This meeting is cancelled.")
            if meeting.is_cancelled
            else _("Only a coordinator can correct the register of an earlier meeting.")
        )
        return _render_register(meeting, errors={None: error}, status_code=400)
    rows = services.register_rows(meeting)
    only = request.form.get("only", type=int)
    changes, errors = read_register_form(request.form, rows, mode, only)
    if errors:
        return _render_register(meeting, errors=errors, status_code=400)
    if not changes:
        flash(_("Nothing was saved: choose the attendance first."), "warning")
        return redirect(url_for("netvaerk.meetings.register", meeting_id=meeting.id))
    _save(meeting, rows, changes)
    flash(ngettext("Saved %(num)d row.", "Saved %(num)d rows.", len(changes)), "success")
    anchor = f"#p{only}" if only else ""
    return redirect(url_for("netvaerk.meetings.register", meeting_id=meeting.id) + anchor)


def _save(meeting: Meeting, rows, changes: dict) -> None:
    """Record each changed row (the service writes the audit trail)."""
    people: dict[int, Participant] = {p.id: p for p, _a in rows}
    today = timeutil.local_today()
    for participant_id, (status, reason) in changes.items():
        services.mark_attendance(
            meeting, people[participant_id], status, reason, current_user.id, today
        )
