"""Start-page panels: who the retention clean-up erases in the coming 14 days and why, and a
warning when no worker runs (no mail and no reminders go out)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import g

from ..core.models import Network
from ..extensions import db
from ..participants.models import Participant, StatusChange
from ..privacy.retention import (
    NEVER_STARTED_REASON,
    REASON_LABELS,
    RETENTION_REASON,
    months_before,
    purge_plan,
    retention_start,
)
from ..tasks.queue import last_beat
from ..timeutil import local_today, utcnow

SOON_DAYS = 14
QUIET_MINUTES = 15


def erased_soon(network_id: int, today: date, config) -> list[dict]:
    """The network's residents the clean-up erases by `today` + 14 days: name, day, reason."""
    plan = purge_plan(
        today + timedelta(days=SOON_DAYS),
        int(config["NETVAERK_NEVER_STARTED_MONTHS"]),
        int(config["NETVAERK_AUDIT_MONTHS"]),
    )
    leavers = [p for p in plan.participants if p.network_id == network_id]
    starts = retention_start(leavers, today)
    rows = []
    kept = db.session.get(Network, network_id).retention_months
    for participant in leavers:
        start = starts[participant.id]
        day = _first_day(today, lambda d, start=start: start < months_before(d, kept))
        rows.append(_row(participant, day, RETENTION_REASON))
    months = int(config["NETVAERK_NEVER_STARTED_MONTHS"])
    for participant in plan.never_started:
        if participant.network_id != network_id:
            continue
        known = _last_known(participant)
        day = _first_day(today, lambda d, known=known: known < months_before(d, months))
        rows.append(_row(participant, day, NEVER_STARTED_REASON))
    return sorted(rows, key=lambda r: (r["day"], r["name"]))


def _first_day(today: date, due) -> date:
    for offset in range(SOON_DAYS + 1):
        if due(today + timedelta(days=offset)):
            return today + timedelta(days=offset)
    return today + timedelta(days=SOON_DAYS)


def _last_known(participant: Participant) -> date:
    changed = db.session.scalar(
        db.select(db.func.max(StatusChange.changed_on)).where(
            StatusChange.participant_id == participant.id
        )
    )
    known = [d for d in (changed, participant.intake_date) if d is not None]
    known.append(participant.created_at.date())
    return max(known)


def _row(participant: Participant, day: date, reason: str) -> dict:
    return {
        "id": participant.id,
        "name": participant.full_name,
        "day": day,
        "reason": REASON_LABELS[reason],
    }


def retention_panel() -> dict:
    """The coordinator's panel of residents erased soon."""
    from flask import current_app

    return {"rows": erased_soon(g.network.id, local_today(), current_app.config)}


def worker_quiet(now: datetime) -> datetime | None | bool:
    """False when a worker ticked in the last 15 minutes; else when it last did (None: never)."""
    beat = last_beat()
    if beat is not None and now - beat <= timedelta(minutes=QUIET_MINUTES):
        return False
    return beat


def watch_panel() -> dict:
    """The admin's and coordinator's warning that mail and reminders are not going out."""
    quiet = worker_quiet(utcnow())
    return {"quiet": quiet is not False, "since": quiet or None}
