"""netvaerk mounted in the example intranet, which has its own Flask-SQLAlchemy, Flask-Login,
Flask-Babel and Flask-Migrate: both keep working, with one user and one transaction."""

from __future__ import annotations

import re
from urllib.parse import unquote

from sqlalchemy import inspect, text
from werkzeug.security import generate_password_hash

from netvaerk.core.models import Membership, Network, User
from netvaerk.core.services import create_network
from netvaerk.extensions import db as netvaerk_db
from netvaerk.sso.host import RECHECK, SESSION_KEY
from netvaerk.sso.models import Identity

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def add_intranet_user(module, username="anna", email="anna@bolig.example", name="Anna Holm"):
    """An employee in the intranet's own user table."""
    module.db.session.add(
        module.IntranetUser(
            username=username,
            email=email,
            name=name,
            password_hash=generate_password_hash("intranet-password", method="pbkdf2:sha256:1000"),
        )
    )
    module.db.session.commit()


def intranet_login(client, username="anna"):
    """Log in on the intranet's own login page."""
    page = client.get("/login").get_data(as_text=True)
    return client.post(
        "/login",
        data={
            "username": username,
            "password": "intranet-password",
            "csrf_token": TOKEN.search(page).group(1),
        },
    )


def give_role(email: str, network_name: str, role: str) -> None:
    """A netvaerk network, and a staff account with a role in it."""
    network = create_network(network_name, ["Hedemarken"])
    user = User(email=email, name="", password_hash=None)
    netvaerk_db.session.add(user)
    netvaerk_db.session.flush()
    netvaerk_db.session.add(Membership(user_id=user.id, network_id=network.id, role=role))
    netvaerk_db.session.commit()


def test_both_sets_of_migrations_apply(make_intranet):
    app = make_intranet()
    with app.app_context():
        engine = netvaerk_db.engine
        tables = set(inspect(engine).get_table_names())
        assert {"intranet_user", "alembic_version", "netvaerk_alembic_version"} <= tables
        assert {"netvaerk_user", "netvaerk_identity", "netvaerk_network"} <= tables
        with engine.connect() as connection:
            host_version = connection.execute(text("SELECT version_num FROM alembic_version"))
            assert host_version.scalar_one() == "0001_intranet_users"
            ours = connection.execute(text("SELECT version_num FROM netvaerk_alembic_version"))
            assert ours.scalar_one().startswith("00")


def test_netvaerk_uses_the_hosts_session(make_intranet, intranet_module):
    app = make_intranet()
    with app.test_request_context():
        assert netvaerk_db.session() is intranet_module.db.session()
        assert app.extensions["sqlalchemy"] is intranet_module.db


def test_the_intranets_own_pages_still_work(make_intranet, intranet_module):
    app = make_intranet()
    with app.app_context():
        add_intranet_user(intranet_module)
    client = app.test_client()
    assert client.get("/").status_code == 302
    assert "Log ind på intranettet" in client.get("/login").get_data(as_text=True)
    assert intranet_login(client).status_code == 302
    front = client.get("/").get_data(as_text=True)
    assert "Velkommen, Anna Holm" in front and "Boligforeningens intranet" in front
    token = TOKEN.search(front).group(1)
    client.post("/sprog", data={"lang": "en", "csrf_token": token})
    assert "Welcome, Anna Holm" in client.get("/").get_data(as_text=True)


def test_netvaerks_pages_work_for_the_intranets_user(make_intranet, intranet_module):
    app = make_intranet()
    with app.app_context():
        add_intranet_user(intranet_module)
        give_role("anna@bolig.example", "Hedemarken", "coordinator")
    client = app.test_client()
    intranet_login(client)
    page = client.get("/netvaerk/", follow_redirects=True)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Boligforeningens intranet" in html and "Jobnetværk" in html  # the host's frame
    assert "Hedemarken" in html and "Deltagere" in html  # netvaerk's page, in Danish
    assert "/netvaerk/static/netvaerk.css" in html
    token = TOKEN.search(html).group(1)
    client.post("/sprog", data={"lang": "en", "csrf_token": token})
    english = client.get("/netvaerk/", follow_redirects=True).get_data(as_text=True)
    assert "Participants" in english and "Job networks" in english
    with app.app_context():
        identity = netvaerk_db.session.execute(netvaerk_db.select(Identity)).scalar_one()
        assert identity.issuer == "host"


def test_anonymous_visitors_go_to_the_intranets_login(make_intranet):
    app = make_intranet()
    client = app.test_client()
    for page in ("/netvaerk/", "/netvaerk/participants/", "/netvaerk/login"):
        response = client.get(page)
        while response.status_code == 302 and "/netvaerk/" in response.location.split("?")[0]:
            response = client.get(response.location)
        assert response.status_code == 302, page
        assert response.location.split("?")[0] == "/login", response.location
        if page != "/netvaerk/login":
            assert "/netvaerk/" in unquote(response.location.split("next=")[1])


def test_a_new_intranet_user_gets_an_account_without_a_role(make_intranet, intranet_module):
    app = make_intranet()
    with app.app_context():
        add_intranet_user(intranet_module, "bo", "bo@bolig.example", "Bo Berg")
    client = app.test_client()
    intranet_login(client, "bo")
    assert client.get("/netvaerk/").status_code == 403
    with app.app_context():
        user = netvaerk_db.session.execute(
            netvaerk_db.select(User).where(User.email == "bo@bolig.example")
        ).scalar_one()
        assert user.memberships == [] and user.password_hash is None


def test_the_intranets_groups_give_and_take_roles(make_intranet, intranet_module):
    groups = ["netvaerk-hedemarken-facilitator"]
    app = make_intranet(
        NETVAERK_HOST_USER=lambda user: {
            "subject": user.username,
            "email": user.email,
            "name": user.name,
            "groups": list(groups),
        },
        NETVAERK_SSO_GROUP_ROLES={"netvaerk-hedemarken-facilitator": "Hedemarken:facilitator"},
    )
    with app.app_context():
        add_intranet_user(intranet_module)
        create_network("Hedemarken", ["Hedemarken"])
        netvaerk_db.session.commit()
    client = app.test_client()
    intranet_login(client)
    assert client.get("/netvaerk/", follow_redirects=True).status_code == 200
    with app.app_context():
        rows = netvaerk_db.session.execute(
            netvaerk_db.select(Network.name, Membership.role).join(Membership.network)
        ).all()
        assert [tuple(row) for row in rows] == [("Hedemarken", "facilitator")]
    groups.clear()  # the intranet takes the group away
    assert client.get("/netvaerk/", follow_redirects=True).status_code == 200  # checked lately
    with client.session_transaction() as session:
        session[SESSION_KEY] = [*session[SESSION_KEY][:2], session[SESSION_KEY][2] - RECHECK]
    assert client.get("/netvaerk/").status_code == 403  # checked again: no role any more
    with app.app_context():
        assert netvaerk_db.session.execute(netvaerk_db.select(Membership)).first() is None


def test_logging_out_of_netvaerk_logs_out_of_the_intranet(make_intranet, intranet_module):
    app = make_intranet()
    with app.app_context():
        add_intranet_user(intranet_module)
        give_role("anna@bolig.example", "Hedemarken", "coordinator")
    client = app.test_client()
    intranet_login(client)
    html = client.get("/netvaerk/", follow_redirects=True).get_data(as_text=True)
    client.post("/netvaerk/logout", data={"csrf_token": TOKEN.search(html).group(1)})
    assert client.get("/").status_code == 302
