"""Pages for the programme, sign-ups, the coordinator's overview, invitations and feeds."""

from datetime import timedelta

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import _, get_locale, ngettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .. import timeutil
from ..audit.services import action_label_for
from ..core.permissions import get_in_network, public, roles_required
from ..core.registry import home_panel, nav_item, page_part
from ..core.security import external_url, token_link_limit
from ..extensions import db, limiter
from ..meetings.models import Meeting
from . import services
from .forms import (
    AcceptInvitationForm,
    ActivityForm,
    ActivityTypeForm,
    AssignForm,
    HoursForm,
    InvitationForm,
    JoinWithAccountForm,
    WishForm,
    WithdrawForm,
)
from .mail import mail_configured, send_mail
from .models import Activity, ActivityType, Cancellation, Invitation, SignUp, Wish

bp = Blueprint("activities", __name__, url_prefix="/activities")

PLANNERS = ("coordinator", "facilitator")
PROGRAMME_WEEKS = 4

action_label_for("activity.create", _l("Planned an activity"))
action_label_for("activity.update", _l("Changed an activity"))
action_label_for("activity.cancel", _l("Cancelled an activity"))
action_label_for("activity.signup", _l("Signed up for an activity"))
action_label_for("activity.withdraw", _l("Gave up a place on an activity"))
action_label_for("activity.hours", _l("Confirmed a facilitator's hours"))
action_label_for("invitation.create", _l("Invited a facilitator"))
action_label_for("invitation.accept", _l("Accepted an invitation"))
nav_item("netvaerk.activities.programme", _l("Programme"), PLANNERS, order=40)
nav_item("netvaerk.activities.overview", _l("Slots overview"), ("coordinator",), order=41)
nav_item("netvaerk.activities.facilitator_list", _l("Facilitators"), ("coordinator",), order=42)


def _locale() -> str:
    return str(get_locale() or "da")


def _type_name(activity_type) -> str:
    return activity_type.name_for(_locale()) if activity_type else ""


@bp.app_template_global("activity_type_name")
def activity_type_name(activity_type) -> str:
    """The name of an activity type in the page's language."""
    return _type_name(activity_type)


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
    meetings = list(
        db.session.execute(
            db.select(Meeting)
            .where(
                Meeting.network_id == g.network.id,
                Meeting.date.between(today, today + timedelta(weeks=12)),
                Meeting.is_cancelled.is_(False),
            )
            .order_by(Meeting.date, Meeting.start_time)
        ).scalars()
    )
    if activity is not None and activity.meeting is not None and activity.meeting not in meetings:
        meetings.insert(0, activity.meeting)
    from flask_babel import format_date

    form.meeting_id.choices = [("", _("– not on a meeting: own date and time –"))] + [
        (m.id, f"{format_date(m.date, 'EEEE d. MMMM y')} {m.start_time:%H:%M}–{m.end_time:%H:%M}")
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


def _problem_to_form(form, problem: services.ActivityProblem) -> None:
    field = {"needed": "facilitators_needed"}.get(problem.field, problem.field)
    target = getattr(form, field, None) if field else None
    if target is not None and hasattr(target, "errors"):
        target.errors = list(target.errors) + [str(problem.message)]
    else:
        flash(str(problem.message), "error")


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*PLANNERS)
def new():
    """Plan a new activity, on a meeting or on its own date."""
    form = ActivityForm()
    _fill_choices(form)
    if request.method == "GET":
        form.meeting_id.data = request.args.get("meeting_id", type=int)
    if form.validate_on_submit():
        try:
            activity = services.save_activity(g.network.id, _input_from(form), current_user.id)
        except services.ActivityProblem as problem:
            _problem_to_form(form, problem)
        else:
            flash(_("The activity is on the programme."), "success")
            return redirect(url_for("netvaerk.activities.detail", activity_id=activity.id))
    return render_template("netvaerk/activities/edit.html", form=form, activity=None)


