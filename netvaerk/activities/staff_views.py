"""Pages for the activity types and settings, the facilitators and their invitations."""

from flask import (
    current_app,
    flash,
    g,
    redirect,
    render_template,
    url_for,
)
from flask_babel import _
from flask_login import current_user

from .. import timeutil
from ..core.errors import UserError, save_form, show_user_error
from ..core.once import saved_once
from ..core.permissions import get_in_network, public, roles_required
from ..core.security import external_url, token_link_limit
from ..core.transaction import rollback_request
from ..extensions import limiter
from ..labels import format_moment
from ..tasks.outbox import mail_configured, queue_mail
from . import services
from .blueprint import bp
from .forms import (
    AcceptInvitationForm,
    ActivityTypeForm,
    InvitationForm,
    JoinWithAccountForm,
    NoticeForm,
)
from .models import ActivityType, Invitation

# --- types ----------------------------------------------------------------------------------


@bp.route("/types", methods=["GET", "POST"])
@roles_required("coordinator")
def types():
    """The network's activity types: rename, retire or add."""
    form = ActivityTypeForm()
    saved = save_form(
        form,
        lambda: services.save_type(g.network.id, form.name_da.data, form.name_en.data, True),
        _("The activity type is added."),
        url_for("netvaerk.activities.types"),
    )
    return saved or render_template(
        "netvaerk/activities/types.html",
        form=form,
        types=services.activity_types(g.network.id),
    )


@bp.route("/settings", methods=["GET", "POST"])
@roles_required("coordinator")
def settings():
    """The network's notice period for cancelling a place."""
    form = NoticeForm(hours=services.notice_hours(g.network))
    saved = save_form(
        form,
        lambda: services.set_notice_hours(g.network, form.hours.data),
        _("The notice period is saved."),
        url_for("netvaerk.activities.types"),
    )
    return saved or render_template("netvaerk/activities/settings.html", form=form)


@bp.route("/types/<id:type_id>", methods=["GET", "POST"])
@roles_required("coordinator")
def edit_type(type_id: int):
    """Rename an activity type or take it out of use."""
    activity_type = get_in_network(ActivityType, type_id)
    form = ActivityTypeForm(obj=activity_type)
    saved = save_form(
        form,
        lambda: services.save_type(
            g.network.id, form.name_da.data, form.name_en.data, form.is_active.data, activity_type
        ),
        _("The activity type is saved."),
        url_for("netvaerk.activities.types"),
    )
    return saved or render_template(
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
            link, mailed = saved_once(form.once_key.data, lambda: _invite(form))
        except UserError as problem:
            show_user_error(problem, form)
        else:
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


def _invite(form) -> tuple[str, bool]:
    """Make the invitation from the form; returns its link and whether it was e-mailed."""
    invitation, token = services.create_invitation(
        g.network.id,
        form.email.data,
        form.name.data or "",
        current_user.id,
        timeutil.utcnow(),
        int(current_app.config["NETVAERK_INVITATION_HOURS"]),
    )
    link = external_url("netvaerk.activities.accept", token=token)
    return link, _mail_invitation(invitation, link)


def _mail_invitation(invitation, link: str) -> bool:
    """Queue the invitation link for e-mail when mail is set up; True when it was queued."""
    message = queue_mail(
        "activities.invitation",
        [invitation.email],
        _("Invitation to %(network)s", network=g.network.name),
        _(
            "%(name)s invites you to run activities as a volunteer facilitator in "
            "%(network)s.\n\nOpen this link to choose your password. The link works "
            "once and until %(until)s:\n\n%(link)s",
            name=current_user.name or current_user.email,
            network=g.network.name,
            until=format_moment(invitation.expires_at, "long"),
            link=link,
        ),
        network_id=invitation.network_id,
    )
    return message is not None


@bp.route("/invitations/<id:invitation_id>/revoke", methods=["POST"])
@roles_required("coordinator")
def revoke(invitation_id: int):
    """Withdraw an invitation so that its link stops working."""
    invitation = get_in_network(Invitation, invitation_id)
    services.revoke_invitation(invitation, timeutil.utcnow())
    flash(_("The invitation is withdrawn."), "success")
    return redirect(url_for("netvaerk.activities.facilitator_list"))


def _invitation_refused(failure: UserError):
    return render_template(
        "netvaerk/activities/invitation.html", problem=failure.message, form=None, existing=None
    ), 410


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
        done = _accept(invitation, form)
        if done is not None:
            return done
    return render_template(
        "netvaerk/activities/invitation.html",
        problem=None,
        form=form,
        existing=existing,
        invitation=invitation,
    )


def _accept(invitation, form):
    """Accept with the form's password: the login page, the refusal page, or None to show the
    form again with the password's error."""
    name = getattr(form, "name", None)
    try:
        services.accept_invitation(
            invitation, form.password.data, name.data if name else "", timeutil.utcnow()
        )
    except UserError as failure:
        rollback_request()
        if failure.field != "password":
            return _invitation_refused(failure)
        form.password.errors = [str(failure.message)]
        return None
    flash(_("Welcome! Your account is ready. Log in with your e-mail and password."), "success")
    return redirect(url_for("netvaerk.auth.login"))
