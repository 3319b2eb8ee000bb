"""netvaerk: a Flask app for local job networks, standalone or mounted into an intranet."""

from __future__ import annotations

import importlib
import importlib.util
import os
from pathlib import Path

from flask import Blueprint, Config, Flask, g, has_request_context, request, session
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.engine import Engine

from . import config as config_module
from .core.registry import Registry
from .core.transaction import discard_transaction, finish_transaction
from .extensions import babel, csrf, db, limiter, login_manager, migrate
from .resources import resource_dir

__all__ = ["Netvaerk", "create_app"]


def capability_blueprints() -> list[Blueprint]:
    """Import every capability's blueprint (its hooks are registered by `build_registry`)."""
    from .admin.views import bp as admin_bp
    from .audit.views import bp as audit_bp
    from .auth.views import bp as auth_bp
    from .core.views import bp as core_bp
    from .privacy.views import bp as privacy_bp
    from .sso.views import bp as sso_bp
    from .tasks.mail_views import bp as mail_bp
    from .tasks.views import bp as outbox_bp

    blueprints = [core_bp, auth_bp, sso_bp, admin_bp, audit_bp, privacy_bp, outbox_bp, mail_bp]
    for module_name in CAPABILITY_MODULES:
        blueprints.append(importlib.import_module(f"netvaerk.{module_name}.views").bp)
    return blueprints


# Capability sub-packages with a `views.bp`, in menu order. Each new capability adds itself here.
CAPABILITY_MODULES: list[str] = [
    "participants",
    "meetings",
    "kiosk",
    "rota",
    "activities",
    "evaluations",
    "wheel",
    "followup",
    "mypage",
    "stats",
    "reminders",
]


class NetvaerkState:
    """What netvaerk keeps per app in `app.extensions["netvaerk"]`."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.huey = None  # the task queue, built on first use (tasks.queue.get_huey)


def build_registry() -> Registry:
    """Call every capability's `hooks.register(registry)` (views imported or not)."""
    registry = Registry()
    for module_name in (
        "core",
        "tasks",
        "auth",
        "sso",
        "admin",
        "audit",
        "privacy",
        *CAPABILITY_MODULES,
    ):
        if importlib.util.find_spec(f"netvaerk.{module_name}.hooks") is not None:
            importlib.import_module(f"netvaerk.{module_name}.hooks").register(registry)
    return registry


