"""Meetings: the weekly pattern, generating meetings, closures, cancelling and moving one
meeting and the follow-up list. The register (today's, corrections) is in `register_views`;
the blueprint in `blueprint`."""

from datetime import timedelta

from flask import flash, g, redirect, render_template, url_for
from flask_babel import _, ngettext

from .. import timeutil
from ..core.errors import UserError, save_form, show_user_error
from ..core.once import saved_once
from ..core.past_dates import past_date_unconfirmed
from ..core.permissions import get_in_network, roles_required
from ..labels import language
from . import calendar, register_views, services  # noqa: F401 (register_views: its routes)
from .blueprint import bp
from .forms import (
    CancelForm,
    ClosureForm,
    ConfirmForm,
    ExtraMeetingForm,
    GenerateForm,
    MoveForm,
    PatternForm,
)
from .models import Closure, Meeting

# --- the meeting list, generation and single meetings ----------------------------------------


def _render_index(generate_form=None, extra_form=None, status_code=200):
    today = timeutil.local_today()
    since = today - timedelta(days=28)
    meetings = services.meetings_from(g.network.id, since)
    present_counts = services.present_counts(g.network.id, since)
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
    today = timeutil.local_today()
    if past_date_unconfirmed(form.first_day.data, today):
        # Past meetings count as held in the statistics: ask first, as for a single past date.
        return _render_index(generate_form=form)
    try:
        result = calendar.generate_meetings(
            g.network, form.first_day.data, form.last_day.data, today, language()
        )
    except UserError as error:
        show_user_error(error, form)
        return _render_index(generate_form=form)
    _flash_generation(result)
    return redirect(url_for("netvaerk.meetings.index"))


def _flash_generation(result) -> None:
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
        flash(ngettext_days(len(result.closed)), "info")


def _day_list(days: list) -> str:
    from ..labels import format_day as format_date

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
    today = timeutil.local_today()
    saved = save_form(
        form,
        lambda: calendar.add_extra_meeting(
            g.network, form.date.data, form.start.data, form.end.data, today
        ),
        _("The meeting is added."),
        url_for("netvaerk.meetings.index"),
        ready=lambda: not past_date_unconfirmed(form.date.data, today),
    )
    return saved or _render_index(extra_form=form)


@bp.route("/<id:meeting_id>/cancel", methods=["GET", "POST"])
@roles_required("coordinator")
def cancel(meeting_id: int):
    """Cancel one meeting (generation will not create it again)."""
    meeting = get_in_network(Meeting, meeting_id)
    form = CancelForm()
    if form.validate_on_submit():
        calendar.cancel_meeting(meeting, form.reason.data or "")
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
            calendar.reinstate_meeting(meeting)
        except UserError as error:
            show_user_error(error)
        else:
            flash(_("The meeting on %(day)s is held again.", day=_date(meeting.date)), "success")
    return redirect(url_for("netvaerk.meetings.index"))


@bp.route("/<id:meeting_id>/move", methods=["GET", "POST"])
@roles_required("coordinator")
def move(meeting_id: int):
    """Move one meeting to another day or time (its activities move with it)."""
    meeting = get_in_network(Meeting, meeting_id)
    form = MoveForm(obj=meeting, start=meeting.start_time, end=meeting.end_time)
    if form.validate_on_submit():
        try:
            closed = calendar.move_meeting(
                meeting,
                form.date.data,
                form.start.data,
                form.end.data,
                timeutil.local_today(),
                language(),
            )
        except UserError as error:
            show_user_error(error, form)
            return render_template("netvaerk/meetings/move.html", meeting=meeting, form=form)
        flash(_("The meeting is moved to %(day)s.", day=_date(meeting.date)), "success")
        if closed:
            flash(
                _("Note: the centre is normally closed that day (%(reason)s).", reason=closed),
                "warning",
            )
        return redirect(url_for("netvaerk.meetings.index"))
    return render_template("netvaerk/meetings/move.html", meeting=meeting, form=form)


