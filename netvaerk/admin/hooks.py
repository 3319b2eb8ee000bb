"""What site administration adds to the app: its menu entry, start panel and audit labels."""

from flask_babel import lazy_gettext as _l

from ..core.registry import Registry


def admin_overview() -> dict:
    """Networks with their staff counts, and all accounts with their roles."""
    from ..core.services import all_networks
    from . import services

    overview = services.accounts_overview()
    return {
        "networks": all_networks(),
        "users": [user for user, _ in overview],
        "roles_by_user": {user.id: memberships for user, memberships in overview},
    }


def register(registry: Registry) -> None:
    """Register site administration's hooks."""
    registry.nav_item("netvaerk.admin.users", _l("Accounts"), ("admin",), order=90)
    registry.home_panel("netvaerk/admin/_panel.html", ("admin",), admin_overview, order=10)
    for action, label in (
        ("role.grant", _l("Role given")),
        ("role.change", _l("Role changed")),
        ("role.remove", _l("Role removed")),
        ("account.disable", _l("Account disabled")),
        ("account.enable", _l("Account enabled")),
    ):
        registry.audit_action(action, label)
