"""Meetings: the weekly pattern, generating meetings, closures, cancelling and moving one
meeting, today's register with corrections, the follow-up list and the start-page panels."""

from datetime import timedelta

from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_babel import _, get_locale, ngettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from .. import timeutil
from ..audit.services import action_label_for, record
from ..core.permissions import get_in_network, roles_required
from ..core.registry import home_panel, nav_item
from ..extensions import db
from ..participants import services as participants
from ..participants.models import Participant
from . import services
from .forms import (
    AttendanceForm,
    CancelForm,
    ClosureForm,
    ConfirmForm,
    ExtraMeetingForm,
    GenerateForm,
    MoveForm,
    PatternForm,
)
from .models import Attendance, Closure, Meeting

bp = Blueprint("meetings", __name__, url_prefix="/meetings")

nav_item("netvaerk.meetings.today", _l("Today's meeting"), ("coordinator", "facilitator"), order=5)
nav_item("netvaerk.meetings.index", _l("Meetings"), ("coordinator",), order=20)
action_label_for("attendance.update", _l("Recorded attendance"))
action_label_for("attendance.correct", _l("Corrected attendance afterwards"))


def _locale() -> str:
    return str(get_locale() or "da")


# --- the meeting list, generation and single meetings ----------------------------------------


def _render_index(generate_form=None, extra_form=None, status_code=200):
    today = timeutil.local_today()
    meetings = list(
        db.session.execute(
            select(Meeting)
            .where(Meeting.network_id == g.network.id, Meeting.date >= today - timedelta(days=28))
            .order_by(Meeting.date, Meeting.start_time)
            .limit(200)
        ).scalars()
    )
    present_counts = dict(
        db.session.execute(
            select(Attendance.meeting_id, func.count(Attendance.id))
            .join(Meeting, Meeting.id == Attendance.meeting_id)
            .where(
                Meeting.network_id == g.network.id,
                Meeting.date >= today - timedelta(days=28),
                Attendance.status == "present",
            )
            .group_by(Attendance.meeting_id)
        ).all()
    )
    if generate_form is None:
        generate_form = GenerateForm(
            formdata=None, first_day=today, last_day=today + timedelta(days=90)
        )
    if extra_form is None:
        extra_form = ExtraMeetingForm(
            formdata=None, date=today, start=g.network.meeting_start, end=g.network.meeting_end
        )
    return render_template(
        "netvaerk/meetings/index.html",
        past=[m for m in meetings if m.date < today],
        upcoming=[m for m in meetings if m.date >= today],
        present_counts=present_counts,
        generate_form=generate_form,
        extra_form=extra_form,
        confirm_form=ConfirmForm(formdata=None),
        today=today,
    ), status_code


@bp.route("/")
@roles_required("coordinator")
def index():
    """The last four weeks' and the upcoming meetings; generate more; add an extra meeting."""
    return _render_index()


@bp.route("/generate", methods=["POST"])
@roles_required("coordinator")
def generate():
    """Generate the weekly pattern's meetings for a period, skipping holidays and closures."""
    form = GenerateForm()
    if not form.validate_on_submit():
        return _render_index(generate_form=form)
    try:
        result = services.generate_meetings(
            g.network, form.first_day.data, form.last_day.data, _locale()
        )
    except services.MeetingConflict:
        flash(_("Someone else generated meetings at the same moment. Try again."), "error")
        return redirect(url_for("netvaerk.meetings.index"))
    flash(
        _(
            "Meetings created: %(created)d. Already there: %(existing)d.",
            created=len(result.created),
            existing=result.existing,
        ),
        "success",
    )
    if result.holidays:
        flash(_("Skipped for public holidays: %(days)s.", days=_day_list(result.holidays)), "info")
    if result.closed:
        flash(
            ngettext_days(len(result.closed)),
            "info",
        )
    return redirect(url_for("netvaerk.meetings.index"))


def _day_list(days: list) -> str:
    from flask_babel import format_date

    return ", ".join(f"{name} ({format_date(day, 'd. MMM')})" for day, name in days)


def _cancelled_message(count: int) -> str:
    return ngettext(
        "%(num)d upcoming meeting in the period was cancelled.",
        "%(num)d upcoming meetings in the period were cancelled.",
        count,
    )


def ngettext_days(count: int) -> str:
    """Message for pattern days skipped because the centre is closed."""
    return ngettext(
        "%(num)d meeting day skipped because the centre is closed.",
        "%(num)d meeting days skipped because the centre is closed.",
        count,
    )


