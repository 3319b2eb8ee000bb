"""Issue 27: status changes are serialised. Thirty identical "start", "return", "leave" or
"intake" requests sent at once on one participant change it once: one open period, one status
change, one audit event; the others are told it was done meanwhile, never a 500. Runs on SQLite
and, with NETVAERK_TEST_DATABASE_URL, on PostgreSQL."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from netvaerk import timeutil
from netvaerk.audit.models import AuditEvent
from netvaerk.extensions import db
from netvaerk.participants.models import Participant, ParticipationPeriod, StatusChange

from ..conftest import csrf_token_from, log_in
from ..factories import make_participant, make_user
from ..races import send_at_once

TIMES = 30


def _count(model, *where) -> int:
    with db.session.session_factory() as reader:
        return reader.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


@pytest.fixture
def coordinator(app, client, network):
    user = make_user("coordinator", network)
    assert log_in(client, user.email).status_code == 200
    return user


def _race(app, client, person, step: str, data: dict) -> None:
    page = client.get(f"/participants/{person.id}")
    data = {**data, "csrf_token": csrf_token_from(page.get_data(as_text=True))}
    answers = send_at_once(app, client, f"/participants/{person.id}/{step}", data, TIMES)
    assert all(answer.status < 500 for answer in answers), [a.status for a in answers]
    done = [answer for answer in answers if answer.status in (302, 303)]
    refused = [answer for answer in answers if answer.status not in (302, 303)]
    assert refused, "every request acted"
    for answer in refused:  # the page again, with the flow's message: translated, no 500
        assert answer.status == 200, answer.status
        said = answer.text.lower()  # "only … can …" (done already) or "changed meanwhile"
        assert "kun " in said or "på samme tid" in said, answer.text
    assert len(done) == 1, [a.status for a in answers]


def _left_once(person, status: str) -> None:
    who = StatusChange.participant_id == person.id
    assert _count(StatusChange, who, StatusChange.status == status) == 1
    assert (
        _count(
            AuditEvent,
            AuditEvent.action == f"participant.{status}",
            AuditEvent.subject_id == person.id,
        )
        == 1
    )


def _yesterday() -> str:
    return (timeutil.local_today() - timedelta(days=1)).isoformat()


@pytest.mark.commits
def test_thirty_starts_at_once_give_one_period(app, client, network, coordinator):
    person = make_participant(network, status="intake", intake_date=date(2026, 1, 5))
    _race(app, client, person, "start", {"start_on": _yesterday(), "confirm_over_capacity": "1"})
    assert _count(ParticipationPeriod, ParticipationPeriod.participant_id == person.id) == 1
    _left_once(person, "active")


@pytest.mark.commits
def test_thirty_returns_at_once_give_one_new_period(app, client, network, coordinator):
    person = make_participant(network, status="left", start=date(2025, 6, 1))
    person.periods[0].end_date, person.periods[0].outcome = date(2025, 12, 15), "stopped"
    db.session.commit()
    _race(app, client, person, "return", {"start_on": _yesterday(), "confirm_over_capacity": "1"})
    periods = ParticipationPeriod.participant_id == person.id
    assert _count(ParticipationPeriod, periods) == 2
    assert _count(ParticipationPeriod, periods, ParticipationPeriod.end_date.is_(None)) == 1
    _left_once(person, "active")


@pytest.mark.commits
def test_thirty_leaves_at_once_close_the_period_once(app, client, network, coordinator):
    person = make_participant(network, status="active", start=date(2026, 1, 5))
    _race(app, client, person, "leave", {"end_on": _yesterday(), "outcome": "education"})
    with db.session.session_factory() as reader:
        assert reader.get(Participant, person.id).status == "left"
    assert _count(ParticipationPeriod, ParticipationPeriod.participant_id == person.id) == 1
    _left_once(person, "left")


@pytest.mark.commits
def test_thirty_intakes_at_once_record_one(app, client, network, coordinator):
    person = make_participant(network, status="interested")
    _race(app, client, person, "intake", {"intake_on": _yesterday(), "note": ""})
    _left_once(person, "intake")


def test_the_database_refuses_a_second_open_period(app, network):
    """The partial unique index: the last guard, whatever the code above it does."""
    person = make_participant(network, status="active")
    db.session.add(
        ParticipationPeriod(
            participant_id=person.id, network_id=network.id, start_date=date(2026, 2, 1)
        )
    )
    with pytest.raises(Exception) as refused:
        db.session.flush()
    assert "unique" in str(refused.value).lower()
    db.session.rollback()
