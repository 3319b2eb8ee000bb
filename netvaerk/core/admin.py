"""The site administrator's start page: networks and staff accounts at a glance."""

from flask_babel import lazy_gettext as _l

from ..extensions import db
from .models import Membership, Network, User
from .registry import home_panel, nav_item

nav_item("netvaerk.core.home", _l("Start"), ("coordinator", "facilitator", "admin"), order=0)


@home_panel("netvaerk/core/_admin_panel.html", roles=("admin",), order=10)
def admin_overview() -> dict:
    """Networks with their staff counts, and all accounts with their roles."""
    networks = db.session.execute(db.select(Network).order_by(Network.name)).scalars().all()
    users = db.session.execute(db.select(User).order_by(User.email)).scalars().all()
    memberships = db.session.execute(db.select(Membership)).scalars().all()
    roles_by_user: dict[int, list[Membership]] = {}
    for membership in memberships:
        roles_by_user.setdefault(membership.user_id, []).append(membership)
    return {"networks": networks, "users": users, "roles_by_user": roles_by_user}
