"""Login by a reverse proxy's user header: accepted only from the listed proxy addresses."""

from __future__ import annotations

import threading

import pytest

from netvaerk import create_app
from netvaerk.core.models import Membership, User
from netvaerk.extensions import db
from netvaerk.sso.models import Identity

from ..conftest import IsolatedClient, _config, _empty_all_tables
from ..factories import make_network, make_user

PROXY = "10.0.0.5"


@pytest.fixture
def proxy_app(_schema, database_url, tmp_path):
    """An app that trusts X-Remote-User from 10.0.0.5 and the 10.1.0.0/16 network only."""
    config = _config(database_url, str(tmp_path / "instance"))
    config.update(
        NETVAERK_PROXY_USER_HEADER="X-Remote-User",
        NETVAERK_PROXY_GROUPS_HEADER="X-Remote-Groups",
        NETVAERK_PROXY_ADDRESSES=f"{PROXY}, 10.1.0.0/16",
        NETVAERK_SSO_GROUP_ROLES={"netvaerk-hedemarken-facilitator": "Hedemarken:facilitator"},
    )
    app = create_app(config)
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        _empty_all_tables()
        db.session.remove()
        db.engine.dispose()


def client_from(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_the_header_from_a_listed_proxy_logs_in(proxy_app):
    network = make_network("Hedemarken")
    make_user("coordinator", network, email="anna@bolig.example")
    client = client_from(proxy_app, PROXY)
    page = client.get("/", headers={"X-Remote-User": "anna@bolig.example"}, follow_redirects=True)
    assert page.status_code == 200 and page.request.path != "/login"
    assert "Hedemarken" in page.get_data(as_text=True)
    db.session.remove()
    identity = db.session.execute(db.select(Identity)).scalar_one()
    assert (identity.issuer, identity.subject) == ("proxy", "anna@bolig.example")


@pytest.mark.parametrize("address", ["10.0.0.9", "192.168.1.5", "127.0.0.1"])
def test_the_header_from_an_unlisted_address_is_ignored(proxy_app, address):
    network = make_network("Hedemarken")
    make_user("coordinator", network, email="anna@bolig.example")
    client = client_from(proxy_app, address)
    response = client.get(
        "/", headers={"X-Remote-User": "anna@bolig.example", "X-Forwarded-For": PROXY}
    )
    assert response.status_code == 302 and "/login" in response.location
    db.session.remove()
    assert db.session.execute(db.select(Identity)).first() is None


def test_a_proxy_network_and_groups_give_an_account_and_roles(proxy_app):
    make_network("Hedemarken")
    client = client_from(proxy_app, "10.1.2.3")
    headers = {
        "X-Remote-User": "bo@bolig.example",
        "X-Remote-Groups": "netvaerk-hedemarken-facilitator",
    }
    assert "/login" not in (client.get("/", headers=headers).location or "")
    db.session.remove()
    user = db.session.execute(db.select(User).where(User.email == "bo@bolig.example")).scalar_one()
    assert [m.role for m in user.memberships] == ["facilitator"]


def test_simultaneous_first_logins_make_one_account(proxy_app):
    """Two first requests of the same person at once: one account, one link, no error."""
    make_network("Hedemarken")
    headers = {
        "X-Remote-User": "cy@bolig.example",
        "X-Remote-Groups": "netvaerk-hedemarken-facilitator",
    }
    barrier = threading.Barrier(4)
    statuses = []

    def visit():
        client = client_from(proxy_app, PROXY)
        barrier.wait()
        statuses.append(client.get("/", headers=headers).status_code)

    threads = [threading.Thread(target=visit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(statuses) == 4 and all(status < 500 for status in statuses), statuses
    db.session.remove()
    assert len(db.session.execute(db.select(User.id)).all()) == 1
    assert len(db.session.execute(db.select(Identity.id)).all()) == 1
    assert len(db.session.execute(db.select(Membership.id)).all()) == 1


def test_a_first_sign_in_survives_the_error_page_of_its_request(proxy_app):
    """The sign-in before the view is committed through the boundary (commit_sign_in): the
    404 of the page asked for rolls back the view's work, not the account the session names."""
    make_network("Hedemarken")
    client = client_from(proxy_app, PROXY)
    headers = {
        "X-Remote-User": "dea@bolig.example",
        "X-Remote-Groups": "netvaerk-hedemarken-facilitator",
    }
    assert client.get("/meetings/999999/register", headers=headers).status_code == 404
    db.session.remove()
    user = db.session.execute(db.select(User).where(User.email == "dea@bolig.example")).scalar_one()
    assert [m.role for m in user.memberships] == ["facilitator"]
    assert client.get("/", headers=headers).status_code == 200
