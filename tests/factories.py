"""Small factory functions for test data (they commit, so requests see the rows)."""

import itertools
from datetime import date, time

from netvaerk.auth.services import create_user
from netvaerk.core.models import Membership, Network
from netvaerk.core.services import create_network
from netvaerk.extensions import db
from netvaerk.participants.models import Participant, ParticipationPeriod

_counter = itertools.count(1)
PASSWORD = "a-long-test-password"


def make_network(name: str | None = None, **fields) -> Network:
    """A network meeting Monday, Wednesday and Thursday 9-12, with two housing areas."""
    network = create_network(
        name or f"Netværk {next(_counter)}",
        ["Hedemarken", "Galgebakken"],
        meeting_weekdays=fields.pop("meeting_weekdays", "0,2,3"),
        meeting_start=fields.pop("meeting_start", time(9, 0)),
        meeting_end=fields.pop("meeting_end", time(12, 0)),
        **fields,
    )
    db.session.commit()
    return network


def make_user(role: str, network: Network | None = None, email: str | None = None):
    """A staff account; `role` is a network role or "admin"."""
    user = create_user(
        email or f"{role}{next(_counter)}@example.org",
        PASSWORD,
        name=role.title(),
        is_admin=(role == "admin"),
    )
    if role != "admin" and network is not None:
        db.session.add(Membership(user_id=user.id, network_id=network.id, role=role))
    db.session.commit()
    return user


def make_participant(
    network: Network,
    first_name: str = "Amina",
    last_name: str = "Hassan",
    status: str = "active",
    start: date | None = None,
    **fields,
) -> Participant:
    """A participant; active ones get an open period from `start` (default 1 Jan 2026)."""
    participant = Participant(
        network_id=network.id,
        first_name=first_name,
        last_name=last_name,
        status=status,
        readiness_group=fields.pop("readiness_group", 1),
        birth_year=fields.pop("birth_year", 1985),
        housing_area_id=fields.pop("housing_area_id", network.housing_areas[0].id),
        **fields,
    )
    if status in ("active", "left"):
        participant.periods.append(
            ParticipationPeriod(network_id=network.id, start_date=start or date(2026, 1, 1))
        )
    db.session.add(participant)
    db.session.commit()
    return participant


def make_meeting(
    network: Network, day: date, start: time | None = None, end: time | None = None, **fields
):
    """A meeting of the network on `day` (default hours from the network's pattern)."""
    from netvaerk.meetings.models import Meeting

    meeting = Meeting(
        network_id=network.id,
        date=day,
        pattern_date=fields.pop("pattern_date", day),
        start_time=start or network.meeting_start,
        end_time=end or network.meeting_end,
        **fields,
    )
    db.session.add(meeting)
    db.session.commit()
    return meeting


def make_attendance(meeting, participant, status: str = "present", **fields):
    """An attendance record (a check-in when status is "present")."""
    from netvaerk.meetings.models import Attendance
    from netvaerk.timeutil import utcnow

    attendance = Attendance(
        meeting_id=meeting.id,
        participant_id=participant.id,
        status=status,
        checked_in_at=fields.pop("checked_in_at", utcnow() if status == "present" else None),
        **fields,
    )
    db.session.add(attendance)
    db.session.commit()
    return attendance


def make_activity(network: Network, day: date, needed: int = 1, meeting=None, **fields):
    """An activity of the network on `day` (10-12 unless given), needing `needed` facilitators."""
    from netvaerk.activities.models import Activity

    activity = Activity(
        network_id=network.id,
        meeting_id=meeting.id if meeting is not None else None,
        date=day,
        start_time=fields.pop("start_time", time(10, 0)),
        end_time=fields.pop("end_time", time(12, 0)),
        title=fields.pop("title", "CV-værksted"),
        description=fields.pop("description", ""),
        place=fields.pop("place", "Pavillonen"),
        facilitators_needed=needed,
        **fields,
    )
    db.session.add(activity)
    db.session.commit()
    return activity


def make_signup(activity, user, seat: int | None = None, **fields):
    """A facilitator's place on an activity (the next seat unless given)."""
    from netvaerk.activities.models import SignUp

    signup = SignUp(
        network_id=activity.network_id,
        activity_id=activity.id,
        user_id=user.id,
        seat=seat or (len(activity.signups) + 1),
        **fields,
    )
    db.session.add(signup)
    db.session.commit()
    db.session.refresh(activity)
    return signup
