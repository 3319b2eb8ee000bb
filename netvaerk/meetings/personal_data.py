"""What meetings hold about a participant (their attendance), for access requests and erasure."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..participants.models import Participant
from .models import Attendance, KioskTap, Meeting


def export_attendance(participant: Participant) -> dict:
    """The participant's attendance at every meeting, JSON-able."""
    rows = db.session.execute(
        select(Meeting.date, Attendance.status, Attendance.absence_reason, Attendance.checked_in_at)
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(Attendance.participant_id == participant.id)
        .order_by(Meeting.date)
    ).all()
    return {
        "attendance": [
            {
                "meeting_date": day.isoformat(),
                "status": status,
                "absence_reason": reason,
                "checked_in_at": checked_in_at.isoformat() if checked_in_at else None,
            }
            for day, status, reason, checked_in_at in rows
        ],
        "kiosk_taps_sent_later": [
            {"tapped_at": tapped_at.isoformat(), "outcome": outcome}
            for tapped_at, outcome in db.session.execute(
                select(KioskTap.tapped_at, KioskTap.outcome)
                .where(KioskTap.participant_id == participant.id)
                .order_by(KioskTap.tapped_at)
            )
        ],
    }


def erase_attendance(participant: Participant) -> None:
    """Attendance stays as anonymous figures (date and status), so the monthly statistics still
    add up; only who recorded it goes. The kiosk's record of taps sent later goes."""
    db.session.execute(KioskTap.__table__.delete().where(KioskTap.participant_id == participant.id))
    db.session.execute(
        Attendance.__table__.update()
        .where(Attendance.participant_id == participant.id)
        .values(recorded_by_id=None)
    )
    db.session.flush()
