"""Inviting facilitators: a one-time, expiring link; only its hash is stored; mail when set up."""

import re
from datetime import timedelta

from netvaerk import timeutil
from netvaerk.activities import services
from netvaerk.activities.models import Invitation
from netvaerk.core.models import Membership, User
from netvaerk.extensions import db
from netvaerk.tasks.models import OutboxMessage

from ..conftest import csrf_token_from, log_in
from ..factories import make_network, make_user

LINK_RE = re.compile(r'value="(http://localhost/activities/invitation/[^"]+)"')


def invite(client, email="lone@example.org", name="Lone Berg") -> str:
    page = client.get("/activities/facilitators").get_data(as_text=True)
    response = client.post(
        "/activities/facilitators",
        data={"csrf_token": csrf_token_from(page), "email": email, "name": name},
    )
    html = response.get_data(as_text=True)
    assert "Invitationen er lavet." in html
    return LINK_RE.search(html).group(1)


def test_invitee_sets_a_password_and_becomes_facilitator(app, client, login_as, network):
    login_as("coordinator")
    link = invite(client)
    token = link.rsplit("/", 1)[1]
    stored = db.session.execute(db.select(Invitation)).scalar_one()
    assert stored.token_hash == services.token_hash(token) and token not in stored.token_hash
    guest = app.test_client()
    page = guest.get(link).get_data(as_text=True)
    assert "lone@example.org" in page
    weak = guest.post(
        link,
        data={
            "csrf_token": csrf_token_from(page),
            "name": "Lone Berg",
            "password": "kort",
            "confirm": "kort",
        },
    )
    assert "Brug mindst 12 tegn." in weak.get_data(as_text=True)
    assert (
        db.session.execute(db.select(User).where(User.email == "lone@example.org")).first() is None
    )
    common = guest.post(
        link,
        data={
            "csrf_token": csrf_token_from(page),
            "name": "Lone Berg",
            "password": "velkommen123",
            "confirm": "velkommen123",
        },
    )
    assert common.status_code == 200
    assert "Adgangskoden er for almindelig." in common.get_data(as_text=True)
    assert (
        db.session.execute(db.select(User).where(User.email == "lone@example.org")).first() is None
    )
    good = guest.post(
        link,
        data={
            "csrf_token": csrf_token_from(page),
            "name": "Lone Berg",
            "password": "en lang og god adgangskode",
            "confirm": "en lang og god adgangskode",
        },
        follow_redirects=True,
    )
    assert "Din konto er klar." in good.get_data(as_text=True)
    user = db.session.execute(db.select(User).where(User.email == "lone@example.org")).scalar_one()
    membership = db.session.execute(
        db.select(Membership).where(Membership.user_id == user.id)
    ).scalar_one()
    assert membership.role == "facilitator" and membership.network_id == network.id
    assert log_in(app.test_client(), user.email, "en lang og god adgangskode").status_code == 200
    # the link works only once
    again = app.test_client().get(link)
    assert again.status_code == 410
    assert "Invitationen er allerede brugt." in again.get_data(as_text=True)


def test_expired_invitation_changes_nothing(app, client, login_as, network, monkeypatch):
    login_as("coordinator")
    link = invite(client)
    later = timeutil.utcnow() + timedelta(hours=app.config["NETVAERK_INVITATION_HOURS"] + 1)
    monkeypatch.setattr(timeutil, "utcnow", lambda: later)
    guest = app.test_client()
    response = guest.get(link)
    assert response.status_code == 410
    assert "Invitationen er udløbet." in response.get_data(as_text=True)
    token = csrf_token_from(guest.get("/login").get_data(as_text=True))
    posted = guest.post(
        link,
        data={
            "csrf_token": token,
            "name": "X",
            "password": "en lang og god adgangskode",
            "confirm": "en lang og god adgangskode",
        },
    )
    assert posted.status_code == 410
    assert (
        db.session.execute(db.select(User).where(User.email == "lone@example.org")).first() is None
    )


def test_unknown_or_revoked_link_is_refused(app, client, login_as, network):
    login_as("coordinator")
    assert app.test_client().get("/activities/invitation/nonsense").status_code == 404
    link = invite(client)
    invitation = db.session.execute(db.select(Invitation)).scalar_one()
    page = client.get("/activities/facilitators").get_data(as_text=True)
    client.post(
        f"/activities/invitations/{invitation.id}/revoke",
        data={"csrf_token": csrf_token_from(page)},
    )
    revoked = app.test_client().get(link)
    assert revoked.status_code == 410
    assert "Invitationslinket er ikke gyldigt." in revoked.get_data(as_text=True)


def test_a_new_invitation_replaces_the_old_one(app, client, login_as, network):
    login_as("coordinator")
    first = invite(client)
    second = invite(client)
    assert app.test_client().get(first).status_code == 410
    assert app.test_client().get(second).status_code == 200


def test_existing_account_joins_with_its_own_password(app, client, login_as, network):
    login_as("coordinator")
    elsewhere = make_user("facilitator", make_network(), email="karen@example.org")
    link = invite(client, email="karen@example.org", name="Karen")
    guest = app.test_client()
    page = guest.get(link).get_data(as_text=True)
    assert "Du har allerede en konto" in page
    wrong = guest.post(
        link, data={"csrf_token": csrf_token_from(page), "password": "forkert-igen-x"}
    )
    assert "Adgangskoden er forkert." in wrong.get_data(as_text=True)
    old_hash = elsewhere.password_hash
    guest.post(link, data={"csrf_token": csrf_token_from(page), "password": "a-long-test-password"})
    db.session.expire_all()
    roles = (
        db.session.execute(
            db.select(Membership.network_id).where(Membership.user_id == elsewhere.id)
        )
        .scalars()
        .all()
    )
    assert network.id in roles
    assert db.session.get(User, elsewhere.id).password_hash == old_hash


def test_member_of_the_network_cannot_be_invited(app, client, login_as, network):
    login_as("coordinator")
    member = make_user("facilitator", network)
    page = client.get("/activities/facilitators").get_data(as_text=True)
    response = client.post(
        "/activities/facilitators",
        data={"csrf_token": csrf_token_from(page), "email": member.email},
    )
    assert "Personen har allerede en rolle i netværket." in response.get_data(as_text=True)
    assert db.session.execute(db.select(Invitation)).first() is None


def test_invitation_is_queued_for_mail_when_smtp_is_configured(app, client, login_as, network):
    app.config.update(NETVAERK_SMTP_HOST="smtp.example.org", NETVAERK_SMTP_PORT=2525)
    login_as("coordinator")
    link = invite(client)
    (message,) = db.session.scalars(db.select(OutboxMessage)).all()
    assert (message.kind, message.recipient_list) == ("activities.invitation", ["lone@example.org"])
    assert link in message.body


def test_a_mail_server_that_is_down_does_not_touch_the_page(app, client, login_as, network):
    # Nothing listens on port 9 (discard): the request only writes the outbox row.
    app.config.update(NETVAERK_SMTP_HOST="127.0.0.1", NETVAERK_SMTP_PORT=9)
    login_as("coordinator")
    assert invite(client).startswith("http://localhost/")
    assert db.session.scalars(db.select(OutboxMessage.status)).all() == ["queued"]
