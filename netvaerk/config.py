"""Settings: defaults, `instance/config.py` and `NETVAERK_*` environment variables."""

import logging
import os
import re
import secrets
from datetime import timedelta
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlsplit

# TRUSTED_HOSTS (the refusal of requests for other hosts) is Flask's since 3.1; older versions
# ignore the setting without a word, so start-up refuses them.
MINIMUM_FLASK = (3, 1)

DEFAULTS = {
    "NETVAERK_BASE_TEMPLATE": "netvaerk/layout.html",
    "NETVAERK_MIN_CELL": 5,
    # Breakdowns of the statistics (group, age band, area, outcome, evaluations, wheel) are
    # shown to the steering group only over at least this many people (README: statistics).
    "NETVAERK_MIN_POPULATION": 20,
    "NETVAERK_PASSWORD_MIN_LENGTH": 12,
    "NETVAERK_IDLE_MINUTES": 30,
    "NETVAERK_SESSION_HOURS": 10,
    "NETVAERK_SMTP_HOST": None,
    "NETVAERK_SMTP_PORT": 25,
    "NETVAERK_MAIL_SENDER": "netvaerk@localhost",
    "NETVAERK_INVITATION_HOURS": 72,
    "NETVAERK_ANSWER_LINK_HOURS": 48,
    # Failed logins from one address (any accounts): generous, since a centre's staff and
    # tablet share one address; known devices and the kiosk account are exempt.
    "NETVAERK_RATELIMIT_LOGIN_ADDRESS": "30 per minute;300 per hour",
    # Failed logins to one account from one client (its known device, else its address).
    "NETVAERK_RATELIMIT_LOGIN": "10 per minute;50 per hour",
    # Failed logins to one account from clients it does not know; its own devices and
    # addresses are exempt, so strangers cannot lock it out (README, "Login throttling").
    "NETVAERK_RATELIMIT_LOGIN_ACCOUNT": "10 per minute;50 per hour;100 per day",
    "NETVAERK_KNOWN_DEVICE_DAYS": 180,
    "NETVAERK_KNOWN_ADDRESS_DAYS": 90,
    # Pages opened through a secret link (invitation, one-time answer link), per address.
    "NETVAERK_RATELIMIT_TOKEN": "30 per minute;300 per hour",
    "NETVAERK_RATELIMIT_STORAGE_URI": "memory://",
    "NETVAERK_PASSWORD_HASH_METHOD": "scrypt",
    # The kiosk tablet's session cookie; staff sessions end with the browser, when idle for
    # NETVAERK_IDLE_MINUTES, and at the latest NETVAERK_SESSION_HOURS after login.
    "NETVAERK_KIOSK_DAYS": 30,
    # A tap the kiosk stored while offline counts when it arrives before the end of its
    # meeting plus this many minutes; later ones are shown on the register as too late.
    "NETVAERK_KIOSK_OFFLINE_GRACE_MINUTES": 60,
    # Security headers: who may frame netvaerk's pages (CSP frame-ancestors), the referrer
    # policy, HSTS (sent only over HTTPS; 0 turns it off) and an optional complete CSP.
    "NETVAERK_FRAME_ANCESTORS": "'none'",
    "NETVAERK_REFERRER_POLICY": "same-origin",
    "NETVAERK_HSTS_SECONDS": 31536000,
    "NETVAERK_CSP": None,
    # Number of reverse proxies in front of a standalone app (0: none); see README.
    # Scheme and host of the site ("https://netvaerk.example.dk"): links sent or shown (e-mailed
    # invitations, calendar feeds, answer links) are built from it, never from the request's
    # Host header; standalone, requests for any other host answer 400 (TRUSTED_HOSTS).
    "NETVAERK_BASE_URL": None,
    # More host names to accept, comma-separated (standalone; with or without a base URL).
    "NETVAERK_TRUSTED_HOSTS": None,
    "NETVAERK_PROXY_COUNT": 0,
    # Audit events of the site administrator's and coordinators' pages, per page.
    "NETVAERK_AUDIT_PAGE_SIZE": 50,
    # Participants per page of the participant list.
    "NETVAERK_PARTICIPANTS_PAGE_SIZE": 50,
    # Audit events not tied to a network (logins, accounts) are kept this many months; a
    # network's own events as long as its retention setting says.
    "NETVAERK_AUDIT_MONTHS": 12,
    # Residents who were only interested or had an intake but never started are erased by
    # `flask purge` after this many months without a change.
    "NETVAERK_NEVER_STARTED_MONTHS": 6,
    # The task queue (README, "Background work"): empty keeps it in a SQLite file in the
    # instance folder; "redis://host:6379/0" for several workers in production.
    "NETVAERK_QUEUE_URL": None,
    # The retention clean-up runs each night at 03:30 Copenhagen time ("0" turns it off).
    "NETVAERK_PURGE_NIGHTLY": "1",
    # Mail: seconds to wait for the SMTP server, and how long the outbox keeps retrying.
    "NETVAERK_SMTP_TIMEOUT": 30,
    "NETVAERK_SMTP_STARTTLS": None,
    "NETVAERK_SMTP_USERNAME": None,
    "NETVAERK_SMTP_PASSWORD": None,
    "NETVAERK_MAIL_RETRY_HOURS": 48,
    # Sent and failed mail is kept this many days for the admin's outbox page, then deleted.
    "NETVAERK_OUTBOX_DAYS": 90,
}

