"""The start page's panel of the reminders, read in one statement: a warning when no worker
runs (no mail and no reminders go out), and for coordinators who the retention clean-up
erases in the coming 14 days, and why (worked out each night after the clean-up, with the
follow-up's holds, by `refresh_forecast`)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import current_app, g
from sqlalchemy import and_, delete, exists, func, literal, or_, select

from ..core.models import Network
from ..core.registry import current_registry
from ..extensions import db
from ..participants.models import Participant, ParticipationPeriod, StatusChange
from ..privacy.retention import NEVER_STARTED_REASON, REASON_LABELS, RETENTION_REASON, months_before
from ..tasks.models import JobRun, WorkerHeartbeat
from ..timeutil import local_today, to_local, utcnow
from .models import ErasureForecast

SOON_DAYS = 14
QUIET_MINUTES = 15
NEVER_STARTED = ("interested", "intake")


def _heartbeat_columns():
    beat = select(WorkerHeartbeat.beat_at).where(WorkerHeartbeat.id == 1).scalar_subquery()
    run = select(func.max(JobRun.started_at)).scalar_subquery()
    return beat.label("beat_at"), run.label("run_at")


def _erasure_statement(network, today: date, never_started_months: int):
    """The network's residents the clean-up may erase by today + 14 days (leavers before the
    follow-up's holds, and those who never started)."""
    soon = today + timedelta(days=SOON_DAYS)
    left_cutoff = months_before(soon, network.retention_months)
    quiet_cutoff = months_before(soon, never_started_months)
    last_end = (
        select(func.max(ParticipationPeriod.end_date))
        .where(ParticipationPeriod.participant_id == Participant.id)
        .correlate(Participant)
        .scalar_subquery()
    )
    last_change = (
        select(func.max(StatusChange.changed_on))
        .where(StatusChange.participant_id == Participant.id)
        .correlate(Participant)
        .scalar_subquery()
    )
    started = exists().where(ParticipationPeriod.participant_id == Participant.id)
    due = and_(
        Participant.network_id == network.id,
        or_(
            and_(Participant.status == "left", last_end < left_cutoff),
            and_(
                Participant.status.in_(NEVER_STARTED),
                ~started,
                or_(last_change.is_(None), last_change < quiet_cutoff),
                or_(Participant.intake_date.is_(None), Participant.intake_date < quiet_cutoff),
                Participant.created_at < datetime.combine(quiet_cutoff, time()),
            ),
        ),
    )
    return (
        select(
            Participant.id,
            Participant.status,
            last_end.label("last_end"),
            last_change.label("last_change"),
            Participant.intake_date,
            Participant.created_at,
        )
        .where(due)
        .order_by(Participant.id)
    )


def erased_soon(network, today: date, never_started_months: int) -> list[tuple[int, date, str]]:
    """The network's residents erased by today + 14 days: (participant id, day, reason)."""
    rows = db.session.execute(_erasure_statement(network, today, never_started_months)).all()
    leavers = {row.id: row for row in rows if row.id is not None and row.status == "left"}
    held: dict[int, date] = {}
    if leavers:
        for hold in current_registry().retention_holds:
            for participant_id, day in hold(list(leavers)).items():
                held[participant_id] = max(day, held.get(participant_id, day))
    found = []
    for row in rows:
        if row.id is None:
            continue
        if row.status == "left":
            start = max(row.last_end, held.get(row.id, row.last_end))
            months, reason = network.retention_months, RETENTION_REASON
        else:
            known = [d for d in (row.last_change, row.intake_date) if d is not None]
            start = max([*known, row.created_at.date()])
            months, reason = never_started_months, NEVER_STARTED_REASON
        day = _first_day(today, start, months)
        if day is not None:
            found.append((row.id, day, reason))
    return found


def refresh_forecast(now: datetime) -> int:
    """The nightly job (after the clean-up): write down who the clean-up erases within 14
    days; nothing when the nightly clean-up is off. Safe to run twice (it starts afresh)."""
    db.session.execute(delete(ErasureForecast))
    config = current_app.config
    if str(config.get("NETVAERK_PURGE_NIGHTLY", "1")).lower() in ("0", "false", "no", "off"):
        db.session.flush()
        return 0
    today = to_local(now).date()
    months = int(config["NETVAERK_NEVER_STARTED_MONTHS"])
    written = 0
    for network in db.session.scalars(select(Network).order_by(Network.id)).all():
        for participant_id, day, reason in erased_soon(network, today, months):
            db.session.add(
                ErasureForecast(
                    network_id=network.id,
                    participant_id=participant_id,
                    erase_on=day,
                    reason=reason,
                )
            )
            written += 1
    db.session.flush()
    return written


def forget_forecast(participant) -> None:
    """Eraser: the resident's row of the forecast goes with them."""
    db.session.execute(
        delete(ErasureForecast).where(ErasureForecast.participant_id == participant.id)
    )
    db.session.flush()


def _first_day(today: date, start: date, months: int) -> date | None:
    """The first day from today within 14 days on which the clean-up erases (None: later)."""
    for offset in range(SOON_DAYS + 1):
        day = today + timedelta(days=offset)
        if start < months_before(day, months):
            return day
    return None


def worker_quiet(now: datetime, beat_at: datetime | None, run_at: datetime | None) -> bool:
    """True when no worker ticked or ran a job in the last 15 minutes."""
    known = [moment for moment in (beat_at, run_at) if moment is not None]
    return not known or now - max(known) > timedelta(minutes=QUIET_MINUTES)


def start_panel() -> dict:
    """The panel's context: one statement for admins and coordinators alike."""
    today = local_today()
    statement = select(*_heartbeat_columns())
    if g.get("role") == "coordinator" and g.get("network") is not None:
        one = select(literal(1).label("one")).subquery()
        statement = (
            statement.add_columns(
                Participant.id,
                Participant.first_name,
                Participant.last_name,
                ErasureForecast.erase_on,
                ErasureForecast.reason,
            )
            .select_from(one)
            .outerjoin(
                ErasureForecast,
                and_(
                    ErasureForecast.network_id == g.network.id,
                    ErasureForecast.erase_on >= today,
                ),
            )
            .outerjoin(Participant, Participant.id == ErasureForecast.participant_id)
            .order_by(ErasureForecast.erase_on, Participant.first_name, Participant.id)
        )
    rows = db.session.execute(statement).all()
    erased = [
        {
            "id": row.id,
            "name": f"{row.first_name} {row.last_name}".strip(),
            "day": row.erase_on,
            "reason": REASON_LABELS.get(row.reason, row.reason),
        }
        for row in rows
        if getattr(row, "id", None) is not None
    ]
    beat_at, run_at = rows[0].beat_at, rows[0].run_at
    known = [moment for moment in (beat_at, run_at) if moment is not None]
    return {
        "quiet": worker_quiet(utcnow(), beat_at, run_at),
        "since": max(known) if known else None,
        "rows": erased,
    }
