"""Taps the kiosk stored while the network was down, recorded once each when they arrive.

The tablet makes a key for each tap (crypto.randomUUID()) and keeps the time of the tap. The
tap counts on the meeting of its day, if it was made while that meeting was open for check-in
and arrives before the meeting's end plus the grace period (NETVAERK_KIOSK_OFFLINE_GRACE_MINUTES).
The key is stored first, in one INSERT ... ON CONFLICT DO NOTHING: a tap sent again (a
replay, or two sends at the same moment) finds its key taken and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ..core.errors import UserError
from ..extensions import db
from ..participants.models import Participant
from ..timeutil import LOCAL_TZ
from .checkin import check_in
from .models import KioskTap, Meeting
from .services import meeting_window, open_among

# A tablet's clock may run a little ahead of the server's: a tap up to this much "in the
# future" still counts as now; anything later is refused.
CLOCK_SKEW = timedelta(minutes=2)
KEY_LENGTH = 64


class TapRefused(UserError):
    """An offline tap that cannot be recorded at all (nothing is stored)."""


@dataclass
class TapOutcome:
    """What became of an offline tap: counted, already, late or wrong_code; replayed: the key
    had been recorded before, and this send changed nothing."""

    outcome: str
    replayed: bool = False


def tap_time(epoch_ms) -> datetime:
    """The tablet's time of a tap (milliseconds since 1970) as naive UTC; refused if not a time."""
    if isinstance(epoch_ms, bool) or not isinstance(epoch_ms, int | float):
        raise TapRefused(_l("The tap has no time."))
    try:
        return datetime.fromtimestamp(epoch_ms / 1000, UTC).replace(tzinfo=None)
    except (OverflowError, OSError, ValueError) as error:
        raise TapRefused(_l("The tap has no time.")) from error


def valid_key(key) -> str:
    """The tablet's key of a tap, or refused."""
    if not isinstance(key, str) or not 8 <= len(key) <= KEY_LENGTH:
        raise TapRefused(_l("The tap has no key."))
    if not all(c.isalnum() or c == "-" for c in key):
        raise TapRefused(_l("The tap has no key."))
    return key


def record_offline_tap(
    network_id: int,
    participant: Participant | None,
    key: str,
    tapped_at: datetime,
    now_local: datetime,
    now_utc: datetime,
    grace: timedelta,
    code_ok,
) -> TapOutcome:
    """Record a stored tap once, by its key (see the module's docstring).

    `participant`: the network's resident (None: not the network's, refused); `tapped_at`:
    naive UTC on the tablet; `now_local`, `now_utc`: the server's time; `code_ok()`: checks the
    code sent with the tap (True when none is needed), called only for a tap not seen before.
    Refused (TapRefused, nothing stored): another network's or an inactive resident, a time in
    the future, on another day, or when no meeting was open at that time.
    """
    if participant is None or participant.network_id != network_id:
        raise TapRefused(_l("That person is not in this network."))
    if participant.status != "active":
        raise TapRefused(_l("That person is not an active participant."))
    tapped_local = tapped_at.replace(tzinfo=UTC).astimezone(LOCAL_TZ).replace(tzinfo=None)
    if tapped_local > now_local + CLOCK_SKEW:
        raise TapRefused(_l("The tap's time is in the future."))
    if tapped_local.date() != now_local.date():
        raise TapRefused(_l("The tap was made on another day."))
    meetings = db.session.scalars(
        select(Meeting)
        .where(
            Meeting.network_id == network_id,
            Meeting.date == tapped_local.date(),
            Meeting.is_cancelled.is_(False),
        )
        .order_by(Meeting.start_time, Meeting.id)
    ).all()
    meeting = open_among(list(meetings), min(tapped_local, now_local))
    if meeting is None:
        raise TapRefused(_l("No meeting was open at the time of the tap."))
    late = now_local > meeting_window(meeting)[1] + grace
    outcome = "late" if late else "counted"
    tap_id = db.session.execute(
        _tap_insert(db.session.get_bind().dialect.name),
        {
            "network_id": network_id,
            "key": key,
            "participant_id": participant.id,
            "meeting_id": meeting.id,
            "tapped_at": tapped_at,
            "received_at": now_utc,
            "outcome": outcome,
        },
    ).scalar()
    if tap_id is None:
        earlier = db.session.scalar(
            select(KioskTap.outcome).where(KioskTap.network_id == network_id, KioskTap.key == key)
        )
        return TapOutcome(earlier or "counted", replayed=True)
    if not late and not code_ok():
        outcome = "wrong_code"
    elif not late and check_in(meeting, participant, tapped_at) is None:
        outcome = "already"
    if outcome != "counted":
        db.session.execute(
            update(KioskTap)
            .where(KioskTap.id == tap_id)
            .values(outcome=outcome)
            .execution_options(synchronize_session=False)
        )
    return TapOutcome(outcome)


def refused_taps(meeting_id: int) -> list[tuple[KioskTap, Participant]]:
    """A meeting's offline taps that did not count (late, wrong code), earliest first."""
    return db.session.execute(
        select(KioskTap, Participant)
        .join(Participant, Participant.id == KioskTap.participant_id)
        .where(KioskTap.meeting_id == meeting_id, KioskTap.outcome.in_(("late", "wrong_code")))
        .order_by(KioskTap.tapped_at, KioskTap.id)
    ).all()


@cache
def _tap_insert(dialect: str):
    """INSERT ... ON CONFLICT (network, key) DO NOTHING RETURNING id, built once."""
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(KioskTap)
    return (
        insert.values(
            network_id=bindparam("network_id"),
            key=bindparam("key"),
            participant_id=bindparam("participant_id"),
            meeting_id=bindparam("meeting_id"),
            tapped_at=bindparam("tapped_at"),
            received_at=bindparam("received_at"),
            outcome=bindparam("outcome"),
        )
        .on_conflict_do_nothing(index_elements=["network_id", "key"])
        .returning(KioskTap.id)
    )
