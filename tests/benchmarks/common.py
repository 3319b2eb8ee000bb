"""What every part of the bench shares: paths, the app, logging in, counting statements."""

from __future__ import annotations

import os
import platform
import re
import socket
import statistics
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
GENERATED_PASSWORD = "netvaerk-generated"
DEMO_PASSWORD = "netvaerk-demo"


def flask(url: str, instance: str, *args: str) -> str:
    """Run a `flask --app netvaerk` command on a database; returns its output."""
    env = {**os.environ, "NETVAERK_DATABASE_URL": url, "NETVAERK_INSTANCE_PATH": instance}
    result = subprocess.run(
        [str(VENV_BIN / "flask"), "--app", "netvaerk", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def make_app(url: str, instance: str):
    """An app on the database, as production runs it (no TESTING), for in-process timing."""
    from netvaerk import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "NETVAERK_DATABASE_URL": url,
            "NETVAERK_INSTANCE_PATH": instance,
            "SECRET_KEY": "bench-secret",
            "SESSION_COOKIE_SECURE": False,
            "NETVAERK_RATELIMIT_LOGIN": "100000 per minute",
            "SERVER_NAME": "localhost",
        }
    )


def log_in(client, email: str, password: str) -> None:
    """Log a test client in through the login form."""
    token = CSRF_RE.search(client.get("/login").get_data(as_text=True)).group(1)
    response = client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token}
    )
    assert response.status_code == 302, (email, response.status_code)


@contextmanager
def counting(engine):
    """Collect the SQL statements run on the engine inside the block."""
    from sqlalchemy import event

    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


def read_queries(statements: list[str]) -> int:
    """Statements that read (an audit INSERT of a page view is not a read query)."""
    return sum(1 for s in statements if not s.lstrip().upper().startswith("INSERT"))


def median_ms(samples: list[float]) -> float:
    """The median of seconds, in milliseconds."""
    return round(statistics.median(samples) * 1000, 2)


def percentile_ms(samples: list[float], fraction: float) -> float | None:
    """A percentile of seconds (nearest rank), in milliseconds."""
    if not samples:
        return None
    ordered = sorted(samples)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] * 1000, 1)


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_kib(pid: int) -> tuple[int, int]:
    """(peak, current) resident memory of a process in KiB, from /proc."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            values[key] = int(rest.split()[0])
    return values.get("VmHWM", 0), values.get("VmRSS", 0)


def worker_pids(master: int) -> list[int]:
    """The gunicorn workers (children of the master)."""
    children = Path(f"/proc/{master}/task/{master}/children")
    return sorted(int(p) for p in children.read_text().split()) if children.exists() else []


def git_commit() -> str:
    """The commit measured, with `+dirty` when the work tree has uncommitted changes."""

    def git(*args):
        result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return result.stdout.strip() if result.returncode == 0 else ""

    commit = git("rev-parse", "--short=12", "HEAD") or "unknown"
    return commit + ("+dirty" if git("status", "--porcelain", "--untracked-files=no") else "")


def machine() -> dict:
    """What the figures were measured on."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem_kib = int(Path("/proc/meminfo").read_text().split()[1])
    return {
        "nproc": os.cpu_count(),
        "ram_gib": round(mem_kib / 1024 / 1024, 1),
        "cpu": cpu,
        "loadavg_at_start": os.getloadavg(),
        "python": platform.python_version(),
    }


def start_gunicorn(url: str, instance: str, workers: int, extra_env: dict | None = None):
    """gunicorn on a free port with `workers` sync workers; returns (process, base URL)."""
    import time

    import httpx

    port = free_port()
    env = {
        **os.environ,
        "NETVAERK_DATABASE_URL": url,
        "NETVAERK_INSTANCE_PATH": instance,
        "NETVAERK_SECRET_KEY": "bench-secret",
        "NETVAERK_COOKIE_SECURE": "0",
        "NETVAERK_RATELIMIT_LOGIN": "100000 per minute",
        **(extra_env or {}),
    }
    server = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "netvaerk:create_app()",
        ],
        env=env,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            if httpx.get(base + "/login", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        server.terminate()
        raise SystemExit("gunicorn did not answer /login")
    # Wait until every worker has booted, so memory is measured on all of them.
    for _ in range(100):
        if len(worker_pids(server.pid)) >= workers:
            break
        time.sleep(0.1)
    return server, base


async def async_log_in(client, email: str, password: str) -> str | None:
    """Log an httpx.AsyncClient in; returns an error text or None."""
    page = await client.get("/login")
    match = CSRF_RE.search(page.text)
    if match is None:
        return f"login page: {page.status_code}"
    response = await client.post(
        "/login", data={"email": email, "password": password, "csrf_token": match.group(1)}
    )
    if response.status_code != 302:
        return f"login {email}: {response.status_code}"
    return None
