"""Follow-up on a need-to-know basis (issue 27): a coordinator names the facilitators who follow
a resident; they see and keep that resident's follow-up, other facilitators see none of it."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from netvaerk import timeutil
from netvaerk.core.models import Network, User
from netvaerk.extensions import db
from netvaerk.followup import conversations, followers
from netvaerk.followup.models import Follower
from netvaerk.followup.personal_data import erase_followup, export_followup

from ..conftest import csrf_token_from, log_in
from ..factories import make_network, make_participant, make_user
from ..races import send_at_once
from .util import post_form

SECRET = "Søger job som lagerarbejder"


def _resident_with_follow_up(network):
    """An active resident whose conversation is due, with a commitment and an option."""
    today = timeutil.local_today()
    person = make_participant(network, start=today - timedelta(days=30), first_name="Leyla")
    conversation = conversations.log_conversation(
        person, today - timedelta(days=20), "", SECRET, today, [("Ringe", today)], None, today
    )
    option = conversations.add_option(person, "Lager", None)
    db.session.commit()
    return person, conversation.commitments[0], option


def _facilitator(app, network):
    user = make_user("facilitator", network)
    client = app.test_client()
    assert log_in(client, user.email).status_code == 200
    return user, client


def _name(person, user, role="mentor"):
    followers.name_follower(person, user.id, role, None)
    db.session.commit()


def test_a_named_facilitator_sees_and_keeps_the_follow_up(app, network):
    person, commitment, option = _resident_with_follow_up(network)
    mentor, client = _facilitator(app, network)
    _name(person, mentor)
    page = client.get(f"/followup/participants/{person.id}")
    assert page.status_code == 200 and SECRET in page.get_data(as_text=True)
    assert "Leyla" in client.get("/followup/").get_data(as_text=True)
    url = f"/followup/participants/{person.id}"
    assert post_form(client, url, f"/followup/commitments/{commitment.id}", {}).status_code == 302
    added = post_form(client, url, f"/followup/participants/{person.id}/options", {"text": "Kok"})
    assert added.status_code == 302


def test_other_facilitators_see_no_follow_up_of_the_resident(app, network):
    person, commitment, option = _resident_with_follow_up(network)
    _name(person, make_user("facilitator", network))
    _other, client = _facilitator(app, network)
    assert client.get(f"/followup/participants/{person.id}").status_code == 403
    assert client.get(f"/followup/participants/{person.id}/conversations/new").status_code == 403
    assert "Leyla" not in client.get("/followup/").get_data(as_text=True)
    page = "/followup/"
    for url, data in (
        (f"/followup/commitments/{commitment.id}", {}),
        (f"/followup/participants/{person.id}/options", {"text": "Kok"}),
        (f"/followup/options/{option.id}/choose", {"plan": "A"}),
        (f"/followup/options/{option.id}/remove", {}),
    ):
        assert post_form(client, page, url, data).status_code == 403, url
    db.session.expire_all()
    assert not commitment.done and option.plan is None
    assert len(conversations.options_of(person.id)) == 1


def test_a_resident_nobody_follows_is_the_coordinators_only(app, client, network, login_as):
    person, _commitment, _option = _resident_with_follow_up(network)
    _user, other = _facilitator(app, network)
    assert other.get(f"/followup/participants/{person.id}").status_code == 403
    login_as("coordinator")
    assert SECRET in client.get(f"/followup/participants/{person.id}").get_data(as_text=True)


def test_a_coordinator_names_and_removes_a_follower(app, client, network, login_as):
    person, _commitment, _option = _resident_with_follow_up(network)
    mentor, mentor_client = _facilitator(app, network)
    login_as("coordinator")
    url = f"/followup/participants/{person.id}"
    assert SECRET in client.get(url).get_data(as_text=True)
    named = post_form(
        client, url, f"{url}/followers", {"user_id": mentor.id, "role": "job_consultant"}
    )
    assert named.status_code == 302
    assert mentor_client.get(url).status_code == 200
    follower = followers.followers_of(person.id)[0]
    assert (follower.user_id, follower.role) == (mentor.id, "job_consultant")
    removed = post_form(client, url, f"/followup/followers/{follower.id}/remove", {})
    assert removed.status_code == 302
    assert followers.followers_of(person.id) == []
    assert mentor_client.get(url).status_code == 403


def test_naming_refuses_what_is_not_a_facilitator_of_the_network(app, client, network, login_as):
    person, _commitment, _option = _resident_with_follow_up(network)
    mentor = make_user("facilitator", network)
    _name(person, mentor)
    login_as("coordinator")
    url = f"/followup/participants/{person.id}"
    steering = make_user("steering", network)
    elsewhere = make_user("facilitator", make_network())
    for data, message in (
        ({"user_id": steering.id, "role": "mentor"}, "Vælg en facilitator i netværket."),
        ({"user_id": elsewhere.id, "role": "mentor"}, "Vælg en facilitator i netværket."),
        ({"user_id": mentor.id, "role": "boss"}, None),
        ({"user_id": "x", "role": "mentor"}, None),
        ({"user_id": mentor.id, "role": "contact"}, "Den facilitator følger allerede deltageren."),
    ):
        response = post_form(client, url, f"{url}/followers", data)
        assert response.status_code == 400, data
        assert message is None or message in response.get_data(as_text=True), data
    assert [(f.user_id, f.role) for f in followers.followers_of(person.id)] == [
        (mentor.id, "mentor")
    ]


def test_followers_are_in_the_access_request_and_erased(app, network):
    person, _commitment, _option = _resident_with_follow_up(network)
    mentor = make_user("facilitator", network)
    _name(person, mentor)
    assert export_followup(person)["followed_by"] == [{"name": mentor.name, "as": "mentor"}]
    erase_followup(person)
    db.session.commit()
    assert db.session.scalar(select(func.count(Follower.id))) == 0


def test_the_demo_facilitator_follows_one_resident(app, runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    demo = db.session.execute(select(Network).where(Network.is_demo.is_(True))).scalar_one()
    named = db.session.execute(
        select(User.email)
        .join(Follower, Follower.user_id == User.id)
        .where(Follower.network_id == demo.id)
    ).scalars()
    assert list(named) == ["facilitator@example.org"]


@pytest.mark.commits
def test_removing_a_follower_twice_at_once_removes_it_once(app, client, network):
    """A double click on "remove": one request removes, the others answer 404, never a 500."""
    person = make_participant(network, first_name="Leyla")
    mentor = make_user("facilitator", network)
    _name(person, mentor)
    follower_id = db.session.scalar(select(Follower.id))
    assert log_in(client, make_user("coordinator", network).email).status_code == 200
    page = client.get(f"/followup/participants/{person.id}").get_data(as_text=True)
    data = {"csrf_token": csrf_token_from(page)}
    answers = send_at_once(app, client, f"/followup/followers/{follower_id}/remove", data, 10)
    assert sorted(answer.status for answer in answers) == [302] + [404] * 9
    with db.session.session_factory() as reader:
        assert reader.scalar(select(func.count()).select_from(Follower)) == 0