@bp.route("/extra", methods=["POST"])
@roles_required("coordinator")
def add_extra():
    """Add a meeting outside the weekly pattern."""
    form = ExtraMeetingForm()
    if form.validate_on_submit():
        try:
            services.add_extra_meeting(g.network, form.date.data, form.start.data, form.end.data)
        except services.MeetingConflict:
            form.date.errors.append(_("There is already a meeting on that day."))
        else:
            flash(_("The meeting is added."), "success")
            return redirect(url_for("netvaerk.meetings.index"))
    return _render_index(extra_form=form)


@bp.route("/<id:meeting_id>/cancel", methods=["GET", "POST"])
@roles_required("coordinator")
def cancel(meeting_id: int):
    """Cancel one meeting (generation will not create it again)."""
    meeting = get_in_network(Meeting, meeting_id)
    form = CancelForm()
    if form.validate_on_submit():
        services.cancel_meeting(meeting, form.reason.data or "")
        flash(_("The meeting on %(day)s is cancelled.", day=_date(meeting.date)), "success")
        return redirect(url_for("netvaerk.meetings.index"))
    return render_template("netvaerk/meetings/cancel.html", meeting=meeting, form=form)


@bp.route("/<id:meeting_id>/reinstate", methods=["POST"])
@roles_required("coordinator")
def reinstate(meeting_id: int):
    """Undo a cancellation."""
    meeting = get_in_network(Meeting, meeting_id)
    if ConfirmForm().validate_on_submit():
        try:
            services.reinstate_meeting(meeting)
        except services.MeetingConflict:
            flash(_("There is already a meeting on that day."), "error")
        else:
            flash(_("The meeting on %(day)s is held again.", day=_date(meeting.date)), "success")
    return redirect(url_for("netvaerk.meetings.index"))


@bp.route("/<id:meeting_id>/move", methods=["GET", "POST"])
@roles_required("coordinator")
def move(meeting_id: int):
    """Move one meeting to another day or time."""
    meeting = get_in_network(Meeting, meeting_id)
    form = MoveForm(obj=meeting, start=meeting.start_time, end=meeting.end_time)
    if form.validate_on_submit():
        try:
            services.move_meeting(meeting, form.date.data, form.start.data, form.end.data)
        except services.MeetingConflict:
            form.date.errors.append(_("There is already a meeting on that day."))
        else:
            flash(_("The meeting is moved to %(day)s.", day=_date(meeting.date)), "success")
            return redirect(url_for("netvaerk.meetings.index"))
    return render_template("netvaerk/meetings/move.html", meeting=meeting, form=form)


def _date(day) -> str:
    from flask_babel import format_date

    return format_date(day, "EEEE d. MMMM")


# --- the weekly pattern -----------------------------------------------------------------------


@bp.route("/settings", methods=["GET", "POST"])
@roles_required("coordinator")
def settings():
    """The weekly pattern (days and hours) and whether the kiosk asks for personal codes."""
    network = g.network
    form = PatternForm(
        weekdays=network.weekdays,
        start=network.meeting_start,
        end=network.meeting_end,
        checkin_code_required=network.checkin_code_required,
    )
    if form.validate_on_submit():
        network.checkin_code_required = form.checkin_code_required.data
        changed = services.update_pattern(
            network,
            form.weekdays.data,
            form.start.data,
            form.end.data,
            timeutil.local_today(),
            apply_upcoming=form.apply_upcoming.data,
            cancel_reason=_("The weekly pattern changed"),
        )
        flash(_("The settings are saved."), "success")
        if changed:
            flash(
                ngettext(
                    "%(num)d upcoming meeting was changed to match.",
                    "%(num)d upcoming meetings were changed to match.",
                    changed,
                ),
                "info",
            )
        return redirect(url_for("netvaerk.meetings.index"))
    return render_template("netvaerk/meetings/settings.html", form=form)


# --- closures ---------------------------------------------------------------------------------


@bp.route("/closures", methods=["GET", "POST"])
@roles_required("coordinator")
def closures():
    """The periods the centre is closed; add one."""
    form = ClosureForm()
    if form.validate_on_submit():
        closure = Closure(network_id=g.network.id)
        form.populate_obj(closure)
        cancelled = services.save_closure(closure, timeutil.local_today())
        flash(_("The closure is saved."), "success")
        if cancelled:
            flash(_cancelled_message(cancelled), "info")
        return redirect(url_for("netvaerk.meetings.closures"))
    rows = db.session.execute(
        select(Closure).where(Closure.network_id == g.network.id).order_by(Closure.start_date)
    ).scalars()
    return render_template(
        "netvaerk/meetings/closures.html",
        form=form,
        closures=list(rows),
        confirm_form=ConfirmForm(formdata=None),
    )


