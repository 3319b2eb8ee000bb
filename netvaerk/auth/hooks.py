"""What login adds to the app: the labels of its audit events."""

from flask_babel import lazy_gettext as _l

from ..core.registry import Registry


def register(registry: Registry) -> None:
    """Register the labels of the login, logout and password audit events."""
    registry.audit_action("login.success", _l("Logged in"))
    registry.audit_action("login.failure", _l("Failed login"))
    registry.audit_action("logout", _l("Logged out"))
    registry.audit_action("logout.everywhere", _l("Logged out everywhere"))
    registry.audit_action("password.change", _l("Changed password"))
