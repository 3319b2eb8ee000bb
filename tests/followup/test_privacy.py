"""Follow-up data in access requests and erasure; the demo has follow-up data."""

from datetime import date

from sqlalchemy import func, select

from netvaerk.core.models import Network
from netvaerk.extensions import db
from netvaerk.followup import checks, conversations
from netvaerk.followup.models import Commitment, Conversation, Option, StatusCheck
from netvaerk.participants.models import Participant
from netvaerk.privacy import retention
from netvaerk.privacy import services as privacy

from ..conftest import log_in
from ..factories import make_participant
from .util import TODAY, left_into

LEFT = date(2025, 11, 28)


def _person_with_everything(network):
    person = make_participant(network, start=date(2025, 6, 2), first_name="Leyla")
    conversations.log_conversation(
        person,
        date(2025, 11, 3),
        "Leyla, Lone",
        "Søger lagerjob",
        None,
        [("Ringe til Bilka", date(2025, 11, 10))],
        None,
        TODAY,
    )
    option = conversations.add_option(person, "Lagerarbejder", None)
    conversations.choose_option(option, "A", None)
    db.session.commit()
    from netvaerk.participants import services as participants

    participants.leave(person, LEFT, "ordinary_job", None, TODAY)
    one = checks.check_for(person, 1)
    checks.record_status(one, "same_job", date(2025, 12, 29), None, None, None, TODAY)
    db.session.commit()
    return person


def test_the_access_request_includes_follow_up(app, client, network, login_as):
    person = _person_with_everything(network)
    login_as("coordinator")
    data = client.get(f"/privacy/participants/{person.id}/export.json").get_json()
    followup = data["followup"]
    assert followup["conversations"][0]["agreed"] == "Søger lagerjob"
    assert followup["commitments"][0]["text"] == "Ringe til Bilka"
    assert followup["options"] == [{"text": "Lagerarbejder", "plan": "A"}]
    assert [c["months_after"] for c in followup["status_checks"]] == [1, 3, 6, 12]
    assert followup["status_checks"][0]["status"] == "same_job"
    page = client.get(f"/privacy/participants/{person.id}").get_data(as_text=True)
    assert "Opfølgning" in page and "Ringe til Bilka" in page


def test_erasure_removes_follow_up_and_keeps_anonymous_status_figures(app, network):
    person = _person_with_everything(network)
    person_id = person.id
    privacy.erase_participant(person, "request")
    db.session.expire_all()
    for model in (Conversation, Commitment, Option):
        assert db.session.scalar(select(func.count(model.id))) == 0
    remaining = db.session.execute(select(StatusCheck)).scalars().all()
    assert len(remaining) == 4
    for check in remaining:
        assert check.participant_id is None and check.period_id is None
        assert check.reached_on is None and check.recorded_by_id is None
        assert check.left_on == date(2025, 11, 1)
    assert sorted(c.status or "" for c in remaining) == ["", "", "", "same_job"]
    assert (
        db.session.execute(
            select(StatusCheck).where(StatusCheck.participant_id == person_id)
        ).first()
        is None
    )


def test_retention_clean_up_covers_follow_up(app, network):
    person = make_participant(network, start=date(2024, 1, 8))
    conversations.log_conversation(person, date(2024, 2, 5), "", "Aftale", None, [], None, TODAY)
    db.session.commit()
    left_into(network, "stopped", date(2024, 6, 3), start=date(2024, 1, 8))
    from netvaerk.participants import services as participants

    participants.leave(person, date(2024, 6, 3), "stopped", None, TODAY)
    retention.purge(TODAY, apply=True)
    assert db.session.scalar(select(func.count(Conversation.id))) == 0


def test_the_demo_has_conversations_commitments_options_and_statuses(app, runner, client):
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert runner.invoke(args=["demo"]).exit_code == 0  # idempotent
    demo = db.session.execute(select(Network).where(Network.is_demo.is_(True))).scalar_one()
    counted = {
        model: db.session.scalar(select(func.count(model.id)).where(model.network_id == demo.id))
        for model in (Conversation, Commitment, Option, StatusCheck)
    }
    assert all(counted.values()), counted
    assert db.session.scalar(
        select(func.count(StatusCheck.id)).where(StatusCheck.status.is_not(None))
    )
    log_in(client, "coordinator@example.org", "netvaerk-demo")
    home = client.get("/").get_data(as_text=True)
    assert "Opfølgning, der skal laves" in home and "Overskredet" in home


def test_retention_counts_from_the_last_status_check(app, network):
    """A leaver into work is kept until their 12-month check is done (or its window closes),
    and erased once the network's retention period has passed since that check."""
    network.retention_months = 6
    db.session.commit()
    left = date(2025, 1, 6)
    person = left_into(network, "ordinary_job", left, start=date(2024, 6, 3))
    person_id = person.id
    stopped = left_into(network, "stopped", left, start=date(2024, 6, 3))
    eight_months = date(2025, 9, 8)  # 6 months of retention after leaving have passed
    planned = retention.purge_plan(eight_months, 6, 12)
    # The old rule erased both; the one who has a 12-month check due in January 2026 stays.
    assert planned.erased_ids == [stopped.id]
    last_check = checks.check_for(person, 12)
    assert last_check.due_on == date(2026, 1, 6)
    assert retention.retention_start([person], eight_months)[person_id] == date(2026, 2, 5)
    # Done early, on the day it is due: the retention period runs from that contact.
    checks.record_status(
        last_check, "same_job", date(2026, 1, 6), None, None, None, date(2026, 1, 6)
    )
    db.session.commit()
    assert retention.retention_start([person], eight_months)[person_id] == date(2026, 1, 6)
    assert person_id not in retention.purge_plan(date(2026, 7, 5), 6, 12).erased_ids
    retention.purge(date(2026, 7, 7), apply=True)
    db.session.commit()
    assert db.session.get(Participant, person_id) is None
    # The anonymous status figures stay.
    assert db.session.scalar(select(func.count(StatusCheck.id))) == 4


def test_the_retention_page_says_retention_counts_from_the_last_check(client, network, login_as):
    login_as("coordinator")
    page = client.get("/privacy/retention").get_data(as_text=True)
    assert "sidste statusopfølgning" in page
