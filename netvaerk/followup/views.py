"""Follow-up pages: the due list, a resident's conversations, commitments and options, the
status checks after leaving, and the network's follow-up settings."""

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_babel import _
from flask_login import current_user

from .. import timeutil
from ..core.errors import UserError, save_form, show_user_error
from ..core.once import saved_once
from ..core.permissions import get_in_network, roles_required
from ..participants import services as participant_services
from ..participants.models import Participant
from . import checks, conversations, followers
from .forms import (
    FOLLOWER_ROLE_LABELS,
    STATUS_LABELS,
    ButtonForm,
    CheckForm,
    ChooseForm,
    ConversationForm,
    FollowerForm,
    OptionForm,
    SettingsForm,
)
from .models import Commitment, Follower, Option

bp = Blueprint("followup", __name__, url_prefix="/followup")

STAFF = ("coordinator", "facilitator")


@bp.app_template_global("check_status_label")
def check_status_label(status: str) -> str:
    """The translated name of a status found at a check."""
    return str(STATUS_LABELS.get(status, status))


@bp.app_template_global("follower_role_label")
def follower_role_label(role: str) -> str:
    """The translated name of what a follower is to the resident."""
    return str(FOLLOWER_ROLE_LABELS.get(role, role))


def _person_url(participant_id: int) -> str:
    return url_for("netvaerk.followup.person", participant_id=participant_id)


def _need_to_know(participant_id: int) -> None:
    """403 unless the user is a coordinator or a facilitator named to follow the resident."""
    if not followers.may_follow(participant_id, current_user.id, g.role):
        abort(403)


def _followed(model, object_id: int):
    """A follow-up row of the network whose resident the user may follow (404 / 403)."""
    item = get_in_network(model, object_id)
    _need_to_know(item.participant_id)
    return item


@bp.route("/")
@roles_required(*STAFF)
def index():
    """Conversations due within a week; for coordinators also the status checks to make."""
    today = timeutil.local_today()
    due_checks = checks.due_checks(g.network.id, today) if g.role == "coordinator" else []
    return render_template(
        "netvaerk/followup/index.html",
        conversations=conversations.due_conversations(
            g.network.id, today, None if g.role == "coordinator" else current_user.id
        ),
        checks=due_checks,
        today=today,
    )


@bp.route("/participants/<id:participant_id>")
@roles_required(*STAFF)
def person(participant_id: int):
    """A resident's conversations, commitments, options and (coordinators) status checks."""
    participant = get_in_network(Participant, participant_id)
    _need_to_know(participant.id)
    page = _render_person(participant, OptionForm(formdata=None))
    participant_services.record_view(participant, detail="followup")
    return page


def _render_person(participant: Participant, option_form, status: int = 200, follower_form=None):
    today = timeutil.local_today()
    return render_template(
        "netvaerk/followup/person.html",
        participant=participant,
        conversations=conversations.conversations_of(participant.id),
        commitments=conversations.commitments_of(participant.id),
        options=conversations.options_of(participant.id),
        wheel=conversations.wheel_plans(participant),
        checks=checks.checks_of(participant.id) if g.role == "coordinator" else [],
        next_due=conversations.next_due(participant, today),
        effective_status=lambda check: checks.effective_status(check, today),
        option_form=option_form,
        choose_form=ChooseForm(formdata=None),
        button_form=ButtonForm(formdata=None),
        followers=followers.followers_of(participant.id),
        follower_form=follower_form or _follower_form(participant),
        today=today,
    ), status


def _follower_form(participant: Participant, sent: bool = False) -> FollowerForm | None:
    """The coordinator's form to name a follower (None for facilitators)."""
    if g.role != "coordinator":
        return None
    form = FollowerForm() if sent else FollowerForm(formdata=None)
    form.user_id.choices = [
        (u.id, u.name or u.email) for u in followers.facilitators_of(participant.network_id)
    ]
    return form


