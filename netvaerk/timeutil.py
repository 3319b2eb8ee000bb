"""Time helpers: UTC for storage, Europe/Copenhagen for the people in the room."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Europe/Copenhagen")


def utcnow() -> datetime:
    """Naive UTC now, the form every timestamp is stored in."""
    return datetime.now(UTC).replace(tzinfo=None)


def local_now() -> datetime:
    """Naive local (Copenhagen) now, for comparing with meeting dates and times."""
    return datetime.now(LOCAL_TZ).replace(tzinfo=None)


def local_today() -> date:
    """Today's date in Copenhagen."""
    return local_now().date()


def to_local(stored_utc: datetime) -> datetime:
    """Turn a stored naive-UTC timestamp into naive local time for display."""
    return stored_utc.replace(tzinfo=UTC).astimezone(LOCAL_TZ).replace(tzinfo=None)
