"""Read-only pages of the audit trail: a coordinator's network, the whole site for the admin.

Nothing in the app edits or deletes audit events; old ones go with the retention clean-up.
"""

from flask import Blueprint, current_app, g, render_template, request

from ..core.permissions import roles_required
from ..core.security import id_arg
from ..core.services import all_networks
from . import details, services

bp = Blueprint("audit", __name__)


@bp.route("/audit")
@roles_required("coordinator")
def index():
    """The current network's audit trail, newest first, filtered by action."""
    page = services.events_page(
        g.network.id,
        request.args.get("action") or None,
        request.args.get("page", 1, type=int),
        current_app.config["NETVAERK_AUDIT_PAGE_SIZE"],
    )
    return _render(page, networks=None, network_id=None)


@bp.route("/admin/audit")
@roles_required(admin=True)
def site():
    """Every audit event of the site (logins, accounts, all networks), for the administrator."""
    network_id = id_arg("network")
    page = services.events_page(
        network_id,
        request.args.get("action") or None,
        request.args.get("page", 1, type=int),
        current_app.config["NETVAERK_AUDIT_PAGE_SIZE"],
        everything=True,
    )
    return _render(page, networks=all_networks(), network_id=network_id)


def _render(page: services.EventPage, networks, network_id):
    return render_template(
        "netvaerk/audit/index.html",
        page=page,
        users=services.users_of(page.events),
        networks=networks,
        network_id=network_id,
        action=request.args.get("action") or "",
        action_label=services.action_label,
        subject_label=services.subject_label,
        describe=details.describe,
    )
