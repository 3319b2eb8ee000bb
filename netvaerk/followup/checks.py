"""Status checks after leaving into work or education: scheduled at 1, 3, 6 and 12 months,
cancelled on coming back, recorded once (compare-and-set), "not reached" after 30 days."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from ..core.errors import UserError
from ..extensions import db
from ..participants.models import WORK_OR_EDUCATION, Participant
from .conversations import DUE_HORIZON_DAYS, audit_about, settings_for
from .models import CHECK_STATUSES, CHECK_WINDOW_DAYS, StatusCheck


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def schedule_checks(participant: Participant, period, user_id: int | None = None) -> list:
    """Schedule the network's status checks for a period that ended in work or education
    (nothing for other outcomes); a period's checks are only scheduled once."""
    if period.end_date is None or period.outcome not in WORK_OR_EDUCATION:
        return []
    db.session.flush()  # the period needs its id
    existing = set(
        db.session.execute(
            select(StatusCheck.months_after).where(StatusCheck.period_id == period.id)
        ).scalars()
    )
    created = []
    for months in settings_for(participant.network_id).months:
        if months in existing:
            continue
        check = StatusCheck(
            network_id=participant.network_id,
            participant_id=participant.id,
            period_id=period.id,
            left_on=period.end_date,
            exit_outcome=period.outcome,
            months_after=months,
            due_on=add_months(period.end_date, months),
        )
        db.session.add(check)
        created.append(check)
    db.session.flush()
    return created


def on_participant_left(participant: Participant, period, user_id: int | None) -> None:
    """The participants' leaving signal: schedule the checks when the outcome is work."""
    schedule_checks(participant, period, user_id)


def on_participant_started(participant: Participant, period, user_id: int | None) -> None:
    """The participants' start signal: someone who comes back has no more checks to do."""
    db.session.execute(
        update(StatusCheck)
        .where(
            StatusCheck.participant_id == participant.id,
            StatusCheck.status.is_(None),
            StatusCheck.cancelled.is_(False),
        )
        .values(cancelled=True)
        .execution_options(synchronize_session=False)
    )


def window_closes(check: StatusCheck) -> date:
    """The last day on which the check counts as done in time."""
    return check.due_on + timedelta(days=CHECK_WINDOW_DAYS)


def effective_status(check: StatusCheck, today: date) -> str | None:
    """The recorded status; "not_reached" when nothing was recorded within 30 days of the
    check's date; None while it can still be done (or is not yet due)."""
    if check.status is not None:
        return check.status
    if today > window_closes(check):
        return "not_reached"
    return None


def check_for(participant: Participant, months: int) -> StatusCheck | None:
    """The participant's live check at `months` after their latest leaving into work."""
    return db.session.execute(
        select(StatusCheck)
        .where(
            StatusCheck.participant_id == participant.id,
            StatusCheck.months_after == months,
            StatusCheck.cancelled.is_(False),
        )
        .order_by(StatusCheck.left_on.desc(), StatusCheck.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def checks_of(participant_id: int) -> list[StatusCheck]:
    """A person's checks (cancelled ones too), in date order."""
    return db.session.scalars(
        select(StatusCheck)
        .where(StatusCheck.participant_id == participant_id)
        .order_by(StatusCheck.due_on, StatusCheck.id)
    ).all()


def record_status(
    check: StatusCheck,
    status: str,
    reached_on: date,
    seen_status: str | None,
    user_id: int,
    now: datetime,
    today: date,
) -> None:
    """Record the status found at a check and the date of contact.

    `seen_status` is the status the form showed (None when nothing was recorded yet): the row
    changes only if that is still the stored status, so two coordinators recording the same
    check at once leave one record and the second is told.
    """
    if status not in CHECK_STATUSES:
        raise UserError(_l("Choose a status from the list."), field="status")
    if reached_on > today:
        raise UserError(_l("The date cannot be in the future."), field="reached_on")
    if reached_on < check.left_on:
        left = format_date(check.left_on)
        raise UserError(
            _l("The date cannot be before the person left (%(day)s).", day=left),
            field="reached_on",
        )
    if reached_on > window_closes(check):
        raise UserError(
            _l(
                "The check had to be done by %(day)s; after that it counts as not reached.",
                day=format_date(window_closes(check)),
            ),
            field="reached_on",
        )
    condition = (
        StatusCheck.status.is_(None) if seen_status is None else StatusCheck.status == seen_status
    )
    changed = db.session.execute(
        update(StatusCheck)
        .where(StatusCheck.id == check.id, StatusCheck.cancelled.is_(False), condition)
        .values(status=status, reached_on=reached_on, recorded_by_id=user_id, recorded_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        raise UserError(
            _l("Someone else recorded this check in the meantime. Look at it and try again.")
        )
    db.session.refresh(check)
    audit_about(check, "followup.check", user_id, f"{check.months_after} months: {status}")
    db.session.flush()


@dataclass(frozen=True)
class DueCheck:
    """A check that can be done now or soon, with the person to call."""

    check: StatusCheck
    participant: Participant
    overdue: bool


def due_checks(network_id: int, today: date) -> list[DueCheck]:
    """Open checks due within a week whose 30-day window has not closed, oldest first."""
    rows = db.session.execute(
        select(StatusCheck, Participant)
        .join(Participant, Participant.id == StatusCheck.participant_id)
        .where(
            StatusCheck.network_id == network_id,
            StatusCheck.status.is_(None),
            StatusCheck.cancelled.is_(False),
            StatusCheck.due_on <= today + timedelta(days=DUE_HORIZON_DAYS),
            StatusCheck.due_on >= today - timedelta(days=CHECK_WINDOW_DAYS),
        )
        .order_by(StatusCheck.due_on, StatusCheck.id)
    ).all()
    return [DueCheck(check, person, check.due_on < today) for check, person in rows]


def retention_anchors(participant_ids) -> dict[int, date]:
    """The privacy clean-up's hold: per participant with status checks, the day of their last
    check (the contact date when recorded, else the end of its 30-day window), from which
    their retention period is counted, so no one is erased before their last check."""
    if not participant_ids:
        return {}
    checks = db.session.scalars(
        select(StatusCheck).where(
            StatusCheck.participant_id.in_(list(participant_ids)),
            StatusCheck.cancelled.is_(False),
        )
    )
    anchors: dict[int, date] = {}
    for check in checks:
        done = check.reached_on if check.status is not None and check.reached_on else None
        day = done or window_closes(check)
        if day > anchors.get(check.participant_id, date.min):
            anchors[check.participant_id] = day
    return anchors
