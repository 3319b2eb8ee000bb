"""Pages for taking and giving up places on activities, and confirming hours."""

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
from ..core.errors import UserError, show_user_error
from ..core.permissions import get_in_network, roles_required
from ..core.transaction import rollback_request
from ..labels import format_clock, format_day
from ..tasks.outbox import queue_mail
from . import services
from .blueprint import PLANNERS, bp
from .forms import (
    AssignForm,
    HoursForm,
    WithdrawForm,
)
from .models import Activity, Cancellation, SignUp

# --- sign-up --------------------------------------------------------------------------------


def _back(activity: Activity):
    target = request.form.get("back")
    if target == "programme":
        return redirect(url_for("netvaerk.activities.programme"))
    return redirect(url_for("netvaerk.activities.detail", activity_id=activity.id))


@bp.route("/<id:activity_id>/signup", methods=["POST"])
@roles_required(*PLANNERS)
def signup(activity_id: int):
    """Take a place on an activity (or a place on its wait list when it is full)."""
    activity = get_in_network(Activity, activity_id)
    try:
        outcome = services.sign_up(activity.id, current_user.id, timeutil.local_now())
    except UserError as problem:
        show_user_error(problem)
        return _back(activity)
    messages = {
        "signed_up": (_("You are signed up. Thank you!"), "success"),
        # A double tap's second request: the first one worked, so say so (issue 29).
        "already": (_("You are signed up."), "success"),
        "waitlisted": (
            _("The activity is full. You are on the wait list and move up if a place frees."),
            "info",
        ),
    }
    flash(*messages[outcome])
    return _back(activity)


@bp.route("/<id:activity_id>/assign", methods=["POST"])
@roles_required("coordinator")
def assign(activity_id: int):
    """A coordinator gives a facilitator a place."""
    activity = get_in_network(Activity, activity_id)
    form = AssignForm()
    form.user_id.choices = []
    if form.validate_on_submit() and form.user_id.data:
        try:
            outcome = services.sign_up(activity.id, form.user_id.data, timeutil.local_now())
        except UserError as problem:
            show_user_error(problem)
        else:
            if outcome == "waitlisted":
                flash(_("The activity is full; the facilitator is on the wait list."), "info")
            else:
                flash(_("The facilitator has a place."), "success")
    else:
        flash(_("Choose a facilitator from the list."), "error")
    return redirect(url_for("netvaerk.activities.detail", activity_id=activity.id))


@bp.route("/<id:activity_id>/withdraw", methods=["GET", "POST"])
@roles_required(*PLANNERS)
def withdraw(activity_id: int):
    """Give up one's place; close to the start a reason is needed and coordinators are told."""
    activity = get_in_network(Activity, activity_id)
    now = timeutil.local_now()
    notice = services.notice_hours(g.network)
    late = services.is_late(activity, now, notice)
    form = WithdrawForm()
    if request.method == "POST" and form.validate():
        try:
            result = services.withdraw(activity, current_user.id, form.reason.data, now, notice)
        except UserError as problem:
            rollback_request()
            if problem.field == "reason":
                form.reason.errors = [str(problem.message)]
            else:
                flash(str(problem.message), "error")
                return redirect(url_for("netvaerk.activities.detail", activity_id=activity.id))
        else:
            _tell_about_withdrawal(activity, result)
            flash(_("Your place is cancelled."), "success")
            return _back(activity)
    return render_template(
        "netvaerk/activities/withdraw.html",
        activity=activity,
        form=form,
        late=late,
        notice=notice,
        back=request.form.get("back") or request.args.get("back", ""),
    )


def _tell_about_withdrawal(activity: Activity, result: services.Withdrawal) -> None:
    name = current_user.name or current_user.email
    if result.cancellation.is_late:
        queue_mail(
            "activities.late_cancellation",
            services.coordinator_emails(activity.network_id),
            _("Late cancellation: %(title)s", title=activity.title),
            _(
                "%(name)s has cancelled the place on %(title)s on %(day)s at %(time)s. "
                "Reason: %(reason)s",
                name=name,
                title=activity.title,
                day=format_day(activity.date, "long"),
                time=format_clock(activity.start_time),
                reason=result.cancellation.reason,
            ),
            network_id=activity.network_id,
        )
    for person in result.promoted:
        queue_mail(
            "activities.promoted",
            [person.email],
            _("You have a place: %(title)s", title=activity.title),
            _(
                "A place freed up on %(title)s on %(day)s at %(time)s, and you had it from the "
                "wait list.",
                title=activity.title,
                day=format_day(activity.date, "long"),
                time=format_clock(activity.start_time),
            ),
            network_id=activity.network_id,
        )
        flash(_("%(name)s moved up from the wait list.", name=person.name or person.email), "info")


@bp.route("/<id:activity_id>/waitlist/leave", methods=["POST"])
@roles_required(*PLANNERS)
def leave_waitlist(activity_id: int):
    """Leave an activity's wait list."""
    activity = get_in_network(Activity, activity_id)
    services.leave_waitlist(activity, current_user.id)
    flash(_("You are off the wait list."), "success")
    return _back(activity)


@bp.route("/cancellations/<id:cancellation_id>/seen", methods=["POST"])
@roles_required("coordinator")
def acknowledge(cancellation_id: int):
    """Dismiss a late-cancellation notice."""
    cancellation = get_in_network(Cancellation, cancellation_id)
    services.acknowledge(cancellation, timeutil.utcnow())
    return redirect(url_for("netvaerk.core.home"))


# --- hours ----------------------------------------------------------------------------------


@bp.route("/<id:activity_id>/hours/<id:signup_id>", methods=["POST"])
@roles_required(*PLANNERS)
def confirm_hours(activity_id: int, signup_id: int):
    """Confirm that the activity was held and the hours a facilitator spent."""
    activity = get_in_network(Activity, activity_id)
    signup = get_in_network(SignUp, signup_id)
    if signup.activity_id != activity.id:
        abort(404)
    if g.role != "coordinator" and signup.user_id != current_user.id:
        abort(403)
    form = HoursForm(prefix=f"s{signup.id}")
    if not form.validate():
        for error in form.hours.errors:
            flash(str(error), "error")
        return redirect(url_for("netvaerk.activities.detail", activity_id=activity.id))
    try:
        services.confirm_hours(signup, form.hours.data, current_user.id, timeutil.local_now())
    except UserError as problem:
        show_user_error(problem)
    else:
        flash(_("Thank you. The hours are confirmed."), "success")
    return redirect(url_for("netvaerk.activities.detail", activity_id=activity.id))


@bp.route("/<id:activity_id>/not-held", methods=["POST"])
@roles_required("coordinator")
def not_held(activity_id: int):
    """Record that a past activity did not take place."""
    activity = get_in_network(Activity, activity_id)
    try:
        services.mark_not_held(activity, timeutil.local_now())
    except UserError as problem:
        show_user_error(problem)
    else:
        flash(_("The activity is recorded as not held."), "success")
    return redirect(url_for("netvaerk.activities.detail", activity_id=activity.id))
