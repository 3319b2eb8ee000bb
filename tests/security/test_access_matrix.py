"""The access matrix: every route, every role, ids of one's own and of another network.

Also checks every answer for leaks between networks, person-level data shown to the steering
group, and the XSS payload coming back unescaped. See harness.py for how routes are declared.
"""

import pytest

from . import harness
from .harness import DECLARED, ROLE_NETWORK, ROLES, ROUTES


def test_every_route_is_in_the_matrix():
    missing = [route.endpoint for route in ROUTES if route.endpoint not in DECLARED.access]
    assert missing == [], (
        "Routes without an entry in the access matrix (declare them in "
        f"tests/<capability>/access.py, see tests/security/harness.py): {missing}"
    )


def test_the_matrix_names_no_missing_route():
    known = {route.endpoint for route in ROUTES}
    stale = sorted(set(DECLARED.access) - known)
    assert stale == [], f"Matrix entries for endpoints that do not exist: {stale}"


def test_routes_with_arguments_declare_them():
    missing = [
        route.endpoint
        for route in ROUTES
        if route.arguments and route.endpoint not in DECLARED.url_args
    ]
    assert missing == [], f"Routes with URL arguments but no URL_ARGS entry: {missing}"


CASES = [
    pytest.param(route, role, id=f"{route.endpoint}-{role}")
    for route in ROUTES
    if route.endpoint in DECLARED.access
    for role in ROLES
]


@pytest.mark.parametrize(("route", "role"), CASES)
def test_access(app, world, route, role):
    client = harness.login_client(app, world, role)
    token = harness.csrf_token(client) if route.probe_method == "POST" else None
    expected = DECLARED.access[route.endpoint][role]
    own = ROLE_NETWORK[role] or "home"
    tries = [(world.net(own), expected)]
    if ROLE_NETWORK[role] is not None and harness.network_dependent(route, world):
        foreign = world.foreign if own == "home" else world.home
        override = DECLARED.foreign_access.get(route.endpoint, {})
        tries.append((foreign, override.get(role, harness.foreign_expectation(expected))))
    for net, answer in tries:
        url, response = harness.probe(app, client, route, net, token)
        html = response.get_data(as_text=True)
        response.close()
        label = f"{route.probe_method} {url} as {role} ({net.marker} ids)"
        assert harness.matches(response, answer), (
            f"{label}: expected {sorted(harness.as_set(answer))}, got {response.status_code} "
            f"{response.location or ''}"
        )
        assert not harness.leaks(html, role, world), (
            f"{label} shows {harness.leaks(html, role, world)}"
        )
        assert not harness.unescaped(response, html), f"{label} shows {harness.XSS} unescaped"
