"""Every POST without a valid CSRF token is refused; no GET request changes the database."""

import pytest

from netvaerk.extensions import csrf

from . import harness
from .harness import CSRF_CHECKED_POST_ROUTES, DECLARED, GET_ROUTES, ROLE_NETWORK, ROLES


def _allowed_role(endpoint: str) -> str:
    """A logged-in role that may use the route (the coordinator when nobody may)."""
    for role in ("coordinator", "admin", "facilitator", "steering", "kiosk"):
        if harness.as_set(DECLARED.access.get(endpoint, {}).get(role, "")) & harness.SUCCESS:
            return role
    return "coordinator"


def test_only_the_declared_routes_take_no_csrf_token(app):
    exempt = {
        f"{view.__module__}.{view.__name__}"
        for endpoint, view in app.view_functions.items()
        if endpoint in DECLARED.csrf_exempt
    }
    assert len(exempt) == len(DECLARED.csrf_exempt)
    assert set(csrf._exempt_views) == exempt


@pytest.mark.parametrize("route", CSRF_CHECKED_POST_ROUTES, ids=lambda r: r.endpoint)
def test_post_without_a_valid_csrf_token_is_refused(app, route):
    world = harness.build_world()
    for role, token in (
        (role, token)
        for role in ("anonymous", _allowed_role(route.endpoint))
        for token in ("missing", "forged", "another-session")
    ):
        client = harness.login_client(app, world, role)
        own = world.net(ROLE_NETWORK[role] or "home")
        url = harness.url_for_route(app, route, own)
        data = (
            dict(DECLARED.post_data[route.endpoint](own))
            if route.endpoint in DECLARED.post_data
            else {}
        )
        if token == "forged":
            data["csrf_token"] = "IjAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAi.forged"
        elif token == "another-session":
            data["csrf_token"] = harness.csrf_token(app.test_client())
        before = harness.snapshot()
        response = client.post(url, data=data)
        assert response.status_code == 400, (url, role, token, response.status_code)
        assert "Formularen kunne ikke sendes" in response.get_data(as_text=True)
        assert harness.changes(before, harness.snapshot()) == [], (url, role, token)


@pytest.mark.parametrize("role", ROLES)
def test_get_requests_change_nothing(app, role):
    world = harness.build_world()
    client = harness.login_client(app, world, role)
    own = world.net(ROLE_NETWORK[role] or "home")
    other = world.foreign if own is world.home else world.home
    for route in GET_ROUTES:
        for net in (own, other):
            url = harness.url_for_route(app, route, net)
            before = harness.snapshot()
            response = client.get(url)
            response.close()
            assert response.status_code < 500, (url, role, response.status_code)
            assert harness.changes(before, harness.snapshot()) == [], (
                f"GET {url} as {role} changed the database"
            )
