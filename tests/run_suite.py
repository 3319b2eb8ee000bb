"""Run the test suite in legs, telling "no tests collected" (pytest's exit code 5) apart.

python tests/run_suite.py                 # the suite on SQLite (`make test`)
python tests/run_suite.py --with-browser  # the same, then the browser journeys (`make test-all`)
python tests/run_suite.py --postgres      # the suite against NETVAERK_TEST_DATABASE_URL
python tests/run_suite.py --browser       # the browser journeys only (they must exist and run)

The browser journeys (every page at four widths in two languages, in Chromium) take longer than
the rest together, so `make test` leaves them to `make test-browser`; CI runs both.

The PostgreSQL leg leaves out the tests marked `no_database`: tests/conftest.py marks every test
that reaches no database fixture (and is not marked `postgres`), so it runs the same on any
database and the SQLite leg, which CI runs too, has run it. Every test still runs in CI.
Each leg prints how long it took.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
NO_TESTS_COLLECTED = 5
# Two pytest-xdist workers (each with its own database). The browser leg runs in two workers
# too, each with its own live server (and demo database) and its own Chromium: a journey mostly
# waits on the browser and the server, so two at once take little more than one.
WORKERS = os.environ.get("NETVAERK_TEST_WORKERS", "2")
BROWSER_WORKERS = os.environ.get("NETVAERK_BROWSER_WORKERS", "2")


def leg(label: str, *args: str, env: dict | None = None) -> int:
    """Run one pytest leg; a leg that collects no test is a broken set-up, not a pass."""
    print(f"\n=== {label} ===", flush=True)
    started = time.monotonic()
    code = subprocess.call([sys.executable, "-m", "pytest", *args], env=env)
    minutes, seconds = divmod(round(time.monotonic() - started), 60)
    print(f"=== {label}: {minutes} min {seconds:02d} s ===", flush=True)
    if code == NO_TESTS_COLLECTED:
        print(f"!!! {label}: pytest collected no tests (exit code 5) - this leg checked nothing.")
        return 1
    if code != 0:
        print(f"!!! {label}: failed (exit code {code}).")
    return code


def browser_legs(env: dict) -> int:
    """The journeys, then the single sign-on journey in a process of its own: each holds one
    Playwright session for the whole run, and two cannot share a process."""
    code = leg(
        "browser journeys (Chromium)",
        "-m",
        "browser",
        "-n",
        BROWSER_WORKERS,
        "tests/browser",
        env=env,
    )
    if code:
        return code
    return leg("single sign-on journey (Chromium)", "-m", "browser", "tests/sso", env=env)


def main(argv: list[str]) -> int:
    """Run the legs asked for and return the first failing exit code (0 when all pass)."""
    env = dict(os.environ)
    if "--postgres" in argv:
        if not env.get("NETVAERK_TEST_DATABASE_URL", "").startswith("postgresql"):
            print("NETVAERK_TEST_DATABASE_URL must point at PostgreSQL for this leg.")
            return 2
        return leg(
            "suite on PostgreSQL (without the no_database tests: the SQLite leg runs them)",
            "-m",
            "not browser and not no_database",
            "-n",
            WORKERS,
            "-p",
            "no:cacheprovider",
            env=env,
        )
    if "--browser" in argv:
        if not CHROMIUM.exists():
            print(f"Browser tests need {CHROMIUM} (apt-get install chromium).")
            return 2
        return browser_legs(env)
    env.pop("NETVAERK_TEST_DATABASE_URL", None)
    code = leg("suite on SQLite", "-m", "not browser", "-n", WORKERS, env=env)
    if code or "--with-browser" not in argv:
        return code
    if CHROMIUM.exists():
        return browser_legs(env)
    print(
        f"\nSKIPPED the browser journeys: {CHROMIUM} is not installed (apt-get install chromium)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
