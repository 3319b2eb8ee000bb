"""Issue #17: the rota stays consistent when people leave, when a meeting is understaffed,
and when the week asked for is an extreme date."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from netvaerk.extensions import db
from netvaerk.meetings.models import Attendance
from netvaerk.participants import services as participants
from netvaerk.rota import services
from netvaerk.rota.models import ChoreAssignment

from .conftest import MONDAY


def _assignments():
    db.session.expire_all()
    return list(db.session.execute(select(ChoreAssignment)).scalars())


def _held_later(person, meeting_ids) -> list:
    return [
        a for a in _assignments() if a.participant_id == person.id and a.meeting_id in meeting_ids
    ]


def test_someone_who_leaves_keeps_no_future_chores_even_hand_changed_ones(
    app, login_as, client, network, people, week_meetings, chores, clock
):
    coordinator = login_as("coordinator")
    services.generate_rota(network.id, MONDAY, MONDAY + timedelta(days=6))
    db.session.commit()
    leaver = people[0]
    # A chore of someone else on Thursday is swapped by hand to the leaver.
    thursday = week_meetings[2]
    theirs = next(
        a
        for a in _assignments()
        if a.meeting_id == thursday.id and a.participant_id not in (None, leaver.id)
    )
    db.session.execute(
        ChoreAssignment.__table__.update()
        .where(ChoreAssignment.id == theirs.id)
        .values(participant_id=leaver.id, is_manual=True)
    )
    db.session.commit()
    participants.leave(leaver, MONDAY, "ordinary_job", coordinator.id, MONDAY)
    db.session.commit()
    later = {m.id for m in week_meetings[1:]}
    assert not [
        a for a in _assignments() if a.participant_id == leaver.id and a.meeting_id in later
    ]
    services.generate_rota(network.id, MONDAY, MONDAY + timedelta(days=6))
    db.session.commit()
    assert not [
        a for a in _assignments() if a.participant_id == leaver.id and a.meeting_id in later
    ]
    printed = client.get(f"/rota/print?week={MONDAY.isoformat()}").get_data(as_text=True)
    assert printed.count(leaver.first_name) <= 1  # at most Monday, the day they left


def test_one_understaffed_meeting_does_not_block_the_period(
    app, network, people, week_meetings, chores, clock
):
    monday = week_meetings[0]
    # Three of four send notice for Monday: the dishes (two people) cannot be staffed then.
    for person in people[1:]:
        db.session.add(
            Attendance(
                meeting_id=monday.id,
                participant_id=person.id,
                status="notified",
                absence_reason="course",
                source="register",
            )
        )
    db.session.commit()
    outcome = services.generate_rota(network.id, MONDAY, MONDAY + timedelta(days=6))
    db.session.commit()
    assert outcome.meetings == 2 and outcome.understaffed
    staffed = {a.meeting_id for a in _assignments()}
    assert staffed == {week_meetings[1].id, week_meetings[2].id}


def test_the_understaffed_meeting_is_named_on_the_page(
    app, login_as, client, network, people, week_meetings, chores, clock
):
    login_as("coordinator")
    for person in people[1:]:
        db.session.add(
            Attendance(
                meeting_id=week_meetings[0].id,
                participant_id=person.id,
                status="notified",
                absence_reason="course",
                source="register",
            )
        )
    db.session.commit()
    from ..conftest import csrf_token_from

    token = csrf_token_from(client.get("/rota/generate").get_data(as_text=True))
    response = client.post(
        "/rota/generate",
        data={
            "csrf_token": token,
            "start": MONDAY.isoformat(),
            "end": (MONDAY + timedelta(days=6)).isoformat(),
        },
        follow_redirects=True,
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "Opvask" in text  # the warning names the chore
    assert len(_assignments()) > 0


@pytest.mark.parametrize(
    "url",
    [
        "/rota/?week=9999-12-31",
        "/rota/?week=0001-01-01",
        "/rota/print?week=9999-12-31",
        "/rota/print?week=0001-01-01",
        "/rota/?week=2026-02-30",
    ],
)
def test_extreme_weeks_show_this_week(login_as, client, network, clock, url):
    login_as("coordinator")
    clock(datetime(2026, 3, 2, 8, 0))
    response = client.get(url)
    assert response.status_code == 200
