"""Demo meetings and attendance: four months back and one month ahead from the real
generator (holidays skipped), realistic attendance, and always a meeting open right now."""

import random
import zlib
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from .. import timeutil
from ..extensions import db
from ..participants.models import Participant
from . import services
from .models import Attendance, Closure, Meeting

# How often each demo resident turns up; Jesper has recently stopped coming (follow-up list).
ATTENDANCE_PROFILE = {
    "Amina": 0.93,
    "Mette": 0.86,
    "Ahmad": 0.74,
    "Lone": 0.9,
    "Fatima": 0.7,
    "Jesper": 0.8,
    "Nadia": 0.62,
    "Tariq": 0.78,
}
NOTICE_SHARE = 0.45  # of the absences, how many come with notice
REASONS = ("personal", "personal", "job_interview", "internship", "course", "other")
CHECKED_IN_NOW = ("Amina", "Lone", "Ahmad")


def _rng(*parts) -> random.Random:
    """A random generator seeded by the parts, so the demo is the same every time."""
    return random.Random(zlib.crc32("|".join(str(p) for p in parts).encode()))


def _ensure_open_meeting(network, now: datetime) -> Meeting:
    """The meeting open at `now`; widens today's meeting (or adds one) when none is open."""
    meeting = services.open_meeting(network.id, now)
    if meeting is not None:
        return meeting
    start = max(datetime.combine(now.date(), time(0, 0)), now - timedelta(hours=1))
    end = min(datetime.combine(now.date(), time(23, 59, 59)), now + timedelta(hours=3))
    extra = db.session.execute(
        select(Meeting).where(
            Meeting.network_id == network.id,
            Meeting.date == now.date(),
            Meeting.is_cancelled.is_(False),
        )
    ).scalar_one_or_none()
    if extra is None:
        extra = Meeting(network_id=network.id, date=now.date(), start_time=start.time())
        extra.end_time = end.time()
        db.session.add(extra)
    else:
        extra.start_time = min(extra.start_time, start.time())
        extra.end_time = max(extra.end_time, end.time())
    db.session.flush()
    return extra


def _periods(participant: Participant) -> list[tuple[date, date | None]]:
    return [(p.start_date, p.end_date) for p in participant.periods]


def _in_period(day: date, periods) -> bool:
    return any(start <= day and (end is None or day <= end) for start, end in periods)


def demo_meetings(network, today: date) -> None:
    """Generate the demo meetings and their attendance (idempotent)."""
    if (
        db.session.execute(
            select(Closure.id).where(Closure.network_id == network.id).limit(1)
        ).first()
        is None
    ):
        db.session.add(
            Closure(
                network_id=network.id,
                start_date=today - timedelta(days=70),
                end_date=today - timedelta(days=66),
                reason="Pavillonen males",
            )
        )
        db.session.flush()
    services.generate_meetings(
        network, today - timedelta(days=120), today + timedelta(days=30), today
    )
    now = timeutil.local_now()
    open_now = _ensure_open_meeting(network, now)

    participants = db.session.execute(
        select(Participant).where(
            Participant.network_id == network.id, Participant.status.in_(("active", "left"))
        )
    ).scalars()
    people = [(p, _periods(p)) for p in participants]
    meetings = db.session.execute(
        select(Meeting).where(
            Meeting.network_id == network.id,
            Meeting.is_cancelled.is_(False),
            Meeting.date <= today,
        )
    ).scalars()
    held = [m for m in meetings if m.date < today or (m.date == today and m.end_time <= now.time())]
    recorded = set(
        db.session.execute(
            select(Attendance.meeting_id, Attendance.participant_id)
            .join(Meeting, Meeting.id == Attendance.meeting_id)
            .where(Meeting.network_id == network.id)
        ).all()
    )
    latest = sorted({m.date for m in held})[-3:]
    for meeting in held:
        for participant, periods in people:
            key = (meeting.id, participant.id)
            if key in recorded or not _in_period(meeting.date, periods):
                continue
            rng = _rng(participant.first_name, participant.last_name, meeting.date)
            share = ATTENDANCE_PROFILE.get(participant.first_name, 0.8)
            if participant.first_name == "Jesper" and meeting.date in latest:
                share = 0.0  # three missed in a row: shows on the follow-up list
            attendance = Attendance(meeting_id=meeting.id, participant_id=participant.id)
            if rng.random() < share:
                attendance.status = "present"
                local = datetime.combine(meeting.date, meeting.start_time) - timedelta(
                    minutes=rng.randint(-10, 25)
                )
                attendance.checked_in_at = (
                    local.replace(tzinfo=timeutil.LOCAL_TZ).astimezone(UTC).replace(tzinfo=None)
                )
                attendance.source = "kiosk"
            elif participant.first_name != "Jesper" and rng.random() < NOTICE_SHARE:
                attendance.status = "notified"
                attendance.absence_reason = rng.choice(REASONS)
                attendance.source = "register"
            else:
                continue  # no record: absent without notice
            db.session.add(attendance)
            recorded.add(key)

    if open_now.start_time <= now.time():
        for participant, _unused in people:
            if participant.status != "active" or participant.first_name not in CHECKED_IN_NOW:
                continue
            if (open_now.id, participant.id) not in recorded:
                db.session.add(
                    Attendance(
                        meeting_id=open_now.id,
                        participant_id=participant.id,
                        status="present",
                        checked_in_at=timeutil.utcnow(),
                        source="kiosk",
                    )
                )
    db.session.flush()
