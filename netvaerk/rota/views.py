"""Rota pages: the week, the printable week, a meeting's chores, chores, generating, swaps."""

from datetime import date, timedelta

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from .. import timeutil
from ..core.dates import parse_day
from ..core.errors import UserError, save_form, show_user_error
from ..core.past_dates import past_date_unconfirmed
from ..core.permissions import get_in_network, roles_required
from ..core.security import safe_next
from ..core.transaction import rollback_request
from ..core.views import page_title
from ..meetings.models import Meeting
from . import services
from .forms import ChoreForm, GenerateForm, SwapForm
from .models import Chore, ChoreAssignment

bp = Blueprint("rota", __name__, url_prefix="/rota")

STAFF = ("coordinator", "facilitator")


def _week_from_request() -> date:
    """The Monday of the week asked for (?week=YYYY-MM-DD, within the date window), else of
    this week."""
    today = timeutil.local_today()
    return services.week_start_of(parse_day(request.args.get("week"), today) or today)


def _back(default: str):
    """Redirect to the page the form came from, when it is one of ours."""
    return redirect(safe_next(request.form.get("next")) or default)


@bp.route("/")
@roles_required(*STAFF)
def index():
    """The rota of a week: meetings as columns, chores as rows."""
    week = _week_from_request()
    rota = services.week_rota(g.network.id, week)
    today = timeutil.local_today()
    todays = next((m for m in rota.meetings if m.date == today), None)
    return render_template(
        "netvaerk/rota/index.html",
        title=page_title(_("Rota")),
        rota=rota,
        previous_week=week - timedelta(days=7),
        next_week=week + timedelta(days=7),
        todays=todays,
    )


@bp.route("/print")
@roles_required(*STAFF)
def print_week():
    """The week's rota on one A4 page, for the wall."""
    rota = services.week_rota(g.network.id, _week_from_request())
    return render_template("netvaerk/rota/print.html", rota=rota)


@bp.route("/meeting/<id:meeting_id>")
@roles_required(*STAFF)
def meeting(meeting_id: int):
    """A meeting's chores: open ones to re-assign, done marks, swaps and the change history."""
    meeting = get_in_network(Meeting, meeting_id)
    return render_template(
        "netvaerk/rota/meeting.html",
        meeting=meeting,
        rows=services.meeting_rota(meeting),
        changes=[(c.created_at, describe_change(c)) for c in services.meeting_changes(meeting)],
        started=services.has_started(meeting),
    )


@bp.route("/chores", methods=["GET", "POST"])
@roles_required("coordinator")
def chores():
    """The network's chores and a form to add one."""
    form = ChoreForm()
    saved = save_form(
        form,
        lambda: services.save_chore(
            g.network.id, form.name.data, form.people_needed.data, form.weekdays.data
        ),
        lambda chore: _("The chore %(name)s was added.", name=chore.name),
        url_for("netvaerk.rota.chores"),
    )
    return saved or render_template(
        "netvaerk/rota/chores.html", form=form, chores=services.list_chores(g.network.id)
    )


@bp.route("/chores/<id:chore_id>", methods=["GET", "POST"])
@roles_required("coordinator")
def edit_chore(chore_id: int):
    """Change a chore's name, people needed or weekdays (used from the next generated rota)."""
    chore = get_in_network(Chore, chore_id)
    form = ChoreForm(obj=None if request.method == "POST" else chore)
    if request.method == "GET":
        form.weekdays.data = chore.weekday_list
    saved = save_form(
        form,
        lambda: services.save_chore(
            g.network.id, form.name.data, form.people_needed.data, form.weekdays.data, chore=chore
        ),
        lambda saved_chore: _("The chore %(name)s was saved.", name=saved_chore.name),
        url_for("netvaerk.rota.chores"),
    )
    return saved or render_template(
        "netvaerk/rota/chore_form.html",
        form=form,
        chore=chore,
        future_count=services.future_assignment_count(chore),
    )


@bp.route("/chores/<id:chore_id>/deactivate", methods=["POST"])
@roles_required("coordinator")
def deactivate_chore(chore_id: int):
    """Deactivate a chore; coming assignments are removed only when confirmed."""
    chore = get_in_network(Chore, chore_id)
    try:
        removed = services.deactivate_chore(chore, remove_future=request.form.get("confirm") == "1")
    except UserError as error:
        rollback_request()
        flash(str(error), "warning")
        return redirect(url_for("netvaerk.rota.edit_chore", chore_id=chore.id))
    flash(_("The chore %(name)s is no longer used.", name=chore.name), "success")
    if removed:
        flash(_("Its coming assignments were removed. Make the rota again to fill them."), "info")
    return redirect(url_for("netvaerk.rota.chores"))


@bp.route("/chores/<id:chore_id>/activate", methods=["POST"])
@roles_required("coordinator")
def activate_chore(chore_id: int):
    """Use a deactivated chore again."""
    chore = get_in_network(Chore, chore_id)
    services.activate_chore(chore)
    flash(_("The chore %(name)s is in use again.", name=chore.name), "success")
    return redirect(url_for("netvaerk.rota.chores"))