def _date(day) -> str:
    from ..labels import format_day as format_date

    return format_date(day, "EEEE d. MMMM")


# --- the weekly pattern -----------------------------------------------------------------------


@bp.route("/settings", methods=["GET", "POST"])
@roles_required("coordinator")
def settings():
    """The weekly pattern (days and hours), closed days and the kiosk's personal codes."""
    network = g.network
    form = PatternForm(
        weekdays=network.weekdays,
        start=network.meeting_start,
        end=network.meeting_end,
        checkin_code_required=network.checkin_code_required,
        closed_days=network.closed_days,
    )
    if form.validate_on_submit():
        try:
            changed = _save_settings(network, form)
        except UserError as error:
            show_user_error(error, form)
            return render_template("netvaerk/meetings/settings.html", form=form)
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


def _save_settings(network, form) -> int:
    network.checkin_code_required = form.checkin_code_required.data
    calendar.save_closed_days(network, form.closed_days.data or "")
    return calendar.update_pattern(
        network,
        form.weekdays.data,
        form.start.data,
        form.end.data,
        timeutil.local_today(),
        apply_upcoming=form.apply_upcoming.data,
        cancel_reason=_("The weekly pattern changed"),
    )


# --- closures ---------------------------------------------------------------------------------


@bp.route("/closures", methods=["GET", "POST"])
@roles_required("coordinator")
def closures():
    """The periods the centre is closed; add one."""
    form = ClosureForm()
    if form.validate_on_submit():
        closure = Closure(network_id=g.network.id)
        form.populate_obj(closure)
        if _saved_closure(closure, form, once=True):
            return redirect(url_for("netvaerk.meetings.closures"))
    return render_template(
        "netvaerk/meetings/closures.html",
        form=form,
        closures=calendar.closures_of(g.network.id),
        confirm_form=ConfirmForm(formdata=None),
    )


def _saved_closure(closure: Closure, form, once: bool = False) -> bool:
    """Save a closure, flashing what happened; False (nothing saved) on a user's mistake.
    `once`: a new closure, saved once per form key (a double submit adds one)."""

    def save() -> int:
        return calendar.save_closure(closure, timeutil.local_today())

    try:
        cancelled = saved_once(form.once_key.data, save) if once else save()
    except UserError as error:
        show_user_error(error, form)
        return False
    flash(_("The closure is saved."), "success")
    if cancelled:
        flash(_cancelled_message(cancelled), "info")
    return True


@bp.route("/closures/<id:closure_id>/edit", methods=["GET", "POST"])
@roles_required("coordinator")
def edit_closure(closure_id: int):
    """Change a closure's dates or reason."""
    closure = get_in_network(Closure, closure_id)
    form = ClosureForm(obj=closure)
    if form.validate_on_submit():
        form.populate_obj(closure)
        if _saved_closure(closure, form):
            return redirect(url_for("netvaerk.meetings.closures"))
    return render_template("netvaerk/meetings/closure_edit.html", form=form, closure=closure)


@bp.route("/closures/<id:closure_id>/delete", methods=["POST"])
@roles_required("coordinator")
def delete_closure(closure_id: int):
    """Remove a closure."""
    closure = get_in_network(Closure, closure_id)
    if ConfirmForm().validate_on_submit():
        calendar.delete_closure(closure)
        flash(
            _(
                "The closure is removed. Meetings it cancelled stay cancelled "
                "until you reinstate them."
            ),
            "success",
        )
    return redirect(url_for("netvaerk.meetings.closures"))


@bp.route("/follow-up")
@roles_required("coordinator")
def follow_up():
    """Active participants with several unexplained absences in a row."""
    return render_template(
        "netvaerk/meetings/follow_up.html",
        rows=services.follow_up_list(g.network.id, timeutil.local_now()),
        streak=services.FOLLOW_UP_STREAK,
    )
