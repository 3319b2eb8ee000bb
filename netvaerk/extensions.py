"""The bare extension instances netvaerk uses; they are bound to an app in `Netvaerk.init_app`."""

from flask import current_app, has_app_context
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData

# Deterministic constraint names keep migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class NetvaerkSQLAlchemy(SQLAlchemy):
    """netvaerk's models and metadata; in a host that set up Flask-SQLAlchemy itself, the
    host's engines and session are used (netvaerk's tables carry no bind key, so the host's
    session puts them on the host's default engine)."""

    @property
    def engines(self):
        """The host's engines when the current app shares its Flask-SQLAlchemy, else ours."""
        host = host_database()
        return host.engines if host is not None else super().engines


def host_database() -> SQLAlchemy | None:
    """The host intranet's own Flask-SQLAlchemy of the current app, or None (standalone)."""
    if not has_app_context():
        return None
    shared = current_app.extensions.get("sqlalchemy")
    return shared if shared is not None and shared is not db else None


class HostAwareRegistry:
    """The registry behind `db.session`: the host's session where the host shares its
    Flask-SQLAlchemy, so netvaerk's changes and the host's are one transaction."""

    def __init__(self, own) -> None:
        self.own = own

    def _registry(self):
        host = host_database()
        return host.session.registry if host is not None else self.own

    def __call__(self):
        return self._registry()()

    def has(self) -> bool:
        """Whether a session exists in the current scope."""
        return self._registry().has()

    def set(self, obj) -> None:
        """Put a session into the current scope."""
        self._registry().set(obj)

    def clear(self) -> None:
        """Drop the current scope's session."""
        self._registry().clear()


db = NetvaerkSQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))
db.session.registry = HostAwareRegistry(db.session.registry)
migrate = Migrate()
login_manager = LoginManager()
babel = Babel()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
