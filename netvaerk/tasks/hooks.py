"""What background work registers: the administrator's outbox page in the menu, and
the nightly clean-up of old mail."""

from __future__ import annotations

from datetime import time

from flask_babel import lazy_gettext as _l

from ..core.registry import Registry


def register(registry: Registry) -> None:
    """Register the task queue's hooks."""
    from . import queue  # noqa: F401 (its after-commit listener wakes a worker for new mail)
    from .outbox import clean_up

    registry.nav_item("netvaerk.outbox.messages", _l("Outbox"), ("admin",), order=92)
    registry.periodic_job("outbox.clean_up", clean_up, at=time(3, 45))
