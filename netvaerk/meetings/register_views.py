"""The register as one form: every row starts "not registered"; save one row or all of them.

A row left "not registered" is not saved, so a stray "Save" never marks anyone present.
"Fill in present" reloads the form with "present" chosen for the rows nobody registered yet
(nothing is saved until "Save all"). Today's register and one row's "Save" are here too, all
on the meetings blueprint (`blueprint.py`).
"""

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import _, ngettext
from flask_login import current_user

from .. import timeutil
from ..core.permissions import get_in_network, roles_required
from ..labels import ABSENCE_REASON_LABELS, ATTENDANCE_LABELS
from ..participants.models import Participant
from . import offline, services
from .blueprint import bp
from .forms import AttendanceForm
from .models import Meeting

# --- the register -----------------------------------------------------------------------------


def register_mode(meeting: Meeting, role: str) -> str:
    """What the current user may record on a meeting's register.

    "all" (today; or a past meeting for a coordinator, a late correction), "notice" (an
    upcoming meeting: only absence with notice) or "none".
    """
    today = timeutil.local_today()
    if meeting.is_cancelled:
        return "none"
    if meeting.date == today:
        return "all"
    if meeting.date > today:
        return "notice"
    return "all" if role == "coordinator" else "none"


def _render_register(meeting: Meeting, errors=None, status_code=200):
    rows = services.register_rows(meeting)
    present = sum(1 for _p, a in rows if a is not None and a.status == "present")
    return render_template(
        "netvaerk/meetings/register.html",
        meeting=meeting,
        rows=rows,
        present=present,
        mode=register_mode(meeting, g.role),
        errors=errors or {},
        today=timeutil.local_today(),
        form=AttendanceForm(formdata=None),
        refused_taps=offline.refused_taps(meeting.id),
    ), status_code


@bp.route("/today")
@roles_required("coordinator", "facilitator")
def today():
    """Today's register, or when the next meeting is."""
    now = timeutil.local_now()
    meeting = services.todays_meeting(g.network.id, now)
    if meeting is None:
        return render_template(
            "netvaerk/meetings/no_meeting.html",
            next_meeting=services.next_meeting(g.network.id, now),
        )
    return _render_register(meeting)


@bp.route("/<id:meeting_id>/register")
@roles_required("coordinator", "facilitator")
def register(meeting_id: int):
    """The register of one meeting."""
    return _render_register(get_in_network(Meeting, meeting_id))


def _register_refusal(meeting: Meeting, form: AttendanceForm) -> str | None:
    """Why the register of this meeting cannot take this entry now, or None."""
    mode = register_mode(meeting, g.role)
    if mode == "none":
        return (
            _("This meeting is cancelled.")
            if meeting.is_cancelled
            else _("Only a coordinator can correct the register of an earlier meeting.")
        )
    if not form.validate_on_submit():
        return " ".join(str(e) for errors in form.errors.values() for e in errors)
    if mode == "notice" and form.status.data != "notified":
        return _("The meeting has not taken place yet: you can only record absence with notice.")
    return None


@bp.route("/<id:meeting_id>/register/<id:participant_id>", methods=["POST"])
@roles_required("coordinator", "facilitator")
def mark(meeting_id: int, participant_id: int):
    """Record one participant's attendance; late corrections only by coordinators."""
    meeting = get_in_network(Meeting, meeting_id)
    participant = get_in_network(Participant, participant_id)
    if participant.id not in {p.id for p, _a in services.register_rows(meeting)}:
        return _render_register(
            meeting,
            errors={None: _("%(name)s was not in the network then.", name=participant.full_name)},
            status_code=400,
        )
    form = AttendanceForm()
    error = _register_refusal(meeting, form)
    if error:
        return _render_register(meeting, errors={participant.id: error}, status_code=400)
    services.mark_attendance(
        meeting,
        participant,
        form.status.data,
        form.reason.data or None,
        current_user.id,
        timeutil.local_today(),
    )
    flash(_("Saved for %(name)s.", name=participant.full_name), "success")
    return redirect(
        url_for("netvaerk.meetings.register", meeting_id=meeting.id) + f"#p{participant.id}"
    )


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
