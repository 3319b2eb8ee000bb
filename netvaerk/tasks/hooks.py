"""What background work registers: the administrator's outbox page in the menu."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..core.registry import Registry


def register(registry: Registry) -> None:
    """Register the task queue's hooks."""
    registry.nav_item("netvaerk.outbox.messages", _l("Outbox"), ("admin",), order=92)
