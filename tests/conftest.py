"""Shared fixtures: an app on SQLite (or PostgreSQL via NETVAERK_TEST_DATABASE_URL), clients
that log in the way a browser does (CSRF stays on), and a clean database for every test: each
test runs in one transaction that is rolled back at its end, unless marked `commits`.

One app serves every test of a worker (building one and compiling its templates cost about a
quarter of a second per test); what a test may change on it (config, extensions, the template
loader, rate-limit counters, the instance folder) is put back after the test. A test that adds
routes or hooks to the app is marked `fresh_app` and gets an app of its own.
"""

import os
import re
from contextlib import contextmanager, nullcontext
from dataclasses import fields
from pathlib import Path

import pytest
from flask import current_app, has_app_context
from flask.testing import FlaskClient, FlaskCliRunner
from flask_sqlalchemy.session import Session
from hypothesis import HealthCheck, settings
from sqlalchemy import create_engine, event, text
from sqlalchemy import inspect as sa_inspect

from netvaerk import create_app, timeutil
from netvaerk.extensions import db, limiter

from .factories import make_network, make_user

# Hypothesis judges examples, not the clock: on a busy shared machine (CI shares two cores) a
# draw or an example can stall for seconds, which says nothing about the code. Tests keep
# their own example counts; a test's own @settings override these.
settings.register_profile("netvaerk", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("netvaerk")

PG_URL = os.environ.get("NETVAERK_TEST_DATABASE_URL", "")
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
# Fixtures that give a test the database of the run (the test database, or one of its own).
DATABASE_FIXTURES = {"database_url", "fresh_database_url"}


def pytest_collection_modifyitems(config, items):
    """Mark `no_database` every test that reaches no database fixture and is not marked
    `postgres`: it runs the same on SQLite and PostgreSQL, so the PostgreSQL leg of CI leaves
    it to the SQLite leg (tests/run_suite.py). A test that reads NETVAERK_TEST_DATABASE_URL
    itself is marked `postgres`."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if not fixtures & DATABASE_FIXTURES and item.get_closest_marker("postgres") is None:
            item.add_marker(pytest.mark.no_database)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """The database of this test run: PostgreSQL when configured, else a SQLite file.

    Under pytest-xdist each worker gets a database of its own (`<name>_gw0`, …), created on
    the same PostgreSQL server when missing.
    """
    if PG_URL:
        worker = os.environ.get("PYTEST_XDIST_WORKER")
        if not worker:
            return PG_URL
        base, _, name = PG_URL.rpartition("/")
        admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"),
                {"name": f"{name}_{worker}"},
            ).first()
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{name}_{worker}"'))
        admin.dispose()
        return f"{base}/{name}_{worker}"
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite")


def _config(database_url: str, instance_path: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "NETVAERK_DATABASE_URL": database_url,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "NETVAERK_INSTANCE_PATH": instance_path,
        "NETVAERK_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "SERVER_NAME": "localhost",
    }


@pytest.fixture(scope="session")
def _schema(database_url, tmp_path_factory):
    """Create the schema once per run (from the models; migrations are checked separately)."""
    app = create_app(_config(database_url, str(tmp_path_factory.mktemp("instance"))))
    with app.app_context():
        if database_url.startswith("postgresql"):
            _drop_everything_postgres()
        db.drop_all()
        db.create_all()
        db.session.remove()
        db.engine.dispose()
    return True


def _drop_everything_postgres() -> None:
    """Remove netvaerk tables left by an earlier run (also ones no longer in the models)."""
    with db.engine.begin() as connection:
        names = connection.execute(
            text(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                "AND tablename LIKE 'netvaerk%'"
            )
        ).scalars()
        for name in names:
            connection.execute(text(f'DROP TABLE IF EXISTS "{name}" CASCADE'))


def _empty_all_tables() -> None:
    """Empty every table and restart its ids, as a new database would be."""
    db.session.remove()
    tables = [t.name for t in db.metadata.sorted_tables]
    with db.engine.begin() as connection:
        if db.engine.dialect.name == "postgresql":
            _empty_used_tables_postgres(connection, tables)
        else:
            for name in reversed(tables):
                connection.execute(text(f'DELETE FROM "{name}"'))


def _empty_used_tables_postgres(connection, tables: list[str]) -> None:
    """TRUNCATE only the tables that hold rows, and restart only the sequences that were used.

    TRUNCATE swaps each table's files, about 50 ms a table here (over 2 s for all of them),
    while a test that commits touches a few; one query finds those.
    """
    probe = " UNION ALL ".join(f"(SELECT '{t}' FROM \"{t}\" LIMIT 1)" for t in tables)
    used = connection.execute(text(probe)).scalars().all()
    if used:
        quoted = ", ".join(f'"{t}"' for t in used)
        connection.execute(text(f"TRUNCATE {quoted} CASCADE"))
    # A sequence read since its last restart has a last_value (rows added, maybe deleted).
    connection.execute(
        text(
            "SELECT setval(format('%I.%I', schemaname, sequencename)::regclass, start_value, false)"
            " FROM pg_sequences WHERE schemaname = current_schema() AND last_value IS NOT NULL"
        )
    )


ONE_TRANSACTION = "netvaerk_test_transaction"


def _close_the_tests_savepoint(app) -> None:
    """In a test rolled back at its end, commit the test's own session before a request or a
    command: a savepoint it held open would enclose theirs, and its rollback would undo them.
    Its objects are not expired, as a request on a connection of its own would leave them."""
    if (
        app.extensions.get(ONE_TRANSACTION)
        and has_app_context()
        and current_app._get_current_object() is app
    ):
        session = db.session()
        session.expire_on_commit = False
        try:
            session.commit()
        finally:
            session.expire_on_commit = True


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context (own `g`, own database session), as in
    production, although the test itself holds an app context open."""

    def open(self, *args, **kwargs):
        _close_the_tests_savepoint(self.application)
        with self.application.app_context():
            return super().open(*args, **kwargs)


class IsolatedCliRunner(FlaskCliRunner):
    """Commands run in their own app context; in a rolled-back test, after the test's session
    is committed (see `_close_the_tests_savepoint`)."""

    def invoke(self, *args, **kwargs):
        _close_the_tests_savepoint(self.app)
        return super().invoke(*args, **kwargs)


def _new_app(database_url: str, instance_path: str):
    app = create_app(_config(database_url, instance_path))
    app.test_client_class = IsolatedClient
    app.test_cli_runner_class = IsolatedCliRunner
    return app


@pytest.fixture(scope="session")
def _shared_app(_schema, database_url, tmp_path_factory):
    """The app of this worker's tests (see `app`); its connections are closed at the end."""
    app = _new_app(database_url, str(tmp_path_factory.mktemp("instance")))

    def refuse_setup(name: str) -> None:
        raise AssertionError(
            f"app.{name}() would change the app every test shares: "
            "mark the test @pytest.mark.fresh_app"
        )

    app._check_setup_finished = refuse_setup  # routes, hooks, blueprints
    yield app
    with app.app_context():
        db.engine.dispose()


def _copied(value):
    """A copy of a registry field deep enough that registering on it changes only the copy."""
    if isinstance(value, dict):
        return {k: list(v) if isinstance(v, list) else v for k, v in value.items()}
    return list(value) if isinstance(value, list) else value


@contextmanager
def _put_back_afterwards(app, instance_path: str):
    """Give the test a clean instance folder and fresh rate limits, and undo afterwards what
    it changed on the shared app: its config and extensions, and any attribute it replaced
    (the test client class, the template loader, ...)."""
    app.jinja_env, app.jinja_loader  # noqa: B018 - made now, so that a replacement shows
    config = dict(app.config)
    extensions = dict(app.extensions)
    attributes = dict(app.__dict__)
    registry = app.extensions["netvaerk"].registry
    registrations = {f.name: _copied(getattr(registry, f.name)) for f in fields(registry)}
    app.instance_path = instance_path
    app.config["NETVAERK_INSTANCE_PATH"] = instance_path
    Path(instance_path).mkdir(parents=True, exist_ok=True)  # as create_app makes it
    limiter.reset()
    try:
        yield
    finally:
        app.config.clear()
        app.config.update(config)
        app.extensions.clear()
        app.extensions.update(extensions)
        for name, value in registrations.items():  # hooks and jobs a test registered go
            setattr(registry, name, value)
        replaced = [k for k, v in attributes.items() if app.__dict__.get(k) is not v]
        app.__dict__.update({k: attributes[k] for k in replaced})
        if "jinja_loader" in replaced:
            app.jinja_env.cache.clear()  # templates the test's loader supplied
        limiter.reset()


@pytest.fixture
def app(request, _schema, database_url, tmp_path):
    """The app on the shared test database, as it was before the test afterwards.

    The test body runs inside an app context (factories use `db.session`); requests made with
    `client` get their own context, so reload rows (`db.session.refresh`) after a request.
    Everything runs in one transaction, rolled back at the end; a test marked `commits`
    (threads, a second connection, a live server) commits for real and the tables are emptied.
    A test marked `fresh_app` (it adds routes or hooks) gets a new app instead of the shared one.
    """
    instance_path = str(tmp_path / "instance")
    fresh = request.node.get_closest_marker("fresh_app") is not None
    if "module_rows" not in request.fixturenames:
        # Their open transaction would hold SQLite's write lock against this test.
        RowsBuiltOnce.close_all()
    if fresh:
        app = _new_app(database_url, instance_path)
        restoring = nullcontext()
    else:
        app = request.getfixturevalue("_shared_app")
        restoring = _put_back_afterwards(app, instance_path)
    with restoring, app.app_context():
        commits = request.node.get_closest_marker("commits") or request.node.get_closest_marker(
            "browser"
        )
        if commits:
            yield app
            _empty_all_tables()
        else:
            shared = None
            if "module_rows" in request.fixturenames:
                assert not fresh, "a test on rows built once for its module uses the shared app"
                shared = request.getfixturevalue("module_rows")
            with _one_transaction_rolled_back(app, shared):
                yield app
        db.session.remove()
        if fresh or commits:
            # Connections that threads or a second session opened go, as with a new app;
            # a rolled-back test used only its one connection, closed already.
            db.engine.dispose()


@contextmanager
def _one_transaction_rolled_back(app, shared: "RowsBuiltOnce | None" = None):
    """Bind every session of `app` to one connection inside a transaction, and roll it back.

    Each session (the test's, each request's, each command's) works in a savepoint of that
    transaction: its commit releases the savepoint, its rollback returns to it, as it would
    with a transaction of its own; nothing reaches the database for the next test. With
    `shared` (rows built once for the module, see `RowsBuiltOnce`) the test's transaction is
    a savepoint inside the module's, so the rows are there and the test's changes are undone.
    """
    db.session.remove()
    if shared is None:
        connection = _begin_on_new_connection()
        transaction = connection.get_transaction()
    else:
        connection = shared.connection_for_a_test()
        transaction = connection.begin_nested()
    with _sessions_bound_to(app, connection):
        try:
            yield
        finally:
            db.session.remove()
            if shared is None:
                _roll_back_and_close(connection)
            else:
                shared.roll_back_a_test(transaction)


def _begin_on_new_connection():
    """A new connection of the app's engine, inside a transaction."""
    connection = db.engine.connect()
    connection.begin()
    if connection.dialect.name == "sqlite":
        # pysqlite begins only at the first write, so a SAVEPOINT would open (and its
        # RELEASE commit) the real transaction; begin it explicitly instead.
        connection.connection.driver_connection.isolation_level = None
        connection.exec_driver_sql("BEGIN")
    return connection


def _roll_back_and_close(connection) -> None:
    try:
        connection.get_transaction().rollback()
    finally:
        if connection.dialect.name == "sqlite":
            connection.connection.driver_connection.isolation_level = ""
        connection.close()


@contextmanager
def _sessions_bound_to(app, connection):
    """Every session of `app` on `connection`, each in a savepoint of its own."""
    original = Session.get_bind

    def get_bind(session, *args, **kwargs):
        if current_app._get_current_object() is app:
            return connection
        return original(session, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Session, "get_bind", get_bind)
        patch.setitem(db.session.session_factory.kw, "join_transaction_mode", "create_savepoint")
        patch.setitem(app.extensions, ONE_TRANSACTION, True)
        yield


class RowsBuiltOnce:
    """Rows that many tests of a module read, built once in a transaction never committed.

    A module defines a module-scoped fixture `module_rows` returning one of these; every
    test that uses it (through `app`) runs in a savepoint of that transaction, rolled back
    at its end, so each test sees the rows exactly as built and changes only its own copy.
    The rows are built again on a new day (they may depend on today's date) and after a
    test that left the connection unusable. `rows` are the builder's objects, detached
    from any session with their columns loaded.
    """

    _open: set["RowsBuiltOnce"] = set()

    @classmethod
    def close_all(cls) -> None:
        """Roll back every module's rows (they are built again when a test asks for them)."""
        for rows in list(cls._open):
            rows.close()

    def __init__(self, app, build) -> None:
        self.app = app
        self.build = build
        self.connection = None
        self.rows = None
        self.built_on = None

    def connection_for_a_test(self):
        if self.connection is None or self.built_on != timeutil.local_today():
            self.close()
            self._build()
        return self.connection

    def roll_back_a_test(self, transaction) -> None:
        try:
            transaction.rollback()
        except Exception:
            self.close()  # built again for the next test
            raise

    def _build(self) -> None:
        with self.app.app_context():
            self.connection = _begin_on_new_connection()
            self._open.add(self)
            self.built_on = timeutil.local_today()
            with _sessions_bound_to(self.app, self.connection):
                self.rows = self.build()
                session = db.session()
                session.commit()
                for row in list(session.identity_map.values()):
                    for column in sa_inspect(row).mapper.column_attrs:
                        getattr(row, column.key)  # expired columns loaded while attached
                session.expunge_all()
                db.session.remove()

    def close(self) -> None:
        if self.connection is not None:
            with self.app.app_context():
                _roll_back_and_close(self.connection)
        self.connection = self.rows = None
        self._open.discard(self)


@pytest.fixture
def client(app):
    """A test client (CSRF protection on)."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner for the app's commands."""
    return app.test_cli_runner()


def csrf_token_from(html: str) -> str:
    """The CSRF token of the first form on a page, as a browser would send it."""
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


class Browserish:
    """Wraps a test client: fetches a page's CSRF token before posting, like a browser."""

    def __init__(self, client):
        self.client = client

    def get(self, url, **kwargs):
        return self.client.get(url, **kwargs)

    def post(self, url, data=None, token_from: str | None = None, **kwargs):
        """POST `data` with the CSRF token taken from `token_from` (default: a page with one)."""
        page = self.client.get(token_from or "/login")
        html = page.get_data(as_text=True)
        match = CSRF_RE.search(html)
        if match is None:  # logged-in users are redirected from /login: use the start page
            html = self.client.get("/").get_data(as_text=True)
            match = CSRF_RE.search(html)
        data = dict(data or {})
        data.setdefault("csrf_token", match.group(1) if match else "")
        return self.client.post(url, data=data, **kwargs)


@pytest.fixture
def browser(client):
    """A client that posts forms with a CSRF token, as a browser does."""
    return Browserish(client)


PASSWORD = "a-long-test-password"


def log_in(client, email: str, password: str = PASSWORD):
    """Log in through the real login form; returns the response after redirects."""
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token},
        follow_redirects=True,
    )


@pytest.fixture
def network(app):
    """A network with two housing areas."""
    return make_network()


@pytest.fixture
def login_as(app, client, network):
    """Log the client in with a new user of the given role ("admin" for a site admin)."""

    def login(role: str, in_network=None):
        user = make_user(role, in_network or network)
        response = log_in(client, user.email)
        assert response.status_code == 200, response.status_code
        return user

    return login


@contextmanager
def count_queries():
    """Count the SQL statements run inside the block (all connections of the engine).

    Only in a test marked `commits`: a rolled-back test adds its savepoints to the count."""
    assert not current_app.extensions.get(ONE_TRANSACTION), "mark the test @pytest.mark.commits"
    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)