@bp.route("/<id:activity_id>/edit", methods=["GET", "POST"])
@roles_required(*PLANNERS)
def edit(activity_id: int):
    """Change an activity's content, time or number of places."""
    activity = get_in_network(Activity, activity_id)
    form = ActivityForm(obj=activity)
    _fill_choices(form, activity)
    if request.method == "GET" and activity.meeting_id:
        form.date.data = None
    if form.validate_on_submit():
        try:
            services.save_activity(g.network.id, _input_from(form), current_user.id, activity)
        except services.ActivityProblem as problem:
            db.session.rollback()
            _problem_to_form(form, problem)
        else:
            flash(_("The activity is saved."), "success")
            return redirect(url_for("netvaerk.activities.detail", activity_id=activity.id))
    return render_template("netvaerk/activities/edit.html", form=form, activity=activity)


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
        late=services.is_late(activity, now, services.notice_hours()),
    )


@bp.route("/<id:activity_id>/cancel", methods=["POST"])
@roles_required("coordinator")
def cancel(activity_id: int):
    """Cancel an activity; the facilitators signed up are told by e-mail when mail is set up."""
    activity = get_in_network(Activity, activity_id)
    if activity.is_cancelled:
        flash(_("The activity was already cancelled."), "info")
    else:
        people = services.cancel_activity(activity)
        send_mail(
            [u.email for u in people],
            _("Cancelled: %(title)s", title=activity.title),
            _(
                "The activity %(title)s on %(day)s has been cancelled. You do not need to come.",
                title=activity.title,
                day=activity.date.isoformat(),
            ),
        )
        flash(_("The activity is cancelled."), "success")
    return redirect(url_for("netvaerk.activities.detail", activity_id=activity.id))


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
    except services.ActivityProblem as problem:
        db.session.rollback()
        flash(str(problem.message), "error")
        return _back(activity)
    messages = {
        "signed_up": (_("You are signed up. Thank you!"), "success"),
        "already": (_("You were already signed up."), "info"),
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
        except services.ActivityProblem as problem:
            db.session.rollback()
            flash(str(problem.message), "error")
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
    notice = services.notice_hours()
    late = services.is_late(activity, now, notice)
    form = WithdrawForm()
    if request.method == "POST" and form.validate():
        try:
            result = services.withdraw(activity, current_user.id, form.reason.data, now, notice)
        except services.ActivityProblem as problem:
            db.session.rollback()
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
        send_mail(
            services.coordinator_emails(activity.network_id),
            _("Late cancellation: %(title)s", title=activity.title),
            _(
                "%(name)s has cancelled the place on %(title)s on %(day)s at %(time)s. "
                "Reason: %(reason)s",
                name=name,
                title=activity.title,
                day=activity.date.isoformat(),
                time=activity.start_time.strftime("%H:%M"),
                reason=result.cancellation.reason,
            ),
        )
    for person in result.promoted:
        send_mail(
            [person.email],
            _("You have a place: %(title)s", title=activity.title),
            _(
                "A place freed up on %(title)s on %(day)s at %(time)s, and you had it from the "
                "wait list.",
                title=activity.title,
                day=activity.date.isoformat(),
                time=activity.start_time.strftime("%H:%M"),
            ),
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
    except services.ActivityProblem as problem:
        db.session.rollback()
        flash(str(problem.message), "error")
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
    except services.ActivityProblem as problem:
        db.session.rollback()
        flash(str(problem.message), "error")
    else:
        flash(_("The activity is recorded as not held."), "success")
    return redirect(url_for("netvaerk.activities.detail", activity_id=activity.id))


# --- types ----------------------------------------------------------------------------------


@bp.route("/types", methods=["GET", "POST"])
@roles_required("coordinator")
def types():
    """The network's activity types: rename, retire or add."""
    form = ActivityTypeForm()
    if form.validate_on_submit():
        try:
            services.save_type(g.network.id, form.name_da.data, form.name_en.data, True)
        except services.ActivityProblem as problem:
            form.name_da.errors = [str(problem.message)]
        else:
            flash(_("The activity type is added."), "success")
            return redirect(url_for("netvaerk.activities.types"))
    return render_template(
        "netvaerk/activities/types.html",
        form=form,
        types=services.activity_types(g.network.id),
    )


@bp.route("/types/<id:type_id>", methods=["GET", "POST"])
@roles_required("coordinator")
def edit_type(type_id: int):
    """Rename an activity type or take it out of use."""
    activity_type = get_in_network(ActivityType, type_id)
    form = ActivityTypeForm(obj=activity_type)
    if form.validate_on_submit():
        try:
            services.save_type(
                g.network.id,
                form.name_da.data,
                form.name_en.data,
                form.is_active.data,
                activity_type,
            )
        except services.ActivityProblem as problem:
            form.name_da.errors = [str(problem.message)]
        else:
            flash(_("The activity type is saved."), "success")
            return redirect(url_for("netvaerk.activities.types"))
    return render_template(
        "netvaerk/activities/type_edit.html", form=form, activity_type=activity_type
    )


# --- facilitators and invitations -----------------------------------------------------------


@bp.route("/facilitators", methods=["GET", "POST"])
@roles_required("coordinator")
def facilitator_list():
    """The network's facilitators and open invitations; invite someone new."""
    form = InvitationForm()
    link = None
    mailed = False
    if form.validate_on_submit():
        try:
            invitation, token = services.create_invitation(
                g.network.id,
                form.email.data,
                form.name.data or "",
                current_user.id,
                timeutil.utcnow(),
                int(current_app.config["NETVAERK_INVITATION_HOURS"]),
            )
        except services.ActivityProblem as problem:
            form.email.errors = [str(problem.message)]
        else:
            link = external_url("netvaerk.activities.accept", token=token)
            mailed = send_mail(
                [invitation.email],
                _("Invitation to %(network)s", network=g.network.name),
                _(
                    "%(name)s invites you to run activities as a volunteer facilitator in "
                    "%(network)s.\n\nOpen this link to choose your password. The link works "
                    "once and until %(until)s:\n\n%(link)s",
                    name=current_user.name or current_user.email,
                    network=g.network.name,
                    until=timeutil.to_local(invitation.expires_at).strftime("%d-%m-%Y %H:%M"),
                    link=link,
                ),
            )
            flash(_("The invitation is made."), "success")
            form = InvitationForm(formdata=None)
    return render_template(
        "netvaerk/activities/facilitators.html",
        form=form,
        link=link,
        mailed=mailed,
        mail_on=mail_configured(),
        people=services.facilitators(g.network.id),
        invitations=services.open_invitations(g.network.id, timeutil.utcnow()),
    )


@bp.route("/invitations/<id:invitation_id>/revoke", methods=["POST"])
@roles_required("coordinator")
def revoke(invitation_id: int):
    """Withdraw an invitation so that its link stops working."""
    invitation = get_in_network(Invitation, invitation_id)
    services.revoke_invitation(invitation, timeutil.utcnow())
    flash(_("The invitation is withdrawn."), "success")
    return redirect(url_for("netvaerk.activities.facilitator_list"))


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@public
@limiter.limit("20 per minute", methods=["POST"])
@limiter.shared_limit(token_link_limit, scope="netvaerk-secret-links")
def accept(token: str):
    """The invitee's one-time page: choose a password and become a facilitator."""
    invitation = services.find_invitation(token)
    problem = services.invitation_problem(invitation, timeutil.utcnow())
    if problem:
        return render_template(
            "netvaerk/activities/invitation.html", problem=problem, form=None, existing=None
        ), (404 if invitation is None else 410)
    existing = services.existing_account(invitation)
    form = JoinWithAccountForm() if existing else AcceptInvitationForm(name=invitation.name)
    if form.validate_on_submit():
        name = getattr(form, "name", None)
        try:
            services.accept_invitation(
                invitation, form.password.data, name.data if name else "", timeutil.utcnow()
            )
        except services.ActivityProblem as failure:
            db.session.rollback()
            if failure.field == "password":
                form.password.errors = [str(failure.message)]
            else:
                return render_template(
                    "netvaerk/activities/invitation.html",
                    problem=failure.message,
                    form=None,
                    existing=None,
                ), 410
        else:
            flash(
                _("Welcome! Your account is ready. Log in with your e-mail and password."),
                "success",
            )
            return redirect(url_for("netvaerk.auth.login"))
    return render_template(
        "netvaerk/activities/invitation.html",
        problem=None,
        form=form,
        existing=existing,
        invitation=invitation,
    )


# --- calendar feed --------------------------------------------------------------------------


@bp.route("/calendar", methods=["GET", "POST"])
@roles_required(*PLANNERS)
def calendar():
    """Show how to subscribe; a POST makes a new secret link (the old one stops working)."""
    link = None
    if request.method == "POST":
        form = WithdrawForm()  # any FlaskForm checks the CSRF token
        if not form.validate_on_submit():
            abort(400)
        token = services.renew_feed(current_user.id, g.network.id)
        link = external_url("netvaerk.activities.feed", token=token)
        flash(_("Your new calendar link is ready. The old link no longer works."), "success")
    return render_template(
        "netvaerk/activities/calendar.html",
        link=link,
        has_feed=services.has_feed(current_user.id, g.network.id),
    )


@bp.route("/calendar/<token>.ics")
@public
@limiter.limit("60 per minute")
def feed(token: str):
    """The facilitator's activities as iCalendar; the secret token is the only key."""
    found = services.feed_for_token(token)
    if found is None:
        abort(404)
    body = services.calendar_bytes(found, timeutil.local_today(), _("netvaerk – my activities"))
    return Response(
        body,
        mimetype="text/calendar",
        headers={
            "Content-Disposition": 'inline; filename="netvaerk.ics"',
            "Cache-Control": "private, max-age=300",
        },
    )


# --- wishes ---------------------------------------------------------------------------------


@bp.route("/wishes", methods=["GET", "POST"])
@roles_required(*PLANNERS)
def wishes():
    """Participants' wishes for activities and talks, recorded without names."""
    form = WishForm()
    form.type_id.choices = [("", _("– no type –"))] + [
        (t.id, _type_name(t)) for t in services.activity_types(g.network.id, active_only=True)
    ]
    if form.validate_on_submit():
        try:
            services.add_wish(g.network.id, form.text.data, form.type_id.data, current_user.id)
        except services.ActivityProblem as problem:
            form.text.errors = [str(problem.message)]
        else:
            flash(_("The wish is recorded."), "success")
            return redirect(url_for("netvaerk.activities.wishes"))
    return render_template(
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
    except services.ActivityProblem as problem:
        flash(str(problem.message), "error")
    return redirect(url_for("netvaerk.activities.wishes"))


# --- panels and page parts ------------------------------------------------------------------


def _next_two_weeks(now) -> list[Activity]:
    """The next two weeks' programme, loaded once per request for both start-page panels
    (which show no wait lists)."""
    cached = g.get("_activities_two_weeks")
    if cached is None or cached[0] != now.date():
        last = now.date() + timedelta(weeks=2)
        activities = services.programme(g.network.id, now.date(), last, waitlist=False)
        cached = g._activities_two_weeks = (now.date(), activities)
    return cached[1]


@home_panel("netvaerk/activities/_panel_facilitator.html", roles=PLANNERS, order=40)
def facilitator_panel() -> dict:
    """The user's next activities and the open places of the next two weeks."""
    now = timeutil.local_now()
    activities = _next_two_weeks(now)
    mine = [
        a
        for a in activities
        if not a.is_off and a.ends_at > now and any(s.user_id == current_user.id for s in a.signups)
    ]
    open_slots = [
        a
        for a in services.needing_someone(activities, now)
        if all(s.user_id != current_user.id for s in a.signups)
    ]
    return {"mine": mine[:5], "open_slots": open_slots[:5], "open_count": len(open_slots)}


@home_panel("netvaerk/activities/_panel_coordinator.html", roles=("coordinator",), order=41)
def coordinator_panel() -> dict:
    """Unfilled places of the next two weeks and late cancellations not yet seen."""
    now = timeutil.local_now()
    activities = _next_two_weeks(now)
    return {
        "needing": services.needing_someone(activities, now),
        "late": services.late_cancellations(g.network.id),
    }


@page_part("kiosk.confirmation", "netvaerk/activities/_kiosk_today.html", order=40)
def kiosk_today(participant=None, meeting=None, **_kwargs):
    """Today's activities for the resident who just checked in."""
    if meeting is None:
        return None
    activities = services.activities_on(meeting.network_id, meeting.date)
    return {"activities": activities} if activities else None


@page_part("meeting.today", "netvaerk/activities/_meeting_today.html", order=40)
def meeting_today(meeting=None, **_kwargs):
    """Today's activities and who runs them, on the facilitator's meeting page."""
    if meeting is None:
        return None
    return {
        "activities": services.activities_on(meeting.network_id, meeting.date),
        "meeting_id": meeting.id,
    }


def open_places_text(count: int) -> str:
    """ "N open places" in the page's language."""
    return ngettext("%(num)d open place", "%(num)d open places", count)


bp.add_app_template_global(open_places_text, "open_places_text")
