"""Links sent or shown come from NETVAERK_BASE_URL, never from a forged Host header; standalone,
requests for any other host answer 400 (issue #21, part 4)."""

import re

import pytest

from netvaerk import create_app
from netvaerk.config import base_url_host, trusted_hosts
from netvaerk.extensions import db

from ..conftest import IsolatedClient, _config, csrf_token_from, log_in
from ..evaluations.helpers import make_form
from ..factories import make_participant, make_user

BASE = "https://netvaerk.example.dk"
LINK_RE = re.compile(r'(https?://[^/"\s]+)/(?:activities|evaluations)/[^"\s<]+')


class ForgedHostClient(IsolatedClient):
    """A browser whose requests name `Host: evil.example`."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("base_url", "http://evil.example")
        return super().open(*args, **kwargs)


@pytest.fixture
def forged(app, network):
    """A coordinator's client with a forged Host header, on an app without SERVER_NAME (as in
    production) whose base URL is set."""
    app.config["SERVER_NAME"] = None
    app.config["NETVAERK_BASE_URL"] = BASE
    app.test_client_class = ForgedHostClient
    client = app.test_client()
    user = make_user("coordinator", network)
    assert log_in(client, user.email).status_code == 200
    return client


def _hosts_of_links(html: str) -> set[str]:
    return set(LINK_RE.findall(html))


def test_invitation_link_uses_the_base_url(forged):
    page = forged.get("/activities/facilitators").get_data(as_text=True)
    response = forged.post(
        "/activities/facilitators",
        data={"csrf_token": csrf_token_from(page), "email": "lone@example.org", "name": "Lone"},
    )
    assert _hosts_of_links(response.get_data(as_text=True)) == {BASE}


def test_calendar_link_uses_the_base_url(forged):
    page = forged.get("/activities/calendar").get_data(as_text=True)
    response = forged.post("/activities/calendar", data={"csrf_token": csrf_token_from(page)})
    assert _hosts_of_links(response.get_data(as_text=True)) == {BASE}


def test_answer_link_uses_the_base_url(forged, network):
    form = make_form(network)
    person = make_participant(network)
    page = forged.get("/evaluations/").get_data(as_text=True)
    response = forged.post(
        "/evaluations/offer",
        data={
            "csrf_token": csrf_token_from(page),
            "participant_id": person.id,
            "form_id": form.id,
            "link": "1",
        },
    )
    assert response.status_code == 200
    assert _hosts_of_links(response.get_data(as_text=True)) == {BASE}


@pytest.mark.commits
def test_standalone_app_answers_400_to_other_hosts(app, database_url, tmp_path):
    config = _config(database_url, str(tmp_path / "hosts"))
    config.update(SERVER_NAME=None, NETVAERK_BASE_URL=BASE)
    hosted = create_app(config)
    client = hosted.test_client()
    assert client.get("/login", base_url=BASE).status_code == 200
    assert client.get("/login", base_url="http://evil.example").status_code == 400
    assert client.get("/no-such-page", base_url="http://evil.example").status_code == 400
    with hosted.app_context():
        db.session.remove()
        db.engine.dispose()


def test_trusted_hosts_from_the_base_url_and_the_list():
    config = {"NETVAERK_BASE_URL": BASE, "NETVAERK_TRUSTED_HOSTS": "intra.example.dk, "}
    assert trusted_hosts(config) == ["netvaerk.example.dk", "intra.example.dk"]
    assert trusted_hosts({}) is None


@pytest.mark.parametrize("value", ["netvaerk.example.dk", "ftp://x.dk", "https://x.dk/netvaerk"])
def test_a_base_url_that_is_not_scheme_and_host_is_refused(value):
    with pytest.raises(ValueError):
        base_url_host(value)