INT_SETTINGS = {
    "NETVAERK_MIN_CELL",
    "NETVAERK_MIN_POPULATION",
    "NETVAERK_PASSWORD_MIN_LENGTH",
    "NETVAERK_IDLE_MINUTES",
    "NETVAERK_SESSION_HOURS",
    "NETVAERK_SMTP_PORT",
    "NETVAERK_INVITATION_HOURS",
    "NETVAERK_ANSWER_LINK_HOURS",
    "NETVAERK_KIOSK_DAYS",
    "NETVAERK_KIOSK_OFFLINE_GRACE_MINUTES",
    "NETVAERK_HSTS_SECONDS",
    "NETVAERK_PROXY_COUNT",
    "NETVAERK_AUDIT_PAGE_SIZE",
    "NETVAERK_PARTICIPANTS_PAGE_SIZE",
    "NETVAERK_AUDIT_MONTHS",
    "NETVAERK_NEVER_STARTED_MONTHS",
    "NETVAERK_KNOWN_DEVICE_DAYS",
    "NETVAERK_KNOWN_ADDRESS_DAYS",
    "NETVAERK_SMTP_TIMEOUT",
    "NETVAERK_MAIL_RETRY_HOURS",
    "NETVAERK_OUTBOX_DAYS",
}


def settings_from_environment(environ=os.environ) -> dict:
    """Return every `NETVAERK_*` environment variable, with numbers converted."""
    found = {}
    for key, value in environ.items():
        if not key.startswith("NETVAERK_") or key.startswith("NETVAERK_TEST_"):
            continue
        found[key] = int(value) if key in INT_SETTINGS else value
    return found


def secret_key_from_instance(instance_path: str) -> str:
    """Read the instance folder's generated secret key, creating it on first run."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def base_url_host(base_url: str | None) -> str | None:
    """The host name of NETVAERK_BASE_URL; refuses a value that is not scheme and host only."""
    if not base_url:
        return None
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/"):
        raise ValueError(
            f"NETVAERK_BASE_URL must be a scheme and a host, like https://netvaerk.example.dk "
            f"(got {base_url!r})"
        )
    return parts.hostname


def trusted_hosts(config) -> list[str] | None:
    """The hosts a standalone app answers: the base URL's and NETVAERK_TRUSTED_HOSTS."""
    hosts = [base_url_host(config.get("NETVAERK_BASE_URL"))]
    hosts += (config.get("NETVAERK_TRUSTED_HOSTS") or "").split(",")
    found = [host.strip().lower() for host in hosts if host and host.strip()]
    return found or None


def apply_standalone_defaults(app, given: set[str]) -> None:
    """Settings a standalone app needs, unless `given` (set by the operator) names them."""
    defaults = {
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_NAME": "netvaerk_session",
        # Only the kiosk's session is permanent (see auth.views.login); staff sessions are
        # bounded on the server by NETVAERK_IDLE_MINUTES and NETVAERK_SESSION_HOURS.
        "PERMANENT_SESSION_LIFETIME": timedelta(
            days=int(app.config.get("NETVAERK_KIOSK_DAYS", DEFAULTS["NETVAERK_KIOSK_DAYS"]))
        ),
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        # Requests naming another Host answer 400 (Flask checks it before routing).
        "TRUSTED_HOSTS": trusted_hosts(app.config),
    }
    for key, value in defaults.items():
        if key not in given:
            app.config[key] = value


def require_flask(installed: str | None = None) -> None:
    """Refuse to start on a Flask older than MINIMUM_FLASK (whose TRUSTED_HOSTS we rely on)."""
    installed = installed or version("flask")
    release = tuple(int(part) for part in re.findall(r"\d+", installed)[:2])
    if release < MINIMUM_FLASK:
        needed = ".".join(map(str, MINIMUM_FLASK))
        raise RuntimeError(
            f"netvaerk needs Flask {needed} or newer (installed: {installed}): older versions "
            "ignore TRUSTED_HOSTS, so requests naming any host would be answered."
        )


FALSE_WORDS = ("0", "false", "no", "off", "")


def cookie_secure(config) -> bool | None:
    """NETVAERK_COOKIE_SECURE as a bool (None when it is not set)."""
    value = config.get("NETVAERK_COOKIE_SECURE")
    if value is None:
        return None
    if isinstance(value, bool | int):
        return bool(value)
    return str(value).strip().lower() not in FALSE_WORDS


def debug_like(app) -> bool:
    """Debug mode or the test suite: a developer's machine, not production."""
    return bool(app.debug or app.config.get("TESTING"))


def warn_without_base_url(app) -> None:
    """Say so at start-up when production runs without NETVAERK_BASE_URL."""
    if debug_like(app) or app.config.get("NETVAERK_BASE_URL"):
        return
    logging.getLogger("netvaerk").warning(
        "NETVAERK_BASE_URL is not set: requests for any host name are answered and links that "
        "are sent or shown (invitations, calendar feeds, answer links) can only hold a path, "
        "unless TRUSTED_HOSTS names the hosts. Set NETVAERK_BASE_URL="
        "https://<your host> (README, 'Base URL and trusted hosts')."
    )


class LowerCaseHost:
    """WSGI middleware: the Host and X-Forwarded-Host headers lower-cased (host names ignore
    case), so that the trusted-host check and the links built from them agree."""

    def __init__(self, wsgi_app) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        for key in ("HTTP_HOST", "HTTP_X_FORWARDED_HOST", "SERVER_NAME"):
            if key in environ:
                environ[key] = environ[key].lower()
        return self.wsgi_app(environ, start_response)