@bp.route("/participants/<id:participant_id>/conversations/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def new_conversation(participant_id: int):
    """Log a conversation with what was agreed and the resident's commitments."""
    participant = get_in_network(Participant, participant_id)
    _need_to_know(participant.id)
    form = ConversationForm()
    if not form.is_submitted():
        form.held_on.data = timeutil.local_today()
    saved = save_form(
        form,
        lambda: conversations.log_conversation(
            participant,
            form.held_on.data,
            form.present.data or "",
            form.agreed.data or "",
            form.next_due_on.data,
            form.commitments(),
            current_user.id,
            timeutil.local_today(),
        ),
        _("The conversation is saved."),
        _person_url(participant.id),
    )
    return saved or render_template(
        "netvaerk/followup/conversation.html", form=form, participant=participant
    )


@bp.route("/commitments/<id:commitment_id>", methods=["POST"])
@roles_required(*STAFF)
def commitment(commitment_id: int):
    """Mark a commitment done, or not done again."""
    item = _followed(Commitment, commitment_id)
    if ButtonForm().validate_on_submit():
        done = not item.done
        conversations.set_commitment_done(item, done, current_user.id, timeutil.local_today())
        flash(_("Marked as done.") if done else _("Marked as not done."), "success")
    return redirect(_person_url(item.participant_id))


@bp.route("/participants/<id:participant_id>/options", methods=["POST"])
@roles_required(*STAFF)
def add_option(participant_id: int):
    """Add an idea to the resident's list of options."""
    participant = get_in_network(Participant, participant_id)
    _need_to_know(participant.id)
    form = OptionForm()
    if not form.validate_on_submit():
        return _render_person(participant, form, 400)
    try:
        saved_once(
            form.once_key.data,
            lambda: conversations.add_option(participant, form.text.data, current_user.id),
        )
    except UserError as error:  # already saved: the list shows the idea once
        show_user_error(error)
    else:
        flash(_("The idea is added."), "success")
    return redirect(_person_url(participant.id))


@bp.route("/options/<id:option_id>/choose", methods=["POST"])
@roles_required(*STAFF)
def choose_option(option_id: int):
    """Choose an idea as plan A, B or C, or take the choice back."""
    option = _followed(Option, option_id)
    form = ChooseForm()
    if form.validate_on_submit():
        conversations.choose_option(option, form.plan.data or None, current_user.id)
        flash(_("The choice is saved."), "success")
    else:
        flash(_("Choose plan A, B or C."), "error")
    return redirect(_person_url(option.participant_id))


@bp.route("/options/<id:option_id>/remove", methods=["POST"])
@roles_required(*STAFF)
def remove_option(option_id: int):
    """Take an idea off the list."""
    option = _followed(Option, option_id)
    participant_id = option.participant_id
    if ButtonForm().validate_on_submit():
        conversations.remove_option(option, current_user.id)
        flash(_("The idea is removed."), "success")
    return redirect(_person_url(participant_id))


@bp.route("/participants/<id:participant_id>/followers", methods=["POST"])
@roles_required("coordinator")
def add_follower(participant_id: int):
    """Name a facilitator who follows the resident (and so sees their follow-up)."""
    participant = get_in_network(Participant, participant_id)
    form = _follower_form(participant, sent=True)
    saved = save_form(
        form,
        lambda: followers.name_follower(
            participant, form.user_id.data, form.role.data, current_user.id
        ),
        _("The facilitator now follows the resident."),
        _person_url(participant.id),
    )
    return saved or _render_person(participant, OptionForm(formdata=None), 400, follower_form=form)


@bp.route("/followers/<id:follower_id>/remove", methods=["POST"])
@roles_required("coordinator")
def remove_follower(follower_id: int):
    """The facilitator no longer follows the resident."""
    follower = get_in_network(Follower, follower_id)
    participant_id = follower.participant_id
    if ButtonForm().validate_on_submit():
        followers.remove_follower(follower, current_user.id)
        flash(_("The facilitator no longer follows the resident."), "success")
    return redirect(_person_url(participant_id))


@bp.route("/participants/<id:participant_id>/checks/<int:months>", methods=["GET", "POST"])
@roles_required("coordinator")
def check(participant_id: int, months: int):
    """Record the status at the check `months` after leaving into work (404 if there is none)."""
    participant = get_in_network(Participant, participant_id)
    found = checks.check_for(participant, months)
    if found is None:
        abort(404)
    form = CheckForm(seen_status=found.status or "")
    if not form.is_submitted():
        form.status.data = found.status or ""
        form.reached_on.data = found.reached_on or min(timeutil.local_today(), found.due_on)
    saved = save_form(
        form,
        lambda: checks.record_status(
            found,
            form.status.data,
            form.reached_on.data,
            form.seen_status.data or None,
            current_user.id,
            timeutil.utcnow(),
            timeutil.local_today(),
        ),
        _("The status is saved."),
        _person_url(participant.id),
    )
    return saved or render_template(
        "netvaerk/followup/check.html", form=form, participant=participant, check=found
    )


@bp.route("/settings", methods=["GET", "POST"])
@roles_required("coordinator")
def settings():
    """Days between conversations and the months after leaving with a status check."""
    current = conversations.settings_for(g.network.id)
    form = SettingsForm(interval_days=current.interval_days, check_months=current.check_months)
    saved = save_form(
        form,
        lambda: conversations.save_settings(
            g.network.id, form.interval_days.data, form.months() or [], current_user.id
        ),
        _("The settings are saved."),
        url_for("netvaerk.followup.index"),
    )
    return saved or render_template("netvaerk/followup/settings.html", form=form)
