"""The break-in harness: every route of the app, every role, two networks.

How a capability joins the security tests
=========================================

Every endpoint in `app.url_map` must be declared, or `test_every_route_is_in_the_matrix`
fails. Declare a capability's routes in `tests/<capability>/access.py` (next to its other
tests; the harness imports every `tests/*/access.py`). That module may define:

``ACCESS`` (required): ``{endpoint: {role: expected}}`` for the seven roles

    anonymous          not logged in
    kiosk              the centre's tablet account of the home network
    facilitator        a facilitator of the home network
    coordinator        a coordinator of the home network
    steering           a steering-group member of the home network
    admin              a site administrator (no role in any network)
    other_coordinator  a coordinator of the *foreign* network (a second network)

and ``expected`` one of ``OK`` (200), ``LOGIN`` (redirect to the login page), ``FORBIDDEN``
(403), ``NOT_FOUND`` (404), ``REDIRECT`` (a redirect elsewhere), ``DONE`` (a POST reached the
view: 200, 3xx or a 4xx other than 403/404, never login) or ``either(A, B)``. Use the helpers:

    allow("coordinator", "facilitator")            # 200 for them, 403 for the others,
                                                   # login for anonymous; other_coordinator
                                                   # as coordinator
    allow("coordinator", answer=DONE)              # a POST-only route
    allow("coordinator", kiosk=REDIRECT)           # keyword arguments override single roles
    everyone(OK)                                   # public pages (also anonymous)

GET routes are probed with GET; POST-only routes with a POST carrying a valid CSRF token and
``POST_DATA`` (default: an empty form).

``URL_ARGS`` (for routes with arguments): ``{endpoint: callable(net) -> dict}``. ``net`` is a
`NetworkData` (the network, its users, the rows your ``populate`` added). The harness calls it
for the home network and for the foreign one: a role that belongs to one network is tried with
its own network's ids (expecting ``ACCESS``) and with the other network's ids (expecting 404
wherever ``ACCESS`` expects success). Extra keys become the query string.

``POST_DATA`` (optional): ``{endpoint: callable(net) -> dict}``, the form the POST probe sends.

``FOREIGN_ACCESS`` (optional): ``{endpoint: {role: expected}}`` overriding the derived answer
to the other network's ids (e.g. a token link that is valid for anyone).

``populate(net)`` (optional): add your capability's rows to one network (called for both).
Put ``net.marker`` (a word unique to the network) and ``XSS`` into names you create, and
``net.person_marker`` into names of participants: the harness checks that no page of one
network shows the other network's marker, that the steering group never sees a person marker,
and that ``XSS`` never comes back unescaped.

``CSRF_EXEMPT`` (optional): ``{endpoint: reason}`` for a POST route that takes no CSRF token by
design (RFC 8058's one-click unsubscribe, POSTed by a mail program); the CSRF test checks that
exactly these are exempt.

``FUZZ`` (optional): ``{endpoint: {"success": (302, 303), "fields": [...]}}``: the statuses
that mean the input was accepted (default: redirects; everything else counts as refused and
must leave the database unchanged), and field names to fuzz for forms the harness cannot find
on any page (a list of names, or ``{name: hypothesis strategy}``).

The tests that use all this: `test_access_matrix.py` (the matrix, leaks, escaping),
`test_csrf_and_get.py` (POST without a token refused, GET changes nothing),
`test_fuzz_forms.py` (every form fuzzed with Hypothesis).
"""

from __future__ import annotations

import importlib
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit

from flask import url_for
from sqlalchemy import select

from netvaerk import create_app
from netvaerk.core.models import Membership, Network, User
from netvaerk.extensions import db

from ..conftest import CSRF_RE, log_in
from ..factories import make_network, make_user

XSS = "<script>alert(1)</script>"

OK = "200"
LOGIN = "login"
FORBIDDEN = "403"
NOT_FOUND = "404"
REDIRECT = "redirect"
DONE = "done"
ANSWERS = (OK, LOGIN, FORBIDDEN, NOT_FOUND, REDIRECT, DONE)

