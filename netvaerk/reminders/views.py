"""The reminders' pages: the network's settings (coordinators), a resident's consent, and the
page a resident's link opens to stop the reminders."""

from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_babel import _
from flask_login import current_user

from .. import timeutil
from ..core.errors import UserError, save_form, show_user_error
from ..core.permissions import get_in_network, public, roles_required
from ..extensions import csrf
from ..participants.models import Participant
from . import residents, rules
from .forms import ConsentForm, SettingsForm, StopForm

bp = Blueprint("reminders", __name__, url_prefix="/reminders")


@bp.route("/settings", methods=["GET", "POST"])
@roles_required("coordinator")
def settings():
    """Turn each of the network's reminders on or off."""
    form = SettingsForm(obj=rules.settings_for(g.network.id))
    saved = save_form(
        form,
        lambda: rules.save_settings(
            g.network.id, {name: form[name].data for name in rules.SETTINGS}, current_user.id
        ),
        _("The reminders are saved."),
        url_for("netvaerk.reminders.settings"),
    )
    return saved or render_template(
        "netvaerk/reminders/settings.html", form=form, names=list(rules.SETTINGS)
    )


@bp.route("/resident/<id:participant_id>/consent", methods=["POST"])
@roles_required("coordinator")
def consent(participant_id: int):
    """Record that a resident agreed to reminders by e-mail, or withdrew."""
    participant = get_in_network(Participant, participant_id)
    form = ConsentForm()
    back = url_for("netvaerk.participants.show", participant_id=participant.id)
    if not form.validate_on_submit() or form.wanted.data not in ("0", "1"):
        flash(_("The form had expired. Please try again."), "error")
        return redirect(back)
    try:
        wanted = form.wanted.data == "1"
        residents.set_consent(participant, wanted, timeutil.local_today(), current_user.id)
    except UserError as error:
        show_user_error(error, form)
        return redirect(back)
    flash(_("Reminders by e-mail are on.") if wanted else _("Reminders by e-mail are off."))
    return redirect(back)


@bp.route("/stop/<token>", methods=["GET", "POST"])
@public
@csrf.exempt
def stop(token: str):
    """A resident's link: a page with one button; its POST (or a mail program's one-click
    POST, RFC 8058) stops the reminders. A forged or expired link changes nothing."""
    participant = residents.resident_of(token)
    if participant is None:
        return render_template("netvaerk/reminders/stop.html", state="bad"), 400
    form = StopForm()
    if form.is_submitted():
        residents.stop(participant, timeutil.local_today())
        return render_template("netvaerk/reminders/stop.html", state="stopped")
    return render_template("netvaerk/reminders/stop.html", state="ask", form=form)
