"""The site administrator's pages: accounts, their roles in networks, enabling and disabling."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from ..core.errors import UserError, show_user_error
from ..core.models import Membership, Network, User
from ..core.permissions import roles_required
from ..core.services import all_networks
from ..extensions import db
from ..labels import ROLE_LABELS
from . import services
from .forms import ConfirmForm, EnabledForm, RoleForm

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users")
@roles_required(admin=True)
def users():
    """Every staff account with its roles and whether it is enabled."""
    return render_template("netvaerk/admin/users.html", overview=services.accounts_overview())


@bp.route("/users/<id:user_id>")
@roles_required(admin=True)
def user(user_id: int):
    """One account: its roles per network, a form to give or change one, enable/disable."""
    account = db.get_or_404(User, user_id)
    return _render_user(account, _role_form())


@bp.route("/users/<id:user_id>/role", methods=["POST"])
@roles_required(admin=True)
def set_role(user_id: int):
    """Give the account a role in a network, or change the role it holds there."""
    account = db.get_or_404(User, user_id)
    form = _role_form()
    if not form.validate_on_submit():
        return _render_user(account, form)
    network = db.get_or_404(Network, form.network_id.data)
    try:
        outcome = services.set_role(account, network, form.role.data)
    except UserError as error:
        show_user_error(error, form)
        return _render_user(account, form)
    messages = {
        "granted": _("The role is given."),
        "changed": _("The role is changed."),
        "unchanged": _("The account already has that role."),
    }
    flash(messages[outcome], "success" if outcome != "unchanged" else "info")
    return redirect(url_for("netvaerk.admin.user", user_id=account.id))


@bp.route("/users/<id:user_id>/roles/<id:membership_id>/remove", methods=["GET", "POST"])
@roles_required(admin=True)
def remove_role(user_id: int, membership_id: int):
    """Ask for confirmation, then take the role away."""
    membership = db.get_or_404(Membership, membership_id)
    if membership.user_id != user_id:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        services.remove_role(membership)
        flash(_("The role is removed."), "success")
        return redirect(url_for("netvaerk.admin.user", user_id=user_id))
    return render_template("netvaerk/admin/remove_role.html", membership=membership, form=form)


@bp.route("/users/<id:user_id>/enabled", methods=["POST"])
@roles_required(admin=True)
def set_enabled(user_id: int):
    """Enable or disable an account; disabling logs it out everywhere."""
    account = db.get_or_404(User, user_id)
    back = redirect(url_for("netvaerk.admin.user", user_id=account.id))
    form = EnabledForm()
    if not form.validate_on_submit():
        flash(_("Nothing was changed. Try again from the account's page."), "error")
        return back
    enabled = form.enabled.data == "1"
    try:
        changed = services.set_enabled(account, enabled, current_user.id)
    except UserError as error:
        show_user_error(error)
        return back
    if changed and enabled:
        flash(_("The account is enabled."), "success")
    elif changed:
        flash(_("The account is disabled and logged out."), "success")
    return back


def _role_form() -> RoleForm:
    form = RoleForm()
    form.network_id.choices = [SelectChoice(n.id, n.name) for n in all_networks()]
    return form


def _render_user(account: User, form: RoleForm):
    return render_template(
        "netvaerk/admin/user.html",
        account=account,
        memberships=sorted(account.memberships, key=lambda m: m.network.name),
        form=form,
        enabled_form=EnabledForm(),
        role_labels=ROLE_LABELS,
    )
