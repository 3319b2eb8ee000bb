"""What the audit trail adds to the app: its menu entries."""

from flask_babel import lazy_gettext as _l

from ..core.registry import Registry


def register(registry: Registry) -> None:
    """Register the audit trail's hooks."""
    registry.nav_item("netvaerk.audit.index", _l("Audit trail"), ("coordinator",), order=95)
    registry.nav_item("netvaerk.audit.site", _l("Audit trail"), ("admin",), order=95)
