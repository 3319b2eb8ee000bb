"""Attendance rates against the meetings held in each participant's periods, a participant's
latest meetings, and the follow-up list (repeated absence without notice)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, case, func, or_, select

from ..extensions import db
from ..participants.models import Participant, ParticipationPeriod
from .models import Attendance, Meeting

# Unexplained absences in a row that put an active participant on the follow-up list.
FOLLOW_UP_STREAK = 3
# "Recent" attendance: the last four weeks, today included.
RECENT_DAYS = 28


@dataclass(frozen=True)
class AttendanceStats:
    """Meetings held while a participant was in the network, and how they attended them."""

    held: int = 0
    present: int = 0
    notified: int = 0
    recent_held: int = 0
    recent_present: int = 0
    recent_notified: int = 0

    @property
    def unexplained(self) -> int:
        """Meetings held without a check-in or notice."""
        return self.held - self.present - self.notified

    @property
    def rate(self) -> float | None:
        """Share of the meetings held that the participant attended (whole participation)."""
        return self.present / self.held if self.held else None

    @property
    def notified_rate(self) -> float | None:
        """Share of the meetings held with a notified absence (whole participation)."""
        return self.notified / self.held if self.held else None

    @property
    def recent_rate(self) -> float | None:
        """Share attended over the last four weeks."""
        return self.recent_present / self.recent_held if self.recent_held else None

    @property
    def recent_notified_rate(self) -> float | None:
        """Share with notified absence over the last four weeks."""
        return self.recent_notified / self.recent_held if self.recent_held else None


def _held(network_id: int, now: datetime):
    """Meetings that have taken place by `now`: not cancelled and already over."""
    return and_(
        Meeting.network_id == network_id,
        Meeting.is_cancelled.is_(False),
        or_(
            Meeting.date < now.date(),
            and_(Meeting.date == now.date(), Meeting.end_time <= now.time()),
        ),
    )


def _tallies(status, recent):
    """present, notified, recent held, recent present, recent notified: as CASE expressions
    to sum (`status` is the attendance's status column, NULL without a record)."""
    present = status == "present"
    notified = status == "notified"
    return [
        case((condition, 1), else_=0)
        for condition in (present, notified, recent, and_(recent, present), and_(recent, notified))
    ]


def attendance_stats(
    network_id: int, now: datetime, participant_ids: Collection[int] | None = None
) -> dict[int, AttendanceStats]:
    """Attendance per participant against the meetings held in their periods: one query.

    `participant_ids` limits it to those people (the rows a page shows); without it, everyone
    in the network. The commitment is three meetings a week; the pattern gives those meetings,
    and holidays, closures and cancelled meetings are not held, so they never count against
    anyone. "Recent" is the last four weeks, today included.
    """
    if participant_ids is not None and not participant_ids:
        return {}
    recent = Meeting.date >= now.date() - timedelta(days=RECENT_DAYS - 1)
    period = ParticipationPeriod
    # Only the attendance of these people, read through their index: without that filter
    # PostgreSQL hashes the whole attendance table (every network, every year).
    if participant_ids is not None:
        people = list(participant_ids)
    else:
        people = select(period.participant_id).where(period.network_id == network_id)
    attendance = (
        select(Attendance.meeting_id, Attendance.participant_id, Attendance.status)
        .where(Attendance.participant_id.in_(people))
        .subquery()
    )
    query = (
        select(
            period.participant_id,
            func.count(Meeting.id),
            *(func.sum(tally) for tally in _tallies(attendance.c.status, recent)),
        )
        .select_from(period)
        .join(
            Meeting,
            and_(
                _held(network_id, now),
                Meeting.date >= period.start_date,
                or_(period.end_date.is_(None), Meeting.date <= period.end_date),
            ),
        )
        .outerjoin(
            attendance,
            and_(
                attendance.c.meeting_id == Meeting.id,
                attendance.c.participant_id == period.participant_id,
            ),
        )
        .where(period.network_id == network_id)
        .group_by(period.participant_id)
    )
    if participant_ids is not None:
        query = query.where(period.participant_id.in_(list(participant_ids)))
    return {
        row[0]: AttendanceStats(*(int(value or 0) for value in row[1:]))
        for row in db.session.execute(query)
    }


def participant_attendance(
    participant: Participant, now: datetime, limit: int = 12
) -> tuple[AttendanceStats | None, list[tuple[Meeting, Attendance | None]]]:
    """A participant's attendance rates and their latest meetings held (with the attendance),
    in one query: the rates are window sums over all the meetings held in the person's
    periods, read on the latest rows. (None, []) when no meeting was held in their periods."""
    period = ParticipationPeriod
    in_a_period = (
        select(period.id)
        .where(
            period.participant_id == participant.id,
            period.start_date <= Meeting.date,
            or_(period.end_date.is_(None), period.end_date >= Meeting.date),
        )
        .exists()
    )
    # A bound the meetings' index can use: none before the person's first period.
    first_start = (
        select(func.min(period.start_date))
        .where(period.participant_id == participant.id)
        .scalar_subquery()
    )
    recent = Meeting.date >= now.date() - timedelta(days=RECENT_DAYS - 1)
    totals = [func.count().over()] + [
        func.sum(tally).over() for tally in _tallies(Attendance.status, recent)
    ]
    rows = db.session.execute(
        select(Meeting, Attendance, *totals)
        .outerjoin(
            Attendance,
            and_(Attendance.meeting_id == Meeting.id, Attendance.participant_id == participant.id),
        )
        .where(_held(participant.network_id, now), Meeting.date >= first_start, in_a_period)
        .order_by(Meeting.date.desc(), Meeting.start_time.desc())
        .limit(limit)
    ).all()
    if not rows:
        return None, []
    stats = AttendanceStats(*(int(value or 0) for value in rows[0][2:]))
    return stats, [(row[0], row[1]) for row in rows]


@dataclass(frozen=True)
class FollowUp:
    """An active participant who has missed meetings without notice, several in a row."""

    participant: Participant
    missed_in_a_row: int
    last_attended: date | None


def follow_up_list(network_id: int, now: datetime) -> list[FollowUp]:
    """Active participants whose latest `FOLLOW_UP_STREAK`+ held meetings were unexplained.

    The streak counts the meetings held in the current period after the last meeting the
    person attended or sent notice for.
    """
    last_accounted = (
        select(
            Attendance.participant_id.label("participant_id"),
            func.max(Meeting.date).label("last_date"),
        )
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(
            # Only the network's active people, read through their index: not the network's
            # whole history.
            Attendance.participant_id.in_(
                select(Participant.id).where(
                    Participant.network_id == network_id, Participant.status == "active"
                )
            ),
            Meeting.network_id == network_id,
            Meeting.is_cancelled.is_(False),
            Attendance.status.in_(("present", "notified")),
        )
        .group_by(Attendance.participant_id)
        .subquery()
    )
    period = ParticipationPeriod
    missed = func.count(Meeting.id)
    rows = db.session.execute(
        select(Participant, missed, last_accounted.c.last_date)
        .join(period, and_(period.participant_id == Participant.id, period.end_date.is_(None)))
        .join(Meeting, and_(_held(network_id, now), Meeting.date >= period.start_date))
        .outerjoin(last_accounted, last_accounted.c.participant_id == Participant.id)
        .where(
            Participant.network_id == network_id,
            Participant.status == "active",
            or_(last_accounted.c.last_date.is_(None), Meeting.date > last_accounted.c.last_date),
        )
        .group_by(Participant.id, last_accounted.c.last_date)
        .having(missed >= FOLLOW_UP_STREAK)
        .order_by(missed.desc(), Participant.first_name)
    ).all()
    return [FollowUp(participant, int(count), last) for participant, count, last in rows]