ROLES = (
    "anonymous",
    "kiosk",
    "facilitator",
    "coordinator",
    "steering",
    "admin",
    "other_coordinator",
)
NETWORK_ROLES = ("kiosk", "facilitator", "coordinator", "steering")
# Which network a role's user belongs to: "home", "foreign" or none.
ROLE_NETWORK = {
    "anonymous": None,
    "admin": None,
    "other_coordinator": "foreign",
    **{role: "home" for role in NETWORK_ROLES},
}
SUCCESS = {OK, REDIRECT, DONE}
TESTS_DIR = Path(__file__).resolve().parent.parent


def either(*answers: str) -> frozenset[str]:
    """Any of several answers (e.g. a start page that redirects once a capability exists)."""
    return frozenset(answers)


def allow(*roles: str, answer=OK, **overrides) -> dict:
    """`answer` for the given roles, 403 for the other logged-in roles, login for anonymous."""
    unknown = (set(roles) | set(overrides)) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    expected = {role: (answer if role in roles else FORBIDDEN) for role in ROLES}
    expected["anonymous"] = LOGIN
    expected["other_coordinator"] = expected["coordinator"]
    expected.update(overrides)
    return expected


def everyone(answer=OK, **overrides) -> dict:
    """The same answer for every role, anonymous included."""
    expected = {role: answer for role in ROLES}
    expected.update(overrides)
    return expected


def as_set(expected) -> frozenset[str]:
    """An expectation as a set of answers."""
    return frozenset([expected]) if isinstance(expected, str) else frozenset(expected)


def foreign_expectation(expected) -> frozenset[str]:
    """What a role should get for another network's ids: 404 where it would succeed."""
    return frozenset(NOT_FOUND if answer in SUCCESS else answer for answer in as_set(expected))


# ---------------------------------------------------------------- declarations


@dataclass
class Declarations:
    """Everything the capabilities' `access.py` modules declare, merged."""

    access: dict = field(default_factory=dict)
    url_args: dict = field(default_factory=dict)
    post_data: dict = field(default_factory=dict)
    foreign_access: dict = field(default_factory=dict)
    fuzz: dict = field(default_factory=dict)
    csrf_exempt: dict = field(default_factory=dict)
    populators: list = field(default_factory=list)
    sources: dict = field(default_factory=dict)


def access_modules() -> list[ModuleType]:
    """Import every `tests/<capability>/access.py`."""
    modules = []
    for path in sorted(TESTS_DIR.glob("*/access.py")):
        modules.append(importlib.import_module(f"tests.{path.parent.name}.access"))
    return modules


def collect() -> Declarations:
    """Merge the declarations; an endpoint declared twice is an error."""
    found = Declarations()
    for module in access_modules():
        for endpoint, expected in module.ACCESS.items():
            assert endpoint not in found.access, (
                f"{endpoint} is declared in {module.__name__} and {found.sources[endpoint]}"
            )
            assert set(expected) == set(ROLES), (
                f"{module.__name__}: {endpoint} must declare exactly the roles {ROLES}"
            )
            for answer in expected.values():
                assert as_set(answer) <= set(ANSWERS), f"{endpoint}: unknown answer {answer!r}"
            found.access[endpoint] = expected
            found.sources[endpoint] = module.__name__
        found.url_args.update(getattr(module, "URL_ARGS", {}))
        found.post_data.update(getattr(module, "POST_DATA", {}))
        found.foreign_access.update(getattr(module, "FOREIGN_ACCESS", {}))
        found.fuzz.update(getattr(module, "FUZZ", {}))
        found.csrf_exempt.update(getattr(module, "CSRF_EXEMPT", {}))
        if hasattr(module, "populate"):
            found.populators.append(module.populate)
    return found


DECLARED = collect()


def _route_app():
    """An app built only to read its url_map (no database is touched)."""
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "routes-only",
            "NETVAERK_DATABASE_URL": "sqlite://",
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "NETVAERK_INSTANCE_PATH": tempfile.mkdtemp(prefix="netvaerk-routes-"),
        }
    )


@dataclass(frozen=True)
class Route:
    """One endpoint: its URL arguments and methods."""

    endpoint: str
    arguments: frozenset[str]
    methods: frozenset[str]

    @property
    def probe_method(self) -> str:
        """GET when the route answers GET, else POST."""
        return "GET" if "GET" in self.methods else "POST"


