"""Single sign-on through a real OpenID provider: accounts, roles from groups, bad answers."""

from __future__ import annotations

import time
from urllib.parse import parse_qsl, urlsplit

import pytest
from authlib.integrations.flask_client import FlaskOAuth2App
from joserfc import jwt
from joserfc.jwk import RSAKey

from netvaerk.core.models import Membership, Network, User
from netvaerk.extensions import db
from netvaerk.sso.models import Identity

from ..conftest import csrf_token_from, log_in
from ..factories import PASSWORD, make_network, make_user
from .conftest import sso_login, through_provider, with_query

ANNA = {
    "email": "anna@bolig.example",
    "email_verified": True,
    "name": "Anna Holm",
    "groups": ["all-staff", "netvaerk-hedemarken-coordinator", "netvaerk-vollsmose-steering"],
}


@pytest.fixture
def networks(sso_app):
    """The two networks the test groups name."""
    return make_network("Hedemarken"), make_network("Vollsmose")


@pytest.fixture
def client(sso_app):
    """A client of the SSO app that reads English."""
    client = sso_app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def roles_of(email: str) -> dict[str, str]:
    """Network name -> role of the account with this e-mail, read fresh from the database."""
    db.session.remove()
    rows = db.session.execute(
        db.select(Network.name, Membership.role)
        .join(Membership, Membership.network_id == Network.id)
        .join(User, User.id == Membership.user_id)
        .where(User.email == email)
    ).all()
    return dict(rows)


def account_count() -> int:
    db.session.remove()
    return len(db.session.execute(db.select(User.id)).all())


def test_login_page_offers_the_intranet(client, networks):
    page = client.get("/login").get_data(as_text=True)
    assert "Log in with Boligforeningens intranet" in page
    assert 'name="password"' in page


def test_the_authorization_request_carries_state_nonce_and_pkce(client, networks):
    location = client.get("/sso/login").location
    query = dict(parse_qsl(urlsplit(location).query))
    assert query["response_type"] == "code" and query["code_challenge_method"] == "S256"
    assert len(query["state"]) >= 20 and len(query["nonce"]) >= 20
    assert len(query["code_challenge"]) >= 43
    assert "openid" in query["scope"].split() and "groups" in query["scope"].split()


def test_first_login_creates_the_account_and_maps_groups_to_roles(client, networks, oidc_provider):
    oidc_provider.set_users({"anna": ANNA})
    response = sso_login(client, "anna")
    assert response.status_code == 302 and response.location.endswith("/")
    assert roles_of("anna@bolig.example") == {"Hedemarken": "coordinator", "Vollsmose": "steering"}
    user = db.session.execute(db.select(User).where(User.email == ANNA["email"])).scalar_one()
    assert user.password_hash is None and user.name == "Anna Holm"
    identity = db.session.execute(db.select(Identity)).scalar_one()
    assert (identity.issuer, identity.subject, identity.user_id) == (
        oidc_provider.issuer,
        "anna",
        user.id,
    )
    home = client.get("/", follow_redirects=True)
    assert home.status_code == 200 and "Hedemarken" in home.get_data(as_text=True)


def test_an_existing_account_is_linked_by_email_and_keeps_its_own_roles(
    client, networks, oidc_provider
):
    hedemarken, _vollsmose = networks
    elsewhere = make_network("Gellerup")
    existing_id = make_user("facilitator", elsewhere, email="anna@bolig.example").id
    oidc_provider.set_users({"anna": ANNA})
    assert sso_login(client, "anna").status_code == 302
    assert account_count() == 1
    assert roles_of("anna@bolig.example") == {
        "Gellerup": "facilitator",
        "Hedemarken": "coordinator",
        "Vollsmose": "steering",
    }
    identity = db.session.execute(db.select(Identity)).scalar_one()
    assert identity.user_id == existing_id


