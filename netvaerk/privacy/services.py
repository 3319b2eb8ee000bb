"""Export, erasure and retention of a participant's data, across every capability.

Each capability registers `personal_data(name, export=..., erase=...)` hooks in
`netvaerk.core.registry`; this module adds the participant row itself and the audit trail.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from babel.dates import format_date, format_datetime
from flask_babel import lazy_gettext as _l

from ..audit.models import AuditEvent
from ..audit.services import action_label, record, record_about_participant
from ..core.errors import Vanished
from ..core.registry import current_registry
from ..extensions import db
from ..labels import ABSENCE_REASON_LABELS, ATTENDANCE_LABELS, OUTCOME_LABELS, STATUS_LABELS
from ..participants.models import Participant

# Headings of the export's sections and the participant's fields, for the readable page.
SECTION_LABELS = {
    "participants": _l("Participant"),
    "meetings": _l("Attendance"),
    "rota": _l("Chores"),
    "evaluations": _l("Evaluations"),
    "wheel": _l("Wheel of life"),
    "followup": _l("Follow-up"),
    "mypage": _l("The resident's own page"),
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
    "consent_given_on": _l("Consent to storing the wheel of life given"),
    "areas_chosen": _l("Areas chosen from the network's list"),
    "own_areas": _l("Own areas on the wheel of life"),
    "name": _l("Name"),
    "on_the_wheel": _l("On the wheel now"),
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
    # Follow-up
    "conversations": _l("Conversations"),
    "held_on": _l("Date of the conversation"),
    "present": _l("Who was there"),
    "agreed": _l("What was agreed"),
    "next_due_on": _l("Next conversation"),
    "commitments": _l("Commitments"),
    "text": _l("Text"),
    "due_on": _l("Due"),
    "done_on": _l("Done on"),
    "options": _l("Options"),
    "plan": _l("Plan"),
    "status_checks": _l("Status after leaving"),
    "left_on": _l("Left on"),
    "months_after": _l("Months after leaving"),
    "reached_on": _l("Date of contact"),
    "cancelled": _l("Cancelled"),
    # The resident's own page
    "personal_link": _l("Personal link"),
    "made_on": _l("Made on"),
    "works_until": _l("Works until"),
}


def _danish_date(value: date | datetime) -> str:
    """A date (and time) in Danish format, whatever the reader's language: 3.12.2026 kl. 09.05."""
    if isinstance(value, datetime):
        return format_datetime(value, "d.M.y 'kl.' HH.mm", locale="da")
    return format_date(value, "d.M.y", locale="da")


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$")
# Coded values of an export and the labels they are shown with, by field name.
VALUE_LABELS = {
    "status": {**STATUS_LABELS, **ATTENDANCE_LABELS},
    "outcome": OUTCOME_LABELS,
    "absence_reason": ABSENCE_REASON_LABELS,
}


def readable(value, key: str | None = None):
    """An export with coded values as labels in the reader's language and dates in Danish
    format (for the page and the JSON file a resident receives)."""
    if isinstance(value, dict):
        return {k: readable(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [readable(v, key) for v in value]
    if isinstance(value, datetime | date):
        return _danish_date(value)
    if isinstance(value, str):
        labels = VALUE_LABELS.get(key or "")
        if labels and value in labels:
            return str(labels[value])
        if _ISO_DATE.match(value):
            return _danish_date(date.fromisoformat(value))
        if _ISO_DATETIME.match(value):
            return _danish_date(datetime.fromisoformat(value))
    return value


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
    db.session.flush()
    return participant_id


def answer_access_request(participant: Participant) -> dict:
    """The readable export for an access request; the look-up is audited."""
    data = readable(export_participant(participant))
    still_there = db.session.scalar(
        db.select(Participant.id).where(Participant.id == participant.id)
    )
    if still_there is None:  # erased by another request while the export was read
        raise Vanished(f"participant {participant.id}")
    record_about_participant("participant.export", participant)
    db.session.flush()
    return data