def routes(app=None) -> list[Route]:
    """Every endpoint of the app, with the union of its rules' methods."""
    app = app or _route_app()
    by_endpoint: dict[str, Route] = {}
    for rule in app.url_map.iter_rules():
        methods = frozenset(rule.methods or ()) - {"HEAD", "OPTIONS"}
        known = by_endpoint.get(rule.endpoint)
        if known is None:
            by_endpoint[rule.endpoint] = Route(rule.endpoint, frozenset(rule.arguments), methods)
        else:
            by_endpoint[rule.endpoint] = Route(
                rule.endpoint, known.arguments | rule.arguments, known.methods | methods
            )
    return sorted(by_endpoint.values(), key=lambda r: r.endpoint)


ROUTES = routes()
ROUTES_BY_ENDPOINT = {route.endpoint: route for route in ROUTES}
POST_ROUTES = [route for route in ROUTES if "POST" in route.methods]
# POST routes that take no CSRF token by design (each declared with its reason).
CSRF_CHECKED_POST_ROUTES = [r for r in POST_ROUTES if r.endpoint not in DECLARED.csrf_exempt]
GET_ROUTES = [route for route in ROUTES if "GET" in route.methods]


# ---------------------------------------------------------------- the world


class NetworkData:
    """One network with its staff; capabilities' `populate` hooks add attributes."""

    def __init__(self, network: Network, marker: str, person_marker: str) -> None:
        self.network = network
        self.marker = marker
        self.person_marker = person_marker
        self.users: dict[str, User] = {}
        self.memberships: dict[str, Membership] = {}


@dataclass
class World:
    """Two networks (home and foreign), each with every role, and a site administrator."""

    home: NetworkData
    foreign: NetworkData
    admin: User

    def net(self, which: str) -> NetworkData:
        """ "home" or "foreign"."""
        return self.home if which == "home" else self.foreign

    def user_for(self, role: str) -> User | None:
        """The account that plays `role`."""
        if role == "anonymous":
            return None
        if role == "admin":
            return self.admin
        if role == "other_coordinator":
            return self.foreign.users["coordinator"]
        return self.home.users[role]


def build_world() -> World:
    """Create both networks, their staff, and every capability's rows."""
    nets = []
    for marker, person_marker in (("HJEMLIG", "PERSONHJEM"), ("FREMMED", "PERSONFREMMED")):
        network = make_network(f"{marker} netværk {XSS}")
        net = NetworkData(network, marker, person_marker)
        for role in NETWORK_ROLES:
            user = make_user(role, network, email=f"{role}.{marker.lower()}@example.org")
            user.name = f"{marker} {role} {XSS}"
            net.users[role] = user
            net.memberships[role] = db.session.execute(
                select(Membership).where(Membership.user_id == user.id)
            ).scalar_one()
        db.session.commit()
        nets.append(net)
    admin = make_user("admin", email="admin.site@example.org")
    admin.name = f"Site admin {XSS}"
    db.session.commit()
    world = World(home=nets[0], foreign=nets[1], admin=admin)
    for populate in DECLARED.populators:
        populate(world.home)
        populate(world.foreign)
    db.session.commit()
    return world


def login_client(app, world: World, role: str):
    """A fresh test client logged in as `role` (anonymous: not logged in)."""
    client = app.test_client()
    user = world.user_for(role)
    if user is not None:
        response = log_in(client, user.email)
        assert response.status_code == 200, (role, response.status_code)
    return client


def url_for_route(app, route: Route, net: NetworkData | None) -> str:
    """The route's URL with the arguments declared for `net` (or none)."""
    args = {}
    if route.endpoint in DECLARED.url_args:
        assert net is not None
        args = DECLARED.url_args[route.endpoint](net)
    missing = route.arguments - set(args)
    assert not missing, f"{route.endpoint} needs URL_ARGS for {sorted(missing)}"
    with app.test_request_context():
        return url_for(route.endpoint, **args)


def network_dependent(route: Route, world: World) -> bool:
    """True when the route's URL or form differs between the two networks."""
    endpoint = route.endpoint
    for table in (DECLARED.url_args, DECLARED.post_data):
        if endpoint in table and table[endpoint](world.home) != table[endpoint](world.foreign):
            return True
    return False


