"""Every GET route fuzzed in its query string: dates, weeks, months, ids and searches that are
impossible, extreme (year 1, year 9999) or hostile never give a 500 (issue #17).

The parameter names are the ones the app's own links use on the page, plus the names any page
might read; the values are those of the form fuzzing.
"""

import re
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netvaerk.extensions import limiter

from . import harness
from .harness import DECLARED, GET_ROUTES, ROLE_NETWORK
from .test_fuzz_forms import SHARP, VALUES, _fuzz_role

COMMON = (
    "week",
    "month",
    "day",
    "date",
    "start",
    "end",
    "first",
    "last",
    "from",
    "to",
    "year",
    "id",
    "participant_id",
    "q",
    "status",
    "group",
    "area",
    "page",
    "next",
    "network",
)
EXTREME = ["9999-12-31", "0001-01-01", "9999-12", "0001-01", "2026-13", "2026-W60", "10000-01-01"]


def _link_parameters(html: str) -> set[str]:
    """Query parameter names used by the links and GET forms of a page."""
    names = set()
    for part in html.split('href="')[1:]:
        href = part.split('"', 1)[0].replace("&amp;", "&")
        names.update(name for name, _value in parse_qsl(urlsplit(href).query))
    for part in html.split("<input")[1:]:
        if 'name="' in part:
            names.add(part.split('name="', 1)[1].split('"', 1)[0])
    return {name for name in names if name and name != "csrf_token"}


ROUTES = [r for r in GET_ROUTES if r.endpoint not in ("static", "netvaerk.static")]


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.endpoint)
def test_query_string_survives_random_input(app, world, route, monkeypatch):
    monkeypatch.setattr(limiter, "enabled", False)
    role = _fuzz_role(route.endpoint)
    client = harness.login_client(app, world, role)
    net = world.net(ROLE_NETWORK[role] or "home")
    url = harness.url_for_route(app, route, net)
    page = client.get(url)
    names = set(COMMON)
    if page.mimetype == "text/html":
        names |= _link_parameters(page.get_data(as_text=True))
    page.close()
    names = sorted(names)

    def get(query: dict) -> None:
        response = client.get(url + ("&" if "?" in url else "?") + urlencode(query))
        response.close()
        assert response.status_code < 500, (url, role, query, response.status_code)

    for value in [*EXTREME, *SHARP[:6]]:
        get(dict.fromkeys(names, value))

    @settings(
        max_examples=8,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        query=st.dictionaries(
            st.sampled_from(names),
            st.one_of(st.sampled_from(EXTREME), VALUES.filter(lambda v: len(v) < 2000)),
            max_size=4,
        )
    )
    def get_random(query):
        get(query)

    get_random()


# Path segments no row can have: a NUL byte (databases refuse it) and numbers beyond any
# database id, up to one past the largest 64-bit integer (issue #27).
IMPOSSIBLE_ARGUMENTS = ("%00", "9223372036854775808")
ARGUMENT_RE = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def _paths_with_one_bad_segment(app, route, net):
    """Each rule of `route` with one segment (an argument or a fixed word) made impossible and
    the other arguments valid for `net`."""
    values = DECLARED.url_args[route.endpoint](net) if route.endpoint in DECLARED.url_args else {}
    for rule in app.url_map.iter_rules(route.endpoint):
        segments = rule.rule.split("/")
        for index, segment in enumerate(segments):
            if not segment:
                continue
            for bad in IMPOSSIBLE_ARGUMENTS if segment.startswith("<") else ("%00",):
                changed = [*segments[:index], bad, *segments[index + 1 :]]
                yield ARGUMENT_RE.sub(lambda m: quote(str(values[m.group(1)])), "/".join(changed))


def test_impossible_path_segments_answer_400_or_404_on_every_route(app, world, monkeypatch):
    monkeypatch.setattr(limiter, "enabled", False)
    net = world.net("home")
    client = harness.login_client(app, world, "coordinator")
    token = harness.csrf_token(client)
    answers = {}
    for route in ROUTES:
        for path in _paths_with_one_bad_segment(app, route, net):
            if route.probe_method == "GET":
                response = client.get(path)
            else:
                response = client.post(path, data={"csrf_token": token})
            response.close()
            answers[(route.endpoint, path)] = response.status_code
    # 405: a fixed word replaced can leave a path that only another route's rule matches.
    wrong = {key: status for key, status in answers.items() if status not in (400, 404, 405)}
    assert not wrong
    assert len(answers) > 250  # every route, every segment
