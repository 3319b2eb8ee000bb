"""Fixtures shared by the participant, meeting and kiosk tests."""

from ..meetings.util import slot_part  # noqa: F401