def _set_sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """Foreign keys on, WAL for concurrent readers, and wait instead of failing when busy."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


event.listen(Engine, "connect", _set_sqlite_pragmas)


def select_locale() -> str:
    """The user's chosen language, else the browser's, else Danish (also outside requests)."""
    if not has_request_context():
        return "da"
    chosen = session.get("lang")
    if chosen in ("da", "en"):
        return chosen
    if current_user.is_authenticated and current_user.locale in ("da", "en"):
        return current_user.locale
    return request.accept_languages.best_match(["da", "en"], default="da")


class Netvaerk:
    """The Flask extension: mounts all of netvaerk into an app under a URL prefix."""

    def __init__(self, app: Flask | None = None, url_prefix: str = "", **kwargs) -> None:
        if app is not None:
            self.init_app(app, url_prefix=url_prefix, **kwargs)

    def init_app(self, app: Flask, url_prefix: str = "", standalone: bool = False) -> None:
        """Bind the extensions, blueprints, CLI, translations and error pages to `app`."""
        config_module.require_flask()
        for key, value in config_module.DEFAULTS.items():
            app.config.setdefault(key, value)
        app.config.update(
            {
                k: v
                for k, v in config_module.settings_from_environment().items()
                if k not in app.config or standalone
            }
        )
        if "NETVAERK_DATABASE_URL" not in app.config:
            app.config["NETVAERK_DATABASE_URL"] = "sqlite:///" + str(
                Path(app.instance_path) / "netvaerk.sqlite"
            )
        app.config.setdefault("SQLALCHEMY_DATABASE_URI", app.config["NETVAERK_DATABASE_URL"])
        if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
            Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        if not app.config.get("SECRET_KEY"):
            app.config["SECRET_KEY"] = app.config.get(
                "NETVAERK_SECRET_KEY"
            ) or config_module.secret_key_from_instance(app.instance_path)
        app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # the kiosk page stays open all day
        if app.config.get("NETVAERK_RATELIMIT_STORAGE_URI"):
            app.config.setdefault(
                "RATELIMIT_STORAGE_URI", app.config["NETVAERK_RATELIMIT_STORAGE_URI"]
            )
        app.config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
        config_module.warn_without_base_url(app)

        from . import models  # noqa: F401 - every table must be known before anything runs
        from .sso import settings as sso_settings

        sso_settings.apply_defaults(app.config)
        # A host that set up Flask-SQLAlchemy, Flask-Login or Flask-Babel keeps its own:
        # netvaerk's `db.session` becomes the host's session (see extensions), the host's
        # signed-in user is mapped to a staff account (sso.host), and netvaerk's catalogues
        # join the host's translations. netvaerk keeps its own tables and migrations.
        if "sqlalchemy" not in app.extensions:
            db.init_app(app)
        if "migrate" not in app.extensions:
            migrate.init_app(
                app,
                db,
                directory=str(resource_dir("migrations")),
                version_table="netvaerk_alembic_version",
                compare_type=True,
                render_as_batch=True,
            )
        if not hasattr(app, "login_manager"):
            login_manager.init_app(app)
        login_manager.login_view = "netvaerk.auth.login"
        login_manager.login_message = None
        login_manager.session_protection = "basic"
        if "babel" not in app.extensions:
            babel.init_app(
                app,
                locale_selector=select_locale,
                default_translation_directories=str(resource_dir("translations")),
                default_timezone="Europe/Copenhagen",
            )
        else:
            from .sso.host import add_translations

            add_translations(app, str(resource_dir("translations")))
        if "csrf" not in app.extensions:
            csrf.init_app(app)
        if "limiter" not in app.extensions:
            limiter.init_app(app)

        from .auth.sessions import load_user

        login_manager.user_loader(load_user)

        from .core.security import IdConverter

        # Before the blueprints: their routes name it (`<id:participant_id>`).
        app.url_map.converters.setdefault("id", IdConverter)
        app.register_blueprint(self.build_blueprint(standalone), url_prefix=url_prefix or None)
        if standalone:
            from .core.errors import register_error_handlers
            from .core.security import set_security_headers

            register_error_handlers(app)
            app.after_request(set_security_headers)

        from .cli import register_commands

        register_commands(app, standalone=standalone)
        if not standalone:
            from .sso.host import upgrade_command

            app.cli.commands["netvaerk"].add_command(upgrade_command)
        app.extensions["netvaerk"] = NetvaerkState(registry=build_registry())

    def build_blueprint(self, standalone: bool) -> Blueprint:
        """The parent blueprint holding every capability, its static files and templates."""
        parent = Blueprint(
            "netvaerk",
            __name__,
            static_folder="static",
            static_url_path="/static",
            template_folder="templates",
        )
        for child in capability_blueprints():
            parent.register_blueprint(child)
        from .labels import register_template_helpers

        register_template_helpers(parent)
        parent.before_request(_before_request)
        # The one transaction boundary: only netvaerk's own requests, never the host's.
        parent.after_request(finish_transaction)
        parent.teardown_request(discard_transaction)
        parent.app_context_processor(_layout_context)
        if not standalone:
            from .core.errors import register_error_handlers
            from .core.security import set_security_headers

            register_error_handlers(parent)
            parent.after_request(set_security_headers)  # only netvaerk's own responses
        return parent


def _before_request():
    """Refuse NUL bytes and impossible path values, resolve network and role, end expired
    sessions, confine the kiosk."""
    from flask import abort, current_app

    from .core.permissions import load_current_network
    from .core.security import enforce_session_limits, impossible_path_value, refuse_nul_bytes
    from .sso.host import shares_login, use_host_user
    from .sso.proxy import use_proxy_user

    if refuse_nul_bytes():
        abort(400)
    if impossible_path_value():
        abort(404)  # names no row; never let it reach a query
    if shares_login():
        use_host_user()  # the host's session rules apply, not netvaerk's
        load_current_network()
    else:
        use_proxy_user()
        load_current_network()
        if enforce_session_limits():
            load_current_network()
            if g.get("netvaerk_draft_page"):  # a form sent too late: log in, then its page
                from flask import redirect, url_for

                return redirect(url_for("netvaerk.auth.login", next=g.netvaerk_draft_page))
    view = current_app.view_functions.get(request.endpoint or "")
    if g.role == "kiosk" and view is not None:
        allowed = getattr(view, "netvaerk_kiosk_allowed", False)
        if not allowed and request.endpoint != "netvaerk.static":
            abort(403)


def _layout_context() -> dict:
    """Values every netvaerk page needs: the base template and the current network."""
    from flask import current_app
    from flask_babel import get_locale

    return {
        "netvaerk_base": current_app.config["NETVAERK_BASE_TEMPLATE"],
        "current_network": g.get("network"),
        "current_role": g.get("role"),
        "current_locale": str(get_locale()),
    }


def create_app(config: dict | None = None) -> Flask:
    """Build a complete standalone netvaerk app; `config` overrides every other setting."""
    instance_path = (config or {}).get("NETVAERK_INSTANCE_PATH") or os.environ.get(
        "NETVAERK_INSTANCE_PATH"
    )
    app = Flask(__name__, instance_path=instance_path, instance_relative_config=True)
    from_file = Config(app.config.root_path)
    from_file.from_pyfile("config.py", silent=True)
    from_environment = config_module.settings_from_environment()
    for source in (from_file, from_environment, config or {}):
        app.config.update(source)
    # What the operator set, even where it equals Flask's default (SESSION_COOKIE_SECURE=False).
    given = set(from_file) | set(from_environment) | set(config or {})
    config_module.apply_standalone_defaults(app, given)
    secure = config_module.cookie_secure(app.config)
    if secure is not None or "SESSION_COOKIE_SECURE" not in given:
        # Flask's own default (False) is no choice: only the operator's setting counts.
        app.config["SESSION_COOKIE_SECURE"] = (
            secure if secure is not None else not config_module.debug_like(app)
        )
    # Host names ignore case (RFC 3986): compare them lower-cased with TRUSTED_HOSTS.
    app.wsgi_app = config_module.LowerCaseHost(app.wsgi_app)
    proxies = int(app.config.get("NETVAERK_PROXY_COUNT") or 0)
    if proxies:
        # Behind a reverse proxy: trust its X-Forwarded-For/-Proto, so that rate limits, the
        # audit trail and HSTS see the visitor's address and scheme, not the proxy's.
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    Netvaerk(app, standalone=True)
    return app