def test_removing_a_group_removes_the_role_at_the_next_login(sso_app, networks, oidc_provider):
    elsewhere = make_network("Gellerup")
    make_user("facilitator", elsewhere, email="anna@bolig.example")
    oidc_provider.set_users({"anna": ANNA})
    assert sso_login(sso_app.test_client(), "anna").status_code == 302
    fewer = dict(ANNA, groups=["netvaerk-hedemarken-facilitator"])
    oidc_provider.set_users({"anna": fewer})
    assert sso_login(sso_app.test_client(), "anna").status_code == 302
    # Vollsmose's role came from a group that is gone; Hedemarken follows the new group;
    # the role an administrator gave by hand in Gellerup stays.
    assert roles_of(ANNA["email"]) == {"Gellerup": "facilitator", "Hedemarken": "facilitator"}


def test_the_same_subject_logs_in_again_without_a_second_account(client, networks, oidc_provider):
    oidc_provider.set_users({"anna": ANNA})
    sso_login(client, "anna")
    client.post("/logout", data={"csrf_token": _token(client)})
    oidc_provider.set_users({"anna": dict(ANNA, email="anna.holm@bolig.example")})
    assert sso_login(client, "anna").status_code == 302
    assert account_count() == 1


def _token(client) -> str:
    return csrf_token_from(client.get("/", follow_redirects=True).get_data(as_text=True))


# --- Bad answers: refused with a clear message, no account created or changed -----------------


def _refused(client, response, message: str) -> None:
    assert response.status_code == 302 and response.location.endswith("/login")
    page = client.get("/login").get_data(as_text=True)
    assert message in page
    assert client.get("/").status_code == 302  # still not logged in


def _replace_id_token(monkeypatch, change) -> None:
    """Let the token response carry another ID token (a forger between us and the provider)."""
    original = FlaskOAuth2App.fetch_access_token

    def tampered(self, *args, **kwargs):
        token = original(self, *args, **kwargs)
        token["id_token"] = change(token["id_token"])
        return token

    monkeypatch.setattr(FlaskOAuth2App, "fetch_access_token", tampered)


def _resign(provider, id_token: str, key=None, **claims) -> str:
    decoded = jwt.decode(id_token, provider.signing_key)
    header = {"alg": "RS256", "kid": "netvaerk-test"}
    return jwt.encode(header, {**decoded.claims, **claims}, key or provider.signing_key)


UNVERIFIABLE = "The sign-in through the intranet could not be verified"


def test_a_forged_id_token_is_refused(client, networks, oidc_provider, monkeypatch):
    oidc_provider.set_users({"anna": ANNA})
    forger = RSAKey.generate_key(2048, private=True)
    _replace_id_token(monkeypatch, lambda token: _resign(oidc_provider, token, key=forger))
    _refused(client, sso_login(client, "anna"), UNVERIFIABLE)
    assert account_count() == 0


def test_an_expired_id_token_is_refused(client, networks, oidc_provider, monkeypatch):
    oidc_provider.set_users({"anna": ANNA})
    now = int(time.time())
    _replace_id_token(
        monkeypatch, lambda token: _resign(oidc_provider, token, iat=now - 7200, exp=now - 3600)
    )
    _refused(client, sso_login(client, "anna"), UNVERIFIABLE)
    assert account_count() == 0


def test_an_id_token_from_an_unknown_issuer_is_refused(
    client, networks, oidc_provider, monkeypatch
):
    oidc_provider.set_users({"anna": ANNA})
    _replace_id_token(
        monkeypatch, lambda token: _resign(oidc_provider, token, iss="https://evil.example")
    )
    _refused(client, sso_login(client, "anna"), UNVERIFIABLE)
    assert account_count() == 0


def test_a_provider_naming_another_issuer_is_refused(make_sso_app, oidc_provider):
    # The same server reached under another name: its discovery document names 127.0.0.1.
    app = make_sso_app(NETVAERK_OIDC_ISSUER=oidc_provider.issuer.replace("127.0.0.1", "localhost"))
    with app.app_context():
        client = app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        response = client.get("/sso/login")
        _refused(client, response, "The login service is not the one netvaerk trusts")
        assert account_count() == 0


