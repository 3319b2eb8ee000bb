"""Activities and hostile input: token links, ids and the feed (issue 8).

Activities hold no data about participants (facilitators are staff accounts and wishes are
recorded without names), so this capability registers no personal-data hooks.
"""

from datetime import date, timedelta

from sqlalchemy import select

from netvaerk import timeutil
from netvaerk.activities import services
from netvaerk.activities.models import Invitation, SignUp
from netvaerk.core import registry
from netvaerk.core.models import Membership
from netvaerk.extensions import db

from ..conftest import csrf_token_from
from ..factories import make_activity, make_signup, make_user


def _invitation(network, token, **fields):
    invitation = Invitation(
        network_id=network.id,
        email="ny@example.org",
        token_hash=services.token_hash(token),
        expires_at=fields.pop("expires_at", timeutil.utcnow() + timedelta(days=1)),
        **fields,
    )
    db.session.add(invitation)
    db.session.commit()
    return invitation


def test_activities_keep_no_personal_data_of_participants(app):
    assert "activities" not in registry.current_registry().exporters


def test_unknown_used_and_expired_invitations_are_refused(app, client, network):
    assert client.get("/activities/invitation/unknown").status_code == 404
    assert client.get("/activities/invitation/" + "x" * 5000).status_code == 404
    _invitation(network, "used-token", used_at=timeutil.utcnow())
    _invitation(network, "old-token", expires_at=timeutil.utcnow() - timedelta(minutes=1))
    _invitation(network, "revoked-token", revoked_at=timeutil.utcnow())
    assert client.get("/activities/invitation/used-token").status_code == 410
    assert client.get("/activities/invitation/old-token").status_code == 410
    assert client.get("/activities/invitation/revoked-token").status_code == 410
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/activities/invitation/old-token",
        data={"csrf_token": token, "password": "x" * 20, "confirm": "x" * 20, "name": "Ny"},
    )
    assert response.status_code == 410
    assert db.session.execute(select(Membership)).first() is None


def test_feed_answers_404_for_unknown_tokens_and_former_facilitators(app, client, network):
    assert client.get("/activities/calendar/unknown.ics").status_code == 404
    facilitator = make_user("facilitator", network)
    make_signup(make_activity(network, date(2026, 3, 4)), facilitator)
    token = services.renew_feed(facilitator.id, network.id)
    db.session.commit()  # services only flush
    assert client.get(f"/activities/calendar/{token}.ics").status_code == 200
    db.session.execute(Membership.__table__.delete().where(Membership.user_id == facilitator.id))
    db.session.commit()
    assert client.get(f"/activities/calendar/{token}.ics").status_code == 404


def test_ids_too_large_for_the_database_answer_404(app, client, login_as, network):
    login_as("coordinator")
    huge = "9" * 25
    assert client.get(f"/activities/{huge}").status_code == 404
    assert client.get(f"/activities/types/{huge}").status_code == 404


def test_a_number_no_account_can_have_is_refused_when_giving_a_place(
    app, client, login_as, network
):
    login_as("coordinator")
    activity = make_activity(network, timeutil.local_today() + timedelta(days=7))
    url = f"/activities/{activity.id}"
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    response = client.post(
        f"{url}/assign", data={"csrf_token": token, "user_id": "9" * 25}, follow_redirects=True
    )
    assert response.status_code == 200
    assert "Vælg en facilitator på listen." in response.get_data(as_text=True)
    assert db.session.execute(select(SignUp)).first() is None
