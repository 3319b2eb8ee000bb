"""Row 3: the monthly report through the app vs. exactly the SQL it runs, replayed.

The baseline is the statements the report runs, captured with their parameters and replayed
straight through the database driver, so a ratio is the cost of everything the app adds around
its SQL (building statements, suppression, presentation). One network-month is measured for an
open month and for a closed one; the month over every network likewise, each against itself.
"""

from __future__ import annotations

import time

from tests.benchmarks.common import counting, median_ms


def _months(app, network_id: int) -> tuple[tuple[int, int], tuple[int, int] | None]:
    """The last complete month if open, else the current one; and the latest closed month."""
    from sqlalchemy import select

    from netvaerk import timeutil
    from netvaerk.extensions import db
    from netvaerk.stats.models import MonthlyReport
    from netvaerk.stats.services import add_months

    today = timeutil.local_today()
    with app.app_context():
        closed = {
            tuple(row)
            for row in db.session.execute(
                select(MonthlyReport.year, MonthlyReport.month).where(
                    MonthlyReport.network_id == network_id
                )
            )
        }
        db.session.rollback()
    last = add_months(today.year, today.month, -1)
    open_month = last if last not in closed else (today.year, today.month)
    return open_month, (max(closed) if closed else None)


def _one_network(app, network, year: int, month: int, repeats: int, exact: bool) -> dict:
    """One network-month's report vs. its replayed statements, interleaved: exact for an open
    month (what coordinators read), protected for a closed one (what the steering group reads)."""
    from sqlalchemy import event

    from netvaerk.extensions import db
    from netvaerk.stats.services import build_report

    captured = []

    def grab(conn, cursor, statement, parameters, context, executemany):
        captured.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", grab)
    try:
        build_report([network], year, month, exact=exact)
    finally:
        event.remove(db.engine, "before_cursor_execute", grab)

    def bare():
        raw = db.engine.raw_connection()
        try:
            cursor = raw.cursor()
            for statement, parameters in captured:
                cursor.execute(statement, parameters)
                cursor.fetchall()
            cursor.close()
            raw.rollback()
        finally:
            raw.close()

    def app_side():
        build_report([network], year, month, exact=exact)

    app_samples = _timed(app_side, repeats, interleave=bare)
    bare_samples = _timed(bare, repeats, interleave=app_side)
    app_ms, bare_ms = median_ms(app_samples), median_ms(bare_samples)
    return {
        "month": f"{year}-{month:02d}",
        "app_ms": app_ms,
        "bare_sql_ms": bare_ms,
        "ratio": round(app_ms / bare_ms, 2),
        "queries": len(captured),
    }


def _timed(func, repeats: int, interleave=None) -> list[float]:
    """Seconds of `repeats` calls after one warm-up; `interleave` runs between them so load
    on the machine hits both sides alike.

    No rollback in between: it would expire the loaded networks, and every call would then
    pay a lazy reload per network that the replayed SQL does not.
    """
    func()
    samples = []
    for _ in range(repeats):
        if interleave:
            interleave()
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    return samples


def bench_report(app, network_id: int, repeats: int) -> dict:
    """One network-month (open and closed) and one month over all networks (open and closed)."""
    from sqlalchemy import select

    from netvaerk.core.models import Network
    from netvaerk.extensions import db
    from netvaerk.stats.services import build_report

    open_month, closed_month = _months(app, network_id)
    results: dict = {}
    with app.app_context():
        network = db.session.get(Network, network_id)
        networks = list(db.session.execute(select(Network).order_by(Network.name)).scalars())
        results["networks"] = len(networks)
        months = {"open": open_month, "closed": closed_month}
        for state, when in months.items():
            if when is None:
                continue
            exact = state == "open"
            one = _one_network(app, network, *when, repeats, exact)
            with counting(db.engine) as statements:
                build_report(networks, *when, exact=exact)
            every = _timed(
                lambda when=when, exact=exact: build_report(networks, *when, exact=exact), 3
            )
            one["all_networks_ms"] = median_ms(every)
            one["all_networks_queries"] = len(statements)
            results[state] = one
        db.session.rollback()
    return results
