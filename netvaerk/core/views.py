"""Start pages per role, the language switch and the network switch."""

from flask import Blueprint, abort, g, redirect, render_template, request, session, url_for
from flask_babel import _
from flask_login import current_user, login_required

from .permissions import kiosk_allowed, public
from .registry import current_registry
from .security import safe_next
from .services import set_locale

bp = Blueprint("core", __name__)

# Where a role lands after login when its capability provides its own start page.
ROLE_START_ENDPOINTS = {"kiosk": "netvaerk.kiosk.index", "steering": "netvaerk.stats.index"}


@bp.route("/")
@kiosk_allowed
@login_required
def home():
    """The start page of the current role, built from the capabilities' panels."""
    from flask import current_app

    endpoint = ROLE_START_ENDPOINTS.get(g.role)
    if endpoint and endpoint in current_app.view_functions:
        return redirect(url_for(endpoint))
    role = g.role or ("admin" if current_user.is_admin else None)
    if role is None:
        abort(403)
    panels = [
        (panel.template, panel.context())
        for panel in current_registry().home_panels
        if role in panel.roles and (role == "admin" or g.network is not None)
    ]
    return render_template("netvaerk/core/home.html", panels=panels, role=role)


@bp.route("/language", methods=["POST"])
@public
@kiosk_allowed
def set_language():
    """Switch between Danish and English; staff keep the choice on their account."""
    language = request.form.get("lang")
    if language not in ("da", "en"):
        abort(400)
    session["lang"] = language
    if current_user.is_authenticated and g.get("role") != "kiosk":
        set_locale(current_user, language)
    return redirect(safe_next(request.form.get("next")) or url_for("netvaerk.core.home"))


@bp.route("/network", methods=["POST"])
@login_required
def switch_network():
    """Choose which of one's networks to work in."""
    chosen = request.form.get("network_id", type=int)
    if chosen not in {m.network_id for m in g.memberships}:
        abort(404)
    session["network_id"] = chosen
    return redirect(url_for("netvaerk.core.home"))


@bp.app_template_global()
def nav_entries():
    """The menu entries the current user may see."""
    from flask import current_app

    role = g.get("role")
    is_admin = current_user.is_authenticated and current_user.is_admin
    return [
        item
        for item in current_registry().nav_items
        if (role in item.roles or (is_admin and "admin" in item.roles))
        and item.endpoint in current_app.view_functions
    ]


def page_title(text: str) -> str:
    """Title of a page followed by the product name."""
    return _("%(page)s – netvaerk", page=text)
