"""The foundation: languages, login and roles, start pages, CLI, secret key, errors."""

from pathlib import Path

import pytest
from flask import url_for

from netvaerk import create_app
from netvaerk.core.models import Membership, User
from netvaerk.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from netvaerk.extensions import db

from ..conftest import csrf_token_from, log_in
from ..factories import make_network, make_user


def test_login_page_is_danish_by_default_and_english_on_request(client):
    danish = client.get("/login")
    assert danish.status_code == 200
    html = danish.get_data(as_text=True)
    assert '<html lang="da">' in html
    assert "Log ind" in html and "Adgangskode" in html
    english = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(
        as_text=True
    )
    assert '<html lang="en">' in english
    assert "Log in" in english and "Password" in english


def test_language_switch_is_kept(client):
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post("/language", data={"lang": "en", "next": "/login", "csrf_token": token})
    assert response.status_code == 302 and response.location.endswith("/login")
    assert "Log in" in client.get("/login").get_data(as_text=True)


def test_post_without_csrf_token_is_refused(client, network):
    user = make_user("coordinator", network)
    response = client.post("/login", data={"email": user.email, "password": "x" * 20})
    assert response.status_code == 400


def test_anonymous_user_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/login" in response.location


def test_wrong_password_and_unknown_email_get_the_same_answer(client, network):
    user = make_user("coordinator", network)
    wrong = log_in(client, user.email, "not-the-password-at-all")
    unknown = log_in(client, "nobody@example.org", "not-the-password-at-all")
    assert wrong.status_code == unknown.status_code == 200
    message = "E-mail eller adgangskode er forkert."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)


def test_next_parameter_only_goes_to_own_paths(client, network):
    user = make_user("coordinator", network)
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login",
        data={
            "email": user.email,
            "password": "a-long-test-password",
            "next": "//evil.example/x",
            "csrf_token": token,
        },
    )
    assert response.status_code == 302
    assert "evil.example" not in response.location


def test_password_change_ends_other_sessions(app, network):
    user = make_user("coordinator", network)
    first, second = app.test_client(), app.test_client()
    log_in(first, user.email)
    log_in(second, user.email)
    page = first.get("/password").get_data(as_text=True)
    response = first.post(
        "/password",
        data={
            "current_password": "a-long-test-password",
            "new_password": "a-brand-new-passphrase",
            "confirm": "a-brand-new-passphrase",
            "csrf_token": csrf_token_from(page),
        },
    )
    assert response.status_code == 302
    assert first.get("/").status_code in (200, 302)
    assert "/login" not in (first.get("/").location or "")
    assert "/login" in second.get("/").location


@pytest.mark.parametrize(
    ("password", "message"),
    [("short-one", "Brug mindst 12 tegn."), ("password1234", "Adgangskoden er for almindelig.")],
)
def test_weak_new_password_is_refused_and_nothing_changes(app, client, network, password, message):
    user = make_user("coordinator", network)
    log_in(client, user.email)
    old_hash = user.password_hash
    page = client.get("/password").get_data(as_text=True)
    response = client.post(
        "/password",
        data={
            "current_password": "a-long-test-password",
            "new_password": password,
            "confirm": password,
            "csrf_token": csrf_token_from(page),
        },
    )
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.password_hash == old_hash


def test_demo_accounts_log_in_and_land_on_their_start_page(app, runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    for email, _, _ in DEMO_ACCOUNTS:
        assert email in result.output
        client = app.test_client()
        response = log_in(client, email, DEMO_PASSWORD)
        assert response.status_code == 200, email
        assert "Log ind" not in response.get_data(as_text=True).split("<main", 1)[1][:400], email


def test_demo_is_idempotent(app, runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    counts = (db.session.query(User).count(), db.session.query(Membership).count())
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert (db.session.query(User).count(), db.session.query(Membership).count()) == counts


def test_demo_refuses_a_database_with_real_data(app, runner):
    make_network("Rigtigt netværk")
    result = runner.invoke(args=["demo"])
    assert result.exit_code != 0
    assert "--force" in result.output
    assert db.session.query(User).count() == 0
    assert runner.invoke(args=["demo", "--force"]).exit_code == 0


def test_create_user_prompts_for_the_password(app, runner, network):
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "Ny@Example.org",
            "--network",
            network.name,
            "--role",
            "facilitator",
        ],
        input="a-good-long-passphrase\na-good-long-passphrase\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.execute(db.select(User).where(User.email == "ny@example.org")).scalar_one()
    assert user.memberships[0].role == "facilitator"
    assert "a-good-long-passphrase" not in user.password_hash


def test_create_user_refuses_a_short_password(app, runner):
    result = runner.invoke(args=["create-user", "--email", "x@example.org"], input="kort\nkort\n")
    assert result.exit_code != 0
    assert db.session.query(User).count() == 0


def test_secret_key_is_generated_into_the_instance_folder(tmp_path):
    config = {
        "NETVAERK_INSTANCE_PATH": str(tmp_path),
        "TESTING": True,
        "NETVAERK_DATABASE_URL": "sqlite:///" + str(tmp_path / "x.sqlite"),
    }
    first = create_app(config)
    second = create_app(config)
    key_file = Path(tmp_path) / "secret_key"
    assert key_file.exists()
    assert first.secret_key == second.secret_key == key_file.read_text().strip()
    assert len(first.secret_key) >= 32


def test_session_cookie_flags(app, client, network):
    user = make_user("coordinator", network)
    log_in(client, user.email)
    cookie = client.get_cookie("netvaerk_session")
    assert cookie is not None and cookie.http_only
    assert cookie.same_site == "Lax"


def test_unknown_page_answers_a_translated_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Siden findes ikke" in response.get_data(as_text=True)


@pytest.mark.fresh_app  # adds a route
def test_internal_errors_show_a_reference_and_no_trace(app, client):
    @app.route("/boom")
    def boom():
        raise RuntimeError("secret detail")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/boom")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Reference:" in html and "secret detail" not in html and "Traceback" not in html


@pytest.mark.parametrize("role", ["coordinator", "facilitator", "steering", "kiosk", "admin"])
def test_no_page_answers_500_to_any_role(app, client, login_as, role):
    login_as(role)
    with app.test_request_context():
        urls = [
            url_for(rule.endpoint)
            for rule in app.url_map.iter_rules()
            if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static"
        ]
    assert urls
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)


def test_secret_key_from_the_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("NETVAERK_SECRET_KEY", "from-the-environment-0123456789abcdef")
    app = create_app({"NETVAERK_INSTANCE_PATH": str(tmp_path), "TESTING": True})
    assert app.secret_key == "from-the-environment-0123456789abcdef"
    assert not (Path(tmp_path) / "secret_key").exists()


def test_create_network_command_gives_the_defaults(app, runner):
    from netvaerk.core.models import Network
    from netvaerk.core.registry import current_registry

    result = runner.invoke(
        args=["create-network", "Netværket Syd", "--area", "Syd", "--area", "Nord"]
    )
    assert result.exit_code == 0, result.output
    network = db.session.execute(db.select(Network)).scalar_one()
    assert [a.name for a in network.housing_areas] == ["Nord", "Syd"]
    assert current_registry().network_setup  # each capability's defaults ran (tested there)
    again = runner.invoke(args=["create-network", "Netværket Syd", "--area", "Syd"])
    assert again.exit_code != 0 and "exists" in again.output
