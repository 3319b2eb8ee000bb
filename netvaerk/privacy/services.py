"""Export, erasure and retention of a participant's data, across every capability.

Each capability registers `personal_data(name, export=..., erase=...)` hooks in
`netvaerk.core.registry`; this module adds the participant row itself and the audit trail.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from flask_babel import lazy_gettext as _l

from ..audit.models import AuditEvent
from ..audit.services import action_label, record
from ..core.models import Network
from ..core.registry import current_registry
from ..extensions import db
from ..participants.models import Participant

# Headings of the export's sections and the participant's fields, for the readable page.
SECTION_LABELS = {
    "participants": _l("Participant"),
    "meetings": _l("Attendance"),
    "rota": _l("Chores"),
    "evaluations": _l("Evaluations"),
    "wheel": _l("Wheel of life"),
    "uses_of_the_data": _l("When and why the data was used"),
}
FIELD_LABELS = {
    "id": _l("Number"),
    "first_name": _l("First name"),
    "last_name": _l("Last name"),
    "birth_year": _l("Year of birth"),
    "readiness_group": _l("Group"),
    "phone": _l("Phone"),
    "email": _l("E-mail"),
    "preferred_locale": _l("Language"),
    "status": _l("Status"),
    "intake_date": _l("Intake date"),
    "intake_note": _l("Intake note"),
    "consent_date": _l("Consent given"),
    "consent_text": _l("What the person agreed to"),
    "created_at": _l("Registered"),
    "start_date": _l("Start date"),
    "end_date": _l("End date"),
    "start": _l("Start date"),
    "end": _l("End date"),
    "housing_area": _l("Housing area"),
    "has_kiosk_code": _l("Has a personal check-in code"),
    "registered_at": _l("Registered"),
    "periods": _l("Periods in the network"),
    "status_changes": _l("Status history"),
    "attendance": _l("Attendance"),
    "meeting_date": _l("Meeting"),
    "absence_reason": _l("Reason for absence"),
    "checked_in_at": _l("Checked in"),
    "assignments": _l("Chores"),
    "chore": _l("Chore"),
    "done": _l("Done"),
    "changed_by_hand": _l("Changed by hand"),
    "changes": _l("Changes"),
    "named_answers": _l("Named answers"),
    "open_links": _l("Open answer links"),
    "scorings": _l("Scorings"),
    "scored_on": _l("Scored on"),
    "scores": _l("Scores"),
    "goal": _l("Goal"),
    "plan_a": _l("Plan A"),
    "plan_b": _l("Plan B"),
    "plan_c": _l("Plan C"),
    "outcome": _l("Outcome"),
    "changed_on": _l("Date"),
    "date": _l("Date"),
    "purpose": _l("Purpose"),
}


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier (the month's last day when it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def export_participant(participant: Participant) -> dict:
    """Everything stored about one participant, JSON-able, for an access request.

    The look-ups recorded in the audit trail are listed with date and purpose, without the
    identities of the staff who made them.
    """
    # The participant's own fields come from the participants capability's hook, like every
    # other capability's data, so nothing is listed twice.
    data = {}
    for name, exporter in sorted(current_registry().exporters.items()):
        data[name] = exporter(participant)
    events = db.session.execute(
        db.select(AuditEvent)
        .where(AuditEvent.subject_type == "participant", AuditEvent.subject_id == participant.id)
        .order_by(AuditEvent.created_at)
    ).scalars()
    data["uses_of_the_data"] = [
        {"date": _plain(event.created_at), "purpose": action_label(event.action)}
        for event in events
    ]
    return data


def erase_participant(participant: Participant, reason: str) -> int:
    """Erase a participant everywhere; returns the erased id. Recorded, with the reason.

    Every capability's eraser runs first (named answers, rota and sign-up history …), then
    the participant row goes (with periods, status changes and attendance by cascade) and the
    audit events about the person; only the record of the erasure itself stays.
    """
    participant_id, network_id = participant.id, participant.network_id
    for _name, eraser in sorted(current_registry().erasers.items()):
        eraser(participant)
    db.session.execute(
        db.delete(AuditEvent).where(
            AuditEvent.subject_type == "participant", AuditEvent.subject_id == participant_id
        )
    )
    db.session.delete(participant)
    record(
        "participant.erase",
        network_id=network_id,
        subject_type="participant",
        subject_id=participant_id,
        detail=reason,
    )
    db.session.commit()
    return participant_id


@dataclass
class PurgePlan:
    """What the retention clean-up would erase or deletes."""

    participants: list[Participant]
    old_events: int

    @property
    def erased_ids(self) -> list[int]:
        """The ids of the participants concerned (ids only: the report may go to a log)."""
        return sorted(self.participants_ids)

    def __post_init__(self) -> None:
        self.participants_ids = [participant.id for participant in self.participants]


def _left_before(participant: Participant) -> date | None:
    ends = [period.end_date for period in participant.periods if period.end_date]
    return max(ends) if ends else None


def purge_plan(today: date) -> PurgePlan:
    """Participants who left longer ago than their network's retention period, and the
    audit events older than it."""
    due = []
    networks = db.session.execute(db.select(Network)).scalars().all()
    for network in networks:
        cutoff = months_before(today, network.retention_months)
        left = db.session.execute(
            db.select(Participant).where(
                Participant.network_id == network.id, Participant.status == "left"
            )
        ).scalars()
        due.extend(p for p in left if (_left_before(p) or today) < cutoff)
    return PurgePlan(participants=due, old_events=len(_old_event_ids(networks, today)))


def _old_event_ids(networks, today: date) -> list[int]:
    ids = []
    for network in networks:
        cutoff = months_before(today, network.retention_months)
        ids += db.session.execute(
            db.select(AuditEvent.id).where(
                AuditEvent.network_id == network.id, AuditEvent.created_at < cutoff
            )
        ).scalars()
    site_cutoff = months_before(today, current_app.config["NETVAERK_AUDIT_MONTHS"])
    ids += db.session.execute(
        db.select(AuditEvent.id).where(
            AuditEvent.network_id.is_(None), AuditEvent.created_at < site_cutoff
        )
    ).scalars()
    return ids


def purge(today: date, apply: bool) -> PurgePlan:
    """Carry out (or, without `apply`, only plan) the retention clean-up."""
    plan = purge_plan(today)
    if not apply:
        return plan
    networks = db.session.execute(db.select(Network)).scalars().all()
    old = _old_event_ids(networks, today)
    if old:
        db.session.execute(db.delete(AuditEvent).where(AuditEvent.id.in_(old)))
        db.session.commit()
    for participant in plan.participants:
        erase_participant(participant, "retention period ended")
    return plan
