"""Realistic data for the statistics tests: a network with residents, meetings and leavers."""

from datetime import date

import pytest

from netvaerk.extensions import db
from netvaerk.participants.models import ParticipationPeriod

from ..factories import make_attendance, make_meeting, make_participant

FIRST_NAMES = (
    "Amina", "Jens", "Fatima", "Mads", "Leyla", "Henrik", "Sara", "Omar", "Birgitte", "Ali",
    "Mette", "Yusuf", "Karin", "Hassan", "Lone", "Ahmed", "Pia", "Bilal", "Susanne", "Nadia",
)  # fmt: skip
LAST_NAMES = (
    "Hassan", "Jensen", "Ali", "Nielsen", "Yilmaz", "Hansen", "Pedersen", "Khan", "Larsen",
    "Ahmadi", "Sørensen", "Demir", "Rasmussen", "Haddad", "Kristensen", "Rahimi", "Olsen",
    "Abdi", "Thomsen", "Mahmoud",
)  # fmt: skip
OUTCOMES = ("ordinary_job", "internship", "education", "stopped", "flex_job", "moved_away")


@pytest.fixture
def people(network):
    """Twenty residents with phone numbers and e-mails; six of them left in March 2026."""
    residents = []
    for i in range(20):
        participant = make_participant(
            network,
            first_name=FIRST_NAMES[i],
            last_name=LAST_NAMES[i],
            start=date(2026, 1 + i % 3, 2 + i),
            birth_year=1965 + 2 * i,
            readiness_group=3 if i % 7 == 0 else 1,
            housing_area_id=network.housing_areas[i % 2].id,
            phone=f"+45 20 {i:02d} 33 {i:02d}",
            email=f"{FIRST_NAMES[i].lower()}.{LAST_NAMES[i].lower()}@example.net",
        )
        residents.append(participant)
    for i, participant in enumerate(residents[:6]):
        period = participant.periods[0]
        period.end_date = date(2026, 3, 20 + i)
        period.outcome = OUTCOMES[i]
        participant.status = "left"
    db.session.commit()
    meetings = [
        make_meeting(network, date(2026, 3, day)) for day in (2, 4, 5, 9, 11, 12, 16, 18, 19)
    ]
    make_meeting(network, date(2026, 3, 23), is_cancelled=True, cancel_reason="Lukket")
    for m_index, meeting in enumerate(meetings):
        for p_index, participant in enumerate(residents):
            period: ParticipationPeriod = participant.periods[0]
            if period.start_date > meeting.date:
                continue
            if (p_index + m_index) % 4 == 0:
                make_attendance(meeting, participant, status="absent")
            elif (p_index + m_index) % 9 == 0:
                make_attendance(meeting, participant, status="notified", absence_reason="personal")
            else:
                make_attendance(meeting, participant)
    return residents
