"""Access matrix entries of the monthly statistics.

The steering group and the coordinators read a network's reports; the site administrator
reads every network's (`viewable_networks`). Only a coordinator closes and reopens months
and enters the reference figures. Facilitators get 403: the statistics are written for the
steering group (issue 7) and nothing in the issues asks for a facilitator's view of them.
See tests/security/harness.py for the format.
"""

from datetime import date

from netvaerk import timeutil
from netvaerk.extensions import db
from netvaerk.stats import closing, references
from netvaerk.stats.sections import TREND_METRICS

from ..security.harness import DONE, NOT_FOUND, OK, allow

READERS = allow("coordinator", "steering", admin=OK)
COORDINATOR_POST = allow("coordinator", answer=DONE)


def _months_back(count: int) -> tuple[int, int]:
    today = timeutil.local_today()
    index = today.year * 12 + today.month - 1 - count
    return index // 12, index % 12 + 1


def _month(months_back: int) -> dict:
    year, month = _months_back(months_back)
    return {"year": year, "month": month}


def _report(net, months_back: int = 1) -> dict:
    """A month's report of the role's own network (?network=: another's answers 404)."""
    year, month = _months_back(months_back)
    return {"year": year, "month": month, "network": net.network.id}


def _last_quarter() -> tuple[int, int]:
    """The last quarter that has ended (year, 1-4)."""
    today = timeutil.local_today()
    index = (today.year * 12 + today.month - 1) // 3 - 1
    return index // 4, index % 4 + 1


def _quarter(net) -> dict:
    """The last complete quarter of the role's own network (closed)."""
    year, quarter = _last_quarter()
    return {"year": year, "quarter": quarter, "network": net.network.id}


ACCESS = {
    "netvaerk.stats.index": READERS,
    "netvaerk.stats.month": READERS,
    "netvaerk.stats.print_view": READERS,
    "netvaerk.stats.chart": READERS,
    "netvaerk.stats.export": READERS,
    "netvaerk.stats.quarter": READERS,
    # This year is not closed (populating closes one quarter only, to stay fast): the
    # steering group and the administrator (protected figures) get the 404 of an unknown
    # year; a coordinator sees the provisional figures of their own network.
    "netvaerk.stats.year": allow("coordinator", steering=NOT_FOUND, admin=NOT_FOUND),
    "netvaerk.stats.quarter_export": READERS,
    "netvaerk.stats.year_export": allow("coordinator", steering=NOT_FOUND, admin=NOT_FOUND),
    "netvaerk.stats.close": COORDINATOR_POST,
    "netvaerk.stats.reopen": allow("coordinator"),
    "netvaerk.stats.references": allow("coordinator"),
    "netvaerk.stats.delete_reference": COORDINATOR_POST,
}

URL_ARGS = {
    "netvaerk.stats.index": lambda net: {"network": net.network.id},
    "netvaerk.stats.month": _report,
    "netvaerk.stats.print_view": _report,
    "netvaerk.stats.chart": lambda net: {
        **_report(net),
        "name": TREND_METRICS[0].key.replace(".", "-"),
    },
    "netvaerk.stats.export": lambda net: {**_report(net), "fmt": "csv"},
    # The last complete quarter is closed (see `populate`).
    "netvaerk.stats.quarter": _quarter,
    "netvaerk.stats.year": lambda net: {"year": _last_quarter()[0], "network": net.network.id},
    "netvaerk.stats.quarter_export": lambda net: {**_quarter(net), "fmt": "csv"},
    "netvaerk.stats.year_export": lambda net: {
        "year": _last_quarter()[0],
        "network": net.network.id,
        "fmt": "csv",
    },
    # Closing and reopening act on the coordinator's current network (no id in the URL).
    "netvaerk.stats.close": lambda net: _month(2),
    "netvaerk.stats.reopen": lambda net: _month(1),
    "netvaerk.stats.delete_reference": lambda net: {
        "kind": "area",
        "row_id": net.area_reference.id,
    },
}


def populate(net):
    """Last month and the last complete quarter closed (with the other capabilities' rows in
    them), and reference figures."""
    coordinator = net.users["coordinator"]
    today = timeutil.local_today()
    year, quarter = _last_quarter()
    months = {_months_back(1), *((year, m) for m in range(3 * quarter - 2, 3 * quarter + 1))}
    for year, month in sorted(months):
        closing.close_month(net.network, year, month, coordinator, today)
    db.session.commit()
    net.area_reference = references.save_area_reference(
        net.network, net.network.housing_areas[0].id, 2025, 12.5, coordinator
    )
    net.plan_target = references.save_target(
        net.network, TREND_METRICS[0].key, date.today().year, 40.0, coordinator
    )
    db.session.commit()
