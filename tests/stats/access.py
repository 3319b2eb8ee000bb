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

from ..security.harness import DONE, OK, allow

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


def _last_year(net, **extra) -> dict:
    """Last year (every month closed), of the role's own network."""
    return {"year": timeutil.local_today().year - 1, "network": net.network.id, **extra}


ACCESS = {
    "netvaerk.stats.index": READERS,
    "netvaerk.stats.month": READERS,
    "netvaerk.stats.print_view": READERS,
    "netvaerk.stats.export": READERS,
    "netvaerk.stats.quarter": READERS,
    "netvaerk.stats.year": READERS,
    "netvaerk.stats.quarter_export": READERS,
    "netvaerk.stats.year_export": READERS,
    "netvaerk.stats.close": COORDINATOR_POST,
    "netvaerk.stats.reopen": allow("coordinator"),
    "netvaerk.stats.references": allow("coordinator"),
    "netvaerk.stats.delete_reference": COORDINATOR_POST,
}

URL_ARGS = {
    "netvaerk.stats.index": lambda net: {"network": net.network.id},
    "netvaerk.stats.month": _report,
    "netvaerk.stats.print_view": _report,
    "netvaerk.stats.export": lambda net: {**_report(net), "fmt": "csv"},
    # Last year is closed throughout (see `populate`): its year and its fourth quarter.
    "netvaerk.stats.quarter": lambda net: _last_year(net, quarter=4),
    "netvaerk.stats.year": _last_year,
    "netvaerk.stats.quarter_export": lambda net: _last_year(net, quarter=4, fmt="xlsx"),
    "netvaerk.stats.year_export": lambda net: _last_year(net, fmt="pdf"),
    # Closing and reopening act on the coordinator's current network (no id in the URL).
    "netvaerk.stats.close": lambda net: _month(2),
    "netvaerk.stats.reopen": lambda net: _month(1),
    "netvaerk.stats.delete_reference": lambda net: {
        "kind": "area",
        "row_id": net.area_reference.id,
    },
}


def populate(net):
    """Last month and every month of last year closed (with the other capabilities' rows in
    them), and reference figures."""
    coordinator = net.users["coordinator"]
    today = timeutil.local_today()
    months = {_months_back(1), *((today.year - 1, m) for m in range(1, 13))}
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
