"""What background work registers: nothing of its own yet beyond the tables it keeps."""

from __future__ import annotations

from ..core.registry import Registry


def register(registry: Registry) -> None:
    """Register the task queue's hooks."""