@bp.route("/generate", methods=["GET", "POST"])
@roles_required("coordinator")
def generate():
    """Make (or remake) the rota for a period; done and hand-changed chores stay."""
    today = timeutil.local_today()
    form = GenerateForm()
    if request.method == "GET":
        form.start.data = today
        form.end.data = services.week_start_of(today) + timedelta(days=27)
    problem = None
    # A past period gives chores out at meetings that were held: ask first, as for one past day.
    if form.validate_on_submit() and not past_date_unconfirmed(form.start.data, today):
        try:
            outcome = services.generate_rota(
                g.network.id, form.start.data, form.end.data, timeutil.local_now()
            )
        except UserError as error:
            rollback_request()
            problem = str(error)
        else:
            _flash_outcome(outcome)
            return redirect(url_for("netvaerk.rota.index", week=form.start.data.isoformat()))
    return render_template("netvaerk/rota/generate.html", form=form, problem=problem)


def _flash_outcome(outcome) -> None:
    for line in outcome.understaffed:
        flash(line, "warning")
    flash(
        _(
            "The rota is ready for %(meetings)d meetings: %(created)d chores given out, "
            "%(kept)d kept as they were.",
            meetings=outcome.meetings,
            created=outcome.created,
            kept=outcome.kept,
        ),
        "success",
    )


@bp.route("/assignment/<id:assignment_id>/done", methods=["POST"])
@roles_required(*STAFF)
def mark_done(assignment_id: int):
    """Tick a chore off, or undo the tick."""
    assignment = get_in_network(ChoreAssignment, assignment_id)
    done = request.form.get("done") == "1"
    try:
        services.set_done(assignment, done, current_user.id)
    except UserError as error:
        show_user_error(error)
    return _back(url_for("netvaerk.rota.meeting", meeting_id=assignment.meeting_id))


@bp.route("/assignment/<id:assignment_id>/reassign", methods=["POST"])
@roles_required(*STAFF)
def reassign(assignment_id: int):
    """One click: give an open chore to the present participant with the lowest load."""
    assignment = get_in_network(ChoreAssignment, assignment_id)
    meeting_id = assignment.meeting_id
    chore_name = assignment.chore.name
    try:
        person = services.reassign(assignment, current_user.id)
    except UserError as error:
        show_user_error(error)
    else:
        flash(
            _("%(chore)s now goes to %(name)s.", chore=chore_name, name=person.first_name),
            "success",
        )
    return _back(url_for("netvaerk.rota.meeting", meeting_id=meeting_id))


@bp.route("/assignment/<id:assignment_id>/swap", methods=["GET", "POST"])
@roles_required(*STAFF)
def swap(assignment_id: int):
    """Swap this chore with another person's (on their behalf, or as the coordinator)."""
    assignment = get_in_network(ChoreAssignment, assignment_id)
    if assignment.participant_id is None or assignment.is_done:
        flash(_("Only a chore that someone holds and that is not done can be swapped."), "error")
        return redirect(url_for("netvaerk.rota.meeting", meeting_id=assignment.meeting_id))
    candidates = services.swap_candidates(assignment)
    form = SwapForm()
    form.other.choices = [
        SelectChoice(
            c.id,
            f"{_format_day(c.meeting.date)} – {c.chore.name} – {c.participant.first_name}",
        )
        for c in candidates
    ]
    problem = None
    if form.validate_on_submit():
        other = get_in_network(ChoreAssignment, form.other.data)
        meeting_id = assignment.meeting_id
        try:
            services.swap(assignment, other, current_user.id)
        except UserError as error:
            rollback_request()
            problem = str(error)
        else:
            flash(_("The two chores were swapped."), "success")
            return redirect(url_for("netvaerk.rota.meeting", meeting_id=meeting_id))
    return render_template(
        "netvaerk/rota/swap.html", form=form, assignment=assignment, problem=problem
    )


# One line of the change history per kind of change.
CHANGE_LINES = {
    "swap": _l("%(chore)s swapped from %(old)s to %(new)s by %(who)s"),
    "reassign": _l("%(chore)s re-assigned from %(old)s to %(new)s by %(who)s"),
    "done": _l("%(chore)s (%(new)s) marked done by %(who)s"),
    "undone": _l("%(chore)s (%(new)s) marked not done by %(who)s"),
}
GIVEN_LINE = _l("%(chore)s given to %(new)s by %(who)s")


def describe_change(change) -> str:
    """One line of the change history: what happened to which chore, by whom."""
    nobody = _("nobody")
    return str(CHANGE_LINES.get(change.action, GIVEN_LINE)) % {
        "chore": change.assignment.chore.name,
        "old": change.from_participant.first_name if change.from_participant else nobody,
        "new": change.to_participant.first_name if change.to_participant else nobody,
        "who": change.changed_by.name if change.changed_by else _("unknown"),
    }


def _format_day(day: date) -> str:
    from ..labels import format_day as format_date

    return format_date(day, "EEE d MMM")
