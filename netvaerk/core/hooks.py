"""What core adds to every app: the start page's menu entry."""

from flask_babel import lazy_gettext as _l

from .registry import Registry


def register(registry: Registry) -> None:
    """Register core's hooks."""
    registry.nav_item(
        "netvaerk.core.home", _l("Home"), ("coordinator", "facilitator", "admin"), order=0
    )
