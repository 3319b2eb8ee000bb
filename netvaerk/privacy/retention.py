"""The retention clean-up: who is erased when, and the networks' retention setting."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func

from ..audit.models import AuditEvent
from ..audit.services import record
from ..core.errors import UserError
from ..core.models import Network
from ..core.registry import current_registry
from ..extensions import db
from ..participants.models import Participant, StatusChange
from .services import erase_participant

# The reasons an erasure by the clean-up is recorded with (keys; the audit pages label them).
RETENTION_REASON = "retention"
NEVER_STARTED_REASON = "never_started"
REASON_LABELS = {
    RETENTION_REASON: _l("The network's retention period after leaving had ended"),
    NEVER_STARTED_REASON: _l("Never started, and the period for keeping such data had ended"),
}
RETENTION_LIMITS = (1, 120)


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier (the month's last day when it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass
class PurgePlan:
    """What the retention clean-up would erase or deletes."""

    participants: list[Participant]
    old_events: int
    never_started: list[Participant] = field(default_factory=list)

    @property
    def erased_ids(self) -> list[int]:
        """The ids of the participants concerned (ids only: the report may go to a log)."""
        return sorted(p.id for p in [*self.participants, *self.never_started])


def _left_before(participant: Participant) -> date | None:
    ends = [period.end_date for period in participant.periods if period.end_date]
    return max(ends) if ends else None


def retention_start(participants: list[Participant], today: date) -> dict[int, date]:
    """The day each leaver's retention period is counted from: their last leaving, or later
    when a capability still needs them (follow-up: the last status check after leaving)."""
    ids = [p.id for p in participants]
    held: dict[int, date] = {}
    for hold in current_registry().retention_holds:
        for participant_id, day in hold(ids).items():
            held[participant_id] = max(day, held.get(participant_id, day))
    starts = {}
    for participant in participants:
        left = _left_before(participant) or today
        starts[participant.id] = max(left, held.get(participant.id, left))
    return starts


def purge_plan(today: date, never_started_months: int, audit_months: int) -> PurgePlan:
    """Participants whose network's retention period, counted from their leaving or their last
    follow-up check (`retention_start`), has ended; those who never started (only interested,
    or an intake) for longer than `never_started_months`; and the audit events older than the
    retention period."""
    due = []
    networks = db.session.execute(db.select(Network)).scalars().all()
    for network in networks:
        cutoff = months_before(today, network.retention_months)
        left = (
            db.session.execute(
                db.select(Participant).where(
                    Participant.network_id == network.id, Participant.status == "left"
                )
            )
            .scalars()
            .all()
        )
        starts = retention_start(left, today)
        due.extend(p for p in left if starts[p.id] < cutoff)
    return PurgePlan(
        participants=due,
        old_events=len(_old_event_ids(networks, today, audit_months)),
        never_started=never_started_due(today, never_started_months),
    )


def _old_event_ids(networks, today: date, audit_months: int) -> list[int]:
    ids = []
    for network in networks:
        cutoff = months_before(today, network.retention_months)
        ids += db.session.execute(
            db.select(AuditEvent.id).where(
                AuditEvent.network_id == network.id, AuditEvent.created_at < cutoff
            )
        ).scalars()
    site_cutoff = months_before(today, audit_months)
    ids += db.session.execute(
        db.select(AuditEvent.id).where(
            AuditEvent.network_id.is_(None), AuditEvent.created_at < site_cutoff
        )
    ).scalars()
    return ids


def purge(
    today: date, apply: bool, *, never_started_months: int = 6, audit_months: int = 12
) -> PurgePlan:
    """Carry out (or, without `apply`, only plan) the retention clean-up; a clean-up that
    erases is audited, each erasure with its reason."""
    plan = purge_plan(today, never_started_months, audit_months)
    if not apply:
        return plan
    networks = db.session.execute(db.select(Network)).scalars().all()
    old = _old_event_ids(networks, today, audit_months)
    if old:
        db.session.execute(db.delete(AuditEvent).where(AuditEvent.id.in_(old)))
    # The reason in words (in the app's default language: the clean-up runs from cron).
    for participant in plan.participants:
        erase_participant(participant, str(REASON_LABELS[RETENTION_REASON]))
    for participant in plan.never_started:
        erase_participant(participant, str(REASON_LABELS[NEVER_STARTED_REASON]))
    record(
        "privacy.purge",
        detail=(
            f"left: {len(plan.participants)}, never started: {len(plan.never_started)}, "
            f"audit events: {plan.old_events}"
        ),
    )
    db.session.flush()
    return plan


def never_started_due(today: date, months: int) -> list[Participant]:
    """Residents who only showed interest or had an intake, with no change for `months`."""
    cutoff = months_before(today, months)
    last_change = (
        db.select(func.max(StatusChange.changed_on))
        .where(StatusChange.participant_id == Participant.id)
        .correlate(Participant)
        .scalar_subquery()
    )
    candidates = db.session.execute(
        db.select(Participant, last_change).where(Participant.status.in_(("interested", "intake")))
    ).all()
    due = []
    for participant, changed in candidates:
        known = [d for d in (changed, participant.intake_date) if d is not None]
        known.append(participant.created_at.date())
        if max(known) < cutoff and not participant.periods:
            due.append(participant)
    return due


def set_retention(network: Network, months: int) -> None:
    """Change how many months a network keeps a resident's data after they leave."""
    low, high = RETENTION_LIMITS
    if not low <= months <= high:
        raise UserError(
            _l("Choose from %(low)d to %(high)d months.", low=low, high=high), field="months"
        )
    before = network.retention_months
    network.retention_months = months
    record(
        "privacy.retention_changed",
        network_id=network.id,
        detail=f"{before} → {months}",
    )
    db.session.flush()


def nightly_purge(now: datetime) -> PurgePlan | None:
    """The periodic job: the clean-up with the app's settings, for the Copenhagen day of `now`
    (naive UTC); nothing when NETVAERK_PURGE_NIGHTLY is off. Safe to run twice: a second run
    finds nothing left to erase."""
    from flask import current_app

    from ..timeutil import to_local

    config = current_app.config
    if str(config.get("NETVAERK_PURGE_NIGHTLY", "1")).lower() in ("0", "false", "no", "off"):
        return None
    return purge(
        to_local(now).date(),
        apply=True,
        never_started_months=int(config["NETVAERK_NEVER_STARTED_MONTHS"]),
        audit_months=int(config["NETVAERK_AUDIT_MONTHS"]),
    )
