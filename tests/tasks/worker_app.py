"""The app the worker tests start in other processes: netvaerk with two more periodic jobs,
always due: one appends its process id to a file each time it really runs, the other is the
reminders' daily job."""

import os
import time as clock
from datetime import time

from netvaerk import create_app

COUNT_FILE = "NETVAERK_TEST_COUNT_FILE"


def count_run(now) -> None:
    """The job: slow enough that two workers would overlap, and counted outside the database."""
    clock.sleep(0.3)
    with open(os.environ[COUNT_FILE], "a") as handle:
        handle.write(f"{os.getpid()}\n")


def make_app():
    """netvaerk as configured by the environment, plus the counting job."""
    app = create_app()
    registry = app.extensions["netvaerk"].registry
    registry.periodic_job("test.count", count_run, at=time(0, 0), grace_hours=25)
    # The reminders' daily job, due at any hour of the day the test runs.
    registry.periodic_job(
        "test.reminders",
        registry.periodic_jobs["reminders.daily"].func,
        at=time(0, 0),
        grace_hours=25,
    )
    return app