@bp.route("/closures/<id:closure_id>/edit", methods=["GET", "POST"])
@roles_required("coordinator")
def edit_closure(closure_id: int):
    """Change a closure's dates or reason."""
    closure = get_in_network(Closure, closure_id)
    form = ClosureForm(obj=closure)
    if form.validate_on_submit():
        form.populate_obj(closure)
        cancelled = services.save_closure(closure, timeutil.local_today())
        flash(_("The closure is saved."), "success")
        if cancelled:
            flash(_cancelled_message(cancelled), "info")
        return redirect(url_for("netvaerk.meetings.closures"))
    return render_template("netvaerk/meetings/closure_edit.html", form=form, closure=closure)


@bp.route("/closures/<id:closure_id>/delete", methods=["POST"])
@roles_required("coordinator")
def delete_closure(closure_id: int):
    """Remove a closure."""
    closure = get_in_network(Closure, closure_id)
    if ConfirmForm().validate_on_submit():
        services.delete_closure(closure)
        flash(
            _(
                "The closure is removed. Meetings it cancelled stay cancelled "
                "until you reinstate them."
            ),
            "success",
        )
    return redirect(url_for("netvaerk.meetings.closures"))


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
    recorders = {
        user.id: user
        for user in _users({a.recorded_by_id for _p, a in rows if a and a.recorded_by_id})
    }
    return render_template(
        "netvaerk/meetings/register.html",
        meeting=meeting,
        rows=rows,
        present=present,
        mode=register_mode(meeting, g.role),
        errors=errors or {},
        recorders=recorders,
        today=timeutil.local_today(),
        form=AttendanceForm(formdata=None),
    ), status_code


def _users(ids: set[int]):
    from ..core.models import User

    if not ids:
        return []
    return db.session.execute(select(User).where(User.id.in_(ids))).scalars()


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
    mode = register_mode(meeting, g.role)
    error = None
    if mode == "none":
        error = (
            _("This meeting is cancelled.")
            if meeting.is_cancelled
            else _("Only a coordinator can correct the register of an earlier meeting.")
        )
    elif not form.validate_on_submit():
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    elif mode == "notice" and form.status.data != "notified":
        error = _("The meeting has not taken place yet: you can only record absence with notice.")
    if error:
        return _render_register(meeting, errors={participant.id: error}, status_code=400)
    late = meeting.date < timeutil.local_today()
    services.mark_attendance(
        meeting, participant, form.status.data, form.reason.data or None, current_user.id
    )
    record(
        "attendance.correct" if late else "attendance.update",
        network_id=g.network.id,
        subject_type="participant",
        subject_id=participant.id,
        detail=f"meeting {meeting.id} {meeting.date.isoformat()}: {form.status.data}",
    )
    db.session.commit()
    flash(_("Saved for %(name)s.", name=participant.display_name), "success")
    return redirect(
        url_for("netvaerk.meetings.register", meeting_id=meeting.id) + f"#p{participant.id}"
    )


@bp.route("/follow-up")
@roles_required("coordinator")
def follow_up():
    """Active participants with several unexplained absences in a row."""
    return render_template(
        "netvaerk/meetings/follow_up.html",
        rows=services.follow_up_list(g.network.id, timeutil.local_now()),
        streak=services.FOLLOW_UP_STREAK,
    )


# --- start-page panels --------------------------------------------------------------------------


def _today_summary() -> dict:
    now = timeutil.local_now()
    meetings = services.meetings_on(g.network.id, now.date())
    meeting = services.todays_among(meetings, now)
    checked_in = len(services.checked_in_ids(meeting)) if meeting else 0
    return {
        "meeting": meeting,
        "checked_in": checked_in,
        "is_open": meeting is not None and services.open_among(meetings, now) == meeting,
        "next_meeting": None if meeting else services.next_meeting(g.network.id, now),
    }


@home_panel("netvaerk/meetings/_glance_panel.html", roles=("coordinator",), order=10)
def glance_panel() -> dict:
    """The network at a glance: places per group, today's meeting, the follow-up list."""
    context = _today_summary()
    context.update(
        counts=participants.active_counts(g.network.id),
        places={1: g.network.places_group1, 3: g.network.places_group3},
        follow_up=services.follow_up_list(g.network.id, timeutil.local_now())[:5],
    )
    return context


@home_panel("netvaerk/meetings/_today_panel.html", roles=("facilitator",), order=10)
def today_panel() -> dict:
    """Today's meeting and a link to its register."""
    return _today_summary()
