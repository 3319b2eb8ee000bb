"""Every form fuzzed with Hypothesis: never a 500, and refused input changes nothing.

The forms are found on the app's pages (every GET route, as a role that may use the form);
the values are random text, very long strings, control characters, markup, SQL fragments,
numbers of every size and impossible dates, mixed with the values the page itself offers.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netvaerk.extensions import limiter

from . import harness
from .harness import DECLARED, GET_ROUTES, POST_ROUTES, ROLE_NETWORK

NASTY = [
    "",
    " ",
    harness.XSS,
    '"><img src=x onerror=alert(1)>',
    "' OR '1'='1",
    "1; DROP TABLE netvaerk_user; --",
    "') UNION SELECT password_hash FROM netvaerk_user --",
    "%s%s%s%n",
    "{{ 7*7 }}",
    "../../etc/passwd",
    "-1",
    "0",
    "1.5",
    "1e309",
    "NaN",
    "-9223372036854775809",
    "99999999999999999999999",
    "0000-00-00",
    "2026-02-30",
    "1899-12-31",
    "9999-12-31",
    "10000-01-01",
    "-2026-01-01",
    "25:61",
    "true",
    "null",
    "[]",
    "{}",
    "\x00",
    "a\x00b",
    "\u202e\u200b\ufeff",
    "Ææ Øø Åå 🙂",
]
# Tried in every field of every form before the random examples.
SHARP = [
    "",
    harness.XSS,
    "1; DROP TABLE netvaerk_user; --",
    "a\x00b",
    "\x01\x1b[31m\x7f",
    "-1",
    "99999999999999999999999",
    "1e309",
    "2026-02-30",
    "10000-01-01",
    "x" * 5001,
]
VALUES = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(categories=["Cc"]), max_size=20),
    st.sampled_from(NASTY),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from([255, 256, 5001, 100_000, 2 * 1024 * 1024 + 1]).map(lambda n: "x" * n),
)
PREFERRED = ("coordinator", "admin", "facilitator", "steering", "kiosk")


def _fuzz_role(endpoint: str) -> str:
    declared = DECLARED.access.get(endpoint, {})
    if harness.as_set(declared.get("anonymous", "")) & {harness.OK, harness.DONE}:
        return "anonymous"
    for role in PREFERRED:
        if harness.as_set(declared.get(role, "")) & harness.SUCCESS:
            return role
    return "coordinator"


def _forms_seen_by(app, client, net) -> dict[str, dict[str, list[str]]]:
    """{endpoint: {field: values offered}} of every POST form on the pages the client sees."""
    adapter = app.url_map.bind("localhost")
    forms: dict[str, dict[str, list[str]]] = {}
    for route in GET_ROUTES:
        if route.endpoint in ("static", "netvaerk.static"):
            continue
        url = harness.url_for_route(app, route, net)
        response = client.get(url)
        if response.status_code == 200 and response.mimetype == "text/html":
            for action, fields in harness.forms_on(response.get_data(as_text=True), url).items():
                try:
                    endpoint, _ = adapter.match(action, method="POST")
                except Exception:  # a form posting elsewhere (e.g. to the host intranet)
                    continue
                known = forms.setdefault(endpoint, {})
                for name, values in fields.items():
                    known.setdefault(name, []).extend(values)
        response.close()
    return forms


@pytest.mark.parametrize("route", POST_ROUTES, ids=lambda r: r.endpoint)
def test_form_survives_random_input(app, world, route, monkeypatch):
    # The login limit would answer 429 after a few tries and hide what the form does.
    monkeypatch.setattr(limiter, "enabled", False)
    role = _fuzz_role(route.endpoint)
    client = harness.login_client(app, world, role)
    net = world.net(ROLE_NETWORK[role] or "home")
    url = harness.url_for_route(app, route, net)
    fields = _forms_seen_by(app, client, net).get(route.endpoint, {})
    declared = DECLARED.fuzz.get(route.endpoint, {})
    strategies = {
        name: st.one_of(st.sampled_from(values), VALUES) if values else VALUES
        for name, values in fields.items()
        if name != "csrf_token"
    }
    extra = declared.get("fields", {})
    strategies.update(extra if isinstance(extra, dict) else dict.fromkeys(extra, VALUES))
    strategies.setdefault("unexpected_field", VALUES)
    accepted = set(declared.get("success", (301, 302, 303, 307, 308)))
    token = harness.csrf_token(client)

    def post(form):
        before = harness.snapshot()
        response = client.post(url, data={**form, "csrf_token": token})
        response.close()
        assert response.status_code < 500, (url, role, form, response.status_code)
        if response.status_code not in accepted:
            assert harness.changes(before, harness.snapshot()) == [], (
                f"POST {url} as {role} answered {response.status_code} but changed the database"
            )

    # First every nasty value in every field at once, then random mixtures.
    for value in SHARP:
        post(dict.fromkeys(strategies, value))

    @settings(
        max_examples=15,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        form=st.one_of(
            st.fixed_dictionaries(strategies), st.fixed_dictionaries({}, optional=strategies)
        )
    )
    def post_random_form(form):
        post(form)

    post_random_form()
