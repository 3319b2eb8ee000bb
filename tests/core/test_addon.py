"""netvaerk mounted into a host intranet as an add-on."""

import pytest
from flask import Flask, render_template_string

from netvaerk import Netvaerk
from netvaerk.extensions import db

from ..conftest import csrf_token_from
from ..factories import PASSWORD, make_network, make_user

HOST_BASE = """<!doctype html><html lang="{{ current_locale }}"><head>
<title>{% block title %}{% endblock %}</title>
{% block head %}{% endblock %}</head><body><header>HOST INTRANET MENU</header>
<main id="main">{% block content %}{% endblock %}</main></body></html>"""


def make_host(tmp_path, database_url):
    from jinja2 import DictLoader

    host = Flask("host_intranet", instance_path=str(tmp_path))
    host.config.update(
        SECRET_KEY="host-secret",
        TESTING=True,
        SQLALCHEMY_DATABASE_URI=database_url,
        NETVAERK_BASE_TEMPLATE="host/base.html",
        NETVAERK_PASSWORD_HASH_METHOD="pbkdf2:sha256:1000",
    )
    host.jinja_loader = DictLoader({"host/base.html": HOST_BASE})

    @host.route("/")
    def host_home():
        return render_template_string("host front page")

    Netvaerk(host, url_prefix="/intranet/netvaerk")
    return host


@pytest.mark.commits
def test_mounted_under_a_prefix_inside_the_host_layout(app, tmp_path, database_url):
    network = make_network()
    user = make_user("coordinator", network)
    host = make_host(tmp_path, database_url)
    client = host.test_client()

    assert client.get("/").get_data(as_text=True) == "host front page"
    login_page = client.get("/intranet/netvaerk/login")
    html = login_page.get_data(as_text=True)
    assert login_page.status_code == 200
    assert "HOST INTRANET MENU" in html
    assert 'action="/intranet/netvaerk/language"' in html
    assert "/intranet/netvaerk/static/netvaerk.css" in html

    response = client.post(
        "/intranet/netvaerk/login",
        data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_token_from(html)},
    )
    assert response.status_code == 302
    assert response.location.endswith("/intranet/netvaerk/")
    start = client.get("/intranet/netvaerk/")
    assert start.status_code == 200
    page = start.get_data(as_text=True)
    assert "HOST INTRANET MENU" in page and network.name in page
    assert 'href="/intranet/netvaerk/' in page

    static = client.get("/intranet/netvaerk/static/netvaerk.css")
    assert static.status_code == 200 and b"--brand" in static.data
    static.close()
    assert client.get("/").status_code == 200
    with host.app_context():
        db.session.remove()
        db.engine.dispose()


def test_mounted_app_has_the_commands_under_a_group(tmp_path, database_url):
    host = make_host(tmp_path, database_url)
    result = host.test_cli_runner().invoke(args=["netvaerk", "--help"])
    assert result.exit_code == 0
    assert "demo" in result.output and "create-user" in result.output