def test_a_wrong_state_is_refused(client, networks, oidc_provider):
    oidc_provider.set_users({"anna": ANNA})
    response = sso_login(
        client, "anna", tamper_callback=lambda url: with_query(url, state="forged-state")
    )
    _refused(client, response, UNVERIFIABLE)
    assert account_count() == 0


def test_a_callback_of_another_browser_is_refused(sso_app, networks, oidc_provider):
    """A code obtained in the attacker's browser, planted in the victim's: no state there."""
    oidc_provider.set_users({"anna": ANNA})
    attacker = sso_app.test_client()
    victim = sso_app.test_client()
    victim.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    authorize_url = attacker.get("/sso/login").location
    callback = through_provider(authorize_url, "anna", stop_at="http://localhost/")
    _refused(victim, victim.get(callback.removeprefix("http://localhost")), UNVERIFIABLE)
    assert account_count() == 0


def test_a_wrong_nonce_is_refused(client, networks, oidc_provider):
    oidc_provider.set_users({"anna": ANNA})
    response = sso_login(
        client, "anna", tamper_authorize=lambda url: with_query(url, nonce="another-nonce")
    )
    _refused(client, response, UNVERIFIABLE)
    assert account_count() == 0


def test_a_group_of_a_network_that_does_not_exist_is_refused(client, networks, oidc_provider):
    make_user("facilitator", networks[0], email="anna@bolig.example")
    groups = ["netvaerk-vollsmose-steering", "netvaerk-nowhere-coordinator"]
    oidc_provider.set_users({"anna": dict(ANNA, groups=groups)})
    _refused(client, sso_login(client, "anna"), "which does not exist in netvaerk")
    assert roles_of("anna@bolig.example") == {"Hedemarken": "facilitator"}
    assert db.session.execute(db.select(Identity)).first() is None


def test_a_netvaerk_group_missing_from_the_mapping_is_refused(client, networks, oidc_provider):
    oidc_provider.set_users({"anna": dict(ANNA, groups=["netvaerk-hedemarken-janitor"])})
    _refused(client, sso_login(client, "anna"), "does not match any network in netvaerk")
    assert account_count() == 0


def test_no_netvaerk_group_creates_no_account(client, networks, oidc_provider):
    oidc_provider.set_users({"anna": dict(ANNA, groups=["all-staff"])})
    _refused(client, sso_login(client, "anna"), "You have no role in any network")
    assert account_count() == 0


# --- Password login switched off, and logout ---------------------------------------------------


def test_password_login_can_be_switched_off(make_sso_app, oidc_provider):
    app = make_sso_app(NETVAERK_PASSWORD_LOGIN=False)
    with app.app_context():
        network = make_network("Hedemarken")
        user = make_user("coordinator", network)
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        assert "Log ind med Boligforeningens intranet" in page  # Danish first
        assert 'name="password"' not in page
        response = client.post(
            "/login",
            data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_token_from(page)},
        )
        assert response.status_code == 404
        assert client.get("/").status_code == 302


def test_password_login_still_works_beside_sso(sso_app, client, networks):
    user = make_user("coordinator", networks[0])
    assert log_in(client, user.email).status_code == 200
    assert client.get("/", follow_redirects=True).status_code == 200


def test_logout_ends_the_session_and_offers_the_providers_end_session(
    client, networks, oidc_provider
):
    oidc_provider.set_users({"anna": ANNA})
    sso_login(client, "anna")
    response = client.post("/logout", data={"csrf_token": _token(client)})
    assert response.status_code == 302 and response.location.endswith("/sso/logged-out")
    page = client.get("/sso/logged-out").get_data(as_text=True)
    assert "Log out of Boligforeningens intranet too" in page
    assert oidc_provider.issuer + "/session/end?" in page.replace("&amp;", "&")
    assert "id_token_hint=" in page
    assert client.get("/").status_code == 302  # netvaerk's session is over