def csrf_token(client) -> str:
    """The CSRF token of the client's session, taken from a page as a browser would."""
    for path in ("/", "/login"):
        html = client.get(path, follow_redirects=True).get_data(as_text=True)
        match = CSRF_RE.search(html)
        if match:
            return match.group(1)
    raise AssertionError("no page with a CSRF token")


def probe(app, client, route: Route, net: NetworkData | None, token: str | None):
    """Request the route the way the matrix does (GET, or POST with a valid token)."""
    url = url_for_route(app, route, net)
    if route.probe_method == "GET":
        return url, client.get(url)
    data = (
        dict(DECLARED.post_data[route.endpoint](net))
        if route.endpoint in DECLARED.post_data
        else {}
    )
    data["csrf_token"] = token or ""
    return url, client.post(url, data=data)


def answer_of(response) -> set[str]:
    """The answers a response counts as."""
    status = response.status_code
    answers = set()
    if 300 <= status < 400:
        path = urlsplit(response.location or "").path
        answers.add(LOGIN if path.rstrip("/").endswith("/login") else REDIRECT)
    elif status == 200:
        answers.add(OK)
    elif status == 403:
        answers.add(FORBIDDEN)
    elif status == 404:
        answers.add(NOT_FOUND)
    if status < 500 and status not in (403, 404) and LOGIN not in answers:
        answers.add(DONE)
    return answers


def matches(response, expected) -> bool:
    """True when the response is one of the expected answers."""
    return bool(answer_of(response) & as_set(expected))


# ---------------------------------------------------------------- database snapshots

AUDIT_TABLE = "netvaerk_audit_event"


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order (read in a session of its own, which
    sees what the requests saved: on the test's connection, or on a new one)."""
    state = {}
    with db.session.session_factory() as reader:
        for table in db.metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            rows = reader.execute(select(table).order_by(*order)).all()
            state[table.name] = [tuple(row) for row in rows]
    return state


def changes(before: dict, after: dict) -> list[str]:
    """Tables whose rows changed; the audit trail may only grow (a look-up is recorded)."""
    changed = []
    for name, rows in before.items():
        if name == AUDIT_TABLE:
            if after[name][: len(rows)] != rows:
                changed.append(f"{name} (existing events altered)")
        elif after[name] != rows:
            changed.append(name)
    return changed


# ---------------------------------------------------------------- forms on pages


class FormParser(HTMLParser):
    """Collects each form's action and its fields (with the options of selects)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self._form = {
                "action": attributes.get("action") or "",
                "method": (attributes.get("method") or "get").lower(),
                "fields": {},
            }
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "select", "textarea", "button"):
            name = attributes.get("name")
            if name:
                options = self._form["fields"].setdefault(name, [])
                if attributes.get("value") is not None and tag != "textarea":
                    options.append(attributes["value"])
            if tag == "select":
                self._select = name
        elif tag == "option" and self._form is not None and self._select:
            value = attributes.get("value")
            if value is not None:
                self._form["fields"][self._select].append(value)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def forms_on(html: str, page_url: str) -> dict[str, dict[str, list[str]]]:
    """POST forms of a page: {action path: {field name: example values}}."""
    parser = FormParser()
    parser.feed(html)
    found: dict[str, dict[str, list[str]]] = {}
    for form in parser.forms:
        if form["method"] != "post":
            continue
        action = urlsplit(form["action"]).path or urlsplit(page_url).path
        fields = found.setdefault(action, {})
        for name, values in form["fields"].items():
            fields.setdefault(name, []).extend(values)
    return found


def leaks(html: str, role: str, world: World) -> list[str]:
    """Markers the role must not see on any page, found in `html`."""
    found = []
    own = ROLE_NETWORK.get(role)
    if own is not None:
        other = world.foreign if own == "home" else world.home
        for marker in (other.marker, other.person_marker):
            if marker in html:
                found.append(marker)
    if role == "steering":
        for net in (world.home, world.foreign):
            if net.person_marker in html:
                found.append(net.person_marker)
    return found


def unescaped(response, html: str) -> bool:
    """True when an HTML answer shows the XSS payload as markup instead of text."""
    return response.mimetype == "text/html" and XSS in html
