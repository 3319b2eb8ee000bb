"""Pages for the programme, sign-ups, the coordinator's overview, invitations and feeds."""

from datetime import timedelta

from flask import (
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import _
from flask_login import current_user

from .. import timeutil
from ..core.errors import UserError, save_form
from ..core.once import saved_once
from ..core.past_dates import past_date_unconfirmed
from ..core.permissions import get_in_network, roles_required
from ..extensions import db
from ..labels import format_clock, format_day
from ..meetings.models import Meeting
from . import feed_views, services, signup_views, staff_views  # noqa: F401 (their routes)
from .blueprint import PLANNERS, bp
from .blueprint import type_name as _type_name
from .forms import (
    ActivityForm,
    AssignForm,
    HoursForm,
    WishForm,
    WithdrawForm,
)
from .models import Activity, Wish

PROGRAMME_WEEKS = 4


# --- programme and overview -----------------------------------------------------------------


@bp.route("/")
@roles_required(*PLANNERS)
def programme():
    """The coming weeks' activities with open places; sign up or cancel from here."""
    now = timeutil.local_now()
    today = now.date()
    activities = services.programme(g.network.id, today, today + timedelta(weeks=PROGRAMME_WEEKS))
    confirm = services.to_confirm(
        g.network.id, now, None if g.role == "coordinator" else current_user.id
    )
    return render_template(
        "netvaerk/activities/programme.html",
        weeks=services.group_by_week(activities),
        bookable=services.bookable_for(activities, now),
        to_confirm=confirm,
        open_only=request.args.get("open") == "1",
        me=current_user.id,
        now=now,
    )


@bp.route("/overview")
@roles_required("coordinator")
def overview():
    """Filled and unfilled places of the coming weeks, and what still needs someone."""
    now = timeutil.local_now()
    today = now.date()
    weeks = request.args.get("weeks", default=6, type=int)
    weeks = min(max(weeks, 1), 12)
    activities = services.programme(g.network.id, today, today + timedelta(weeks=weeks))
    return render_template(
        "netvaerk/activities/overview.html",
        weeks=services.group_by_week(activities),
        needing=services.needing_someone(activities, now),
        late=services.late_cancellations(g.network.id),
        week_count=weeks,
    )


# --- planning -------------------------------------------------------------------------------


def _fill_choices(form: ActivityForm, activity: Activity | None = None) -> None:
    types = services.activity_types(g.network.id, active_only=True)
    if activity is not None and activity.type is not None and activity.type not in types:
        types.append(activity.type)
    form.type_id.choices = [("", _("– no type –"))] + [(t.id, _type_name(t)) for t in types]
    today = timeutil.local_today()
    meetings = db.session.scalars(
        db.select(Meeting)
        .where(
            Meeting.network_id == g.network.id,
            Meeting.date.between(today, today + timedelta(weeks=12)),
            Meeting.is_cancelled.is_(False),
        )
        .order_by(Meeting.date, Meeting.start_time)
    ).all()
    if activity is not None and activity.meeting is not None and activity.meeting not in meetings:
        meetings.insert(0, activity.meeting)
    form.meeting_id.choices = [("", _("– not on a meeting: own date and time –"))] + [
        (
            m.id,
            f"{format_day(m.date, 'EEEE d. MMMM y')} "
            f"{format_clock(m.start_time)}–{format_clock(m.end_time)}",
        )
        for m in meetings
    ]


def _input_from(form: ActivityForm) -> services.ActivityInput:
    return services.ActivityInput(
        type_id=form.type_id.data,
        meeting_id=form.meeting_id.data,
        date=form.date.data,
        start_time=form.start_time.data,
        end_time=form.end_time.data,
        title=form.title.data or "",
        description=form.description.data or "",
        place=form.place.data or "",
        facilitators_needed=form.facilitators_needed.data,
        has_waitlist=form.has_waitlist.data,
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*PLANNERS)
def new():
    """Plan a new activity, on a meeting or on its own date."""
    form = ActivityForm()
    _fill_choices(form)
    if request.method == "GET":
        form.meeting_id.data = request.args.get("meeting_id", type=int)
    saved = save_form(
        form,
        lambda: services.save_activity(g.network.id, _input_from(form), current_user.id),
        _("The activity is on the programme."),
        lambda activity: url_for("netvaerk.activities.detail", activity_id=activity.id),
        ready=lambda: not past_date_unconfirmed(form.date.data, timeutil.local_today()),
    )
    return saved or render_template("netvaerk/activities/edit.html", form=form, activity=None)


@bp.route("/<id:activity_id>/edit", methods=["GET", "POST"])
@roles_required(*PLANNERS)
def edit(activity_id: int):
    """Change an activity's content, time or number of places (see services.may_edit)."""
    activity = get_in_network(Activity, activity_id)
    if not services.may_edit(activity, current_user.id, g.role):
        abort(403)
    form = ActivityForm(obj=activity)
    _fill_choices(form, activity)
    if request.method == "GET" and activity.meeting_id:
        form.date.data = None
    saved = save_form(
        form,
        lambda: services.save_activity(g.network.id, _input_from(form), current_user.id, activity),
        _("The activity is saved."),
        url_for("netvaerk.activities.detail", activity_id=activity.id),
    )
    return saved or render_template("netvaerk/activities/edit.html", form=form, activity=activity)


@bp.route("/<id:activity_id>")
@roles_required(*PLANNERS)
def detail(activity_id: int):
    """One activity: who runs it, the wait list, and hours afterwards."""
    activity = get_in_network(Activity, activity_id)
    now = timeutil.local_now()
    assign = AssignForm()
    if g.role == "coordinator":
        taken = {s.user_id for s in activity.signups}
        assign.user_id.choices = [
            (u.id, u.name or u.email)
            for u in services.facilitators(g.network.id)
            if u.id not in taken
        ]
    hours_forms = {}
    for signup in activity.signups:
        if g.role == "coordinator" or signup.user_id == current_user.id:
            form = HoursForm(prefix=f"s{signup.id}")
            if form.hours.data is None:
                form.hours.data = signup.hours or activity.duration_hours
            hours_forms[signup.id] = form
    return render_template(
        "netvaerk/activities/detail.html",
        activity=activity,
        bookable=services.is_bookable(activity, now),
        started=activity.starts_at <= now,
        assign=assign,
        hours_forms=hours_forms,
        me=current_user.id,
        editable=services.may_edit(activity, current_user.id, g.role),
        late=services.is_late(activity, now, services.notice_hours(g.network)),
    )


@bp.route("/<id:activity_id>/cancel", methods=["POST"])
@roles_required("coordinator")
def cancel(activity_id: int):
    """Cancel an activity; the reminders tell the facilitators and residents concerned."""
    activity = get_in_network(Activity, activity_id)
    if activity.is_cancelled:
        flash(_("The activity was already cancelled."), "info")
    else:
        services.cancel_activity(activity)  # reminders tell the people concerned
        flash(_("The activity is cancelled."), "success")
    return redirect(url_for("netvaerk.activities.detail", activity_id=activity.id))


# --- wishes ---------------------------------------------------------------------------------


@bp.route("/wishes", methods=["GET", "POST"])
@roles_required(*PLANNERS)
def wishes():
    """Participants' wishes for activities and talks, recorded without names."""
    form = WishForm()
    form.type_id.choices = [("", _("– no type –"))] + [
        (t.id, _type_name(t)) for t in services.activity_types(g.network.id, active_only=True)
    ]
    saved = save_form(
        form,
        lambda: saved_once(
            form.once_key.data,
            lambda: services.add_wish(
                g.network.id, form.text.data, form.type_id.data, current_user.id
            ),
        ),
        _("The wish is recorded."),
        url_for("netvaerk.activities.wishes"),
    )
    return saved or render_template(
        "netvaerk/activities/wishes.html", form=form, wishes=services.wishes(g.network.id)
    )


@bp.route("/wishes/<id:wish_id>/status", methods=["POST"])
@roles_required(*PLANNERS)
def wish_status(wish_id: int):
    """Mark a wish as planned, declined or open."""
    wish = get_in_network(Wish, wish_id)
    form = WithdrawForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.set_wish_status(wish, request.form.get("status", ""))
    except UserError as problem:
        flash(str(problem.message), "error")
    return redirect(url_for("netvaerk.activities.wishes"))
