"""Pages opened through a secret link are not cached and are rate limited (issue #21, part 6)."""

from ..activities.test_invitations import invite


def test_invitation_page_is_not_stored(app, client, login_as):
    login_as("coordinator")
    link = invite(client).removeprefix("http://localhost")
    page = app.test_client().get(link)
    assert page.status_code == 200
    assert "lone@example.org" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"


def test_unknown_links_are_not_stored_either(client):
    for url in ("/activities/invitation/nonsense", "/evaluations/a/nonsense"):
        assert client.get(url).headers.get("Cache-Control") == "no-store", url


def test_secret_links_share_one_rate_limit_per_address(app):
    app.config["NETVAERK_RATELIMIT_TOKEN"] = "4 per minute"
    guesser = app.test_client()
    urls = [f"/evaluations/a/guess{n}" for n in range(2)]
    urls += [f"/activities/invitation/guess{n}" for n in range(2)]
    assert 429 not in [guesser.get(url).status_code for url in urls]
    assert guesser.get("/evaluations/a/guess9").status_code == 429
    assert guesser.get("/activities/invitation/guess9").status_code == 429
    elsewhere = guesser.get("/evaluations/a/guess9", environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert elsewhere.status_code != 429
