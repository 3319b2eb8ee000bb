"""`make bench`: netvaerk's benchmark on PostgreSQL, printed as one table and saved as JSON.

Every row compares the same work, measured in the same run as its baseline (medians over
repeated runs):

1. the kiosk check-in (one tap, answered with the confirmation; a redirect would be followed)
   through the whole app vs. a bare Flask route inserting one row, on the same database;
2. each staff page and the steering report (an open month and a closed one) on the generated
   data vs. the same page on the demo: time and SQL read statements;
3. the monthly report of one network-month vs. exactly its SQL replayed, for an open and a
   closed month; and that month summed over all networks;
4. gunicorn under concurrent kiosk check-ins, several clients tapping the same residents of a
   network at once; duplicates are counted in the database afterwards;
5. the peak resident memory of a worker after the load.

The script recreates its own databases (`netvaerk_bench`, `netvaerk_bench_small`); generated
data is cached as template databases keyed by seed, sizes, day and schema (see data.py).
`--markdown results.json` writes the README's table from a run's JSON instead of measuring.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks import data, table  # noqa: E402
from tests.benchmarks.common import (  # noqa: E402
    DEMO_PASSWORD,
    GENERATED_PASSWORD,
    ROOT,
    git_commit,
    machine,
    make_app,
)

TABLES = (
    "netvaerk_network",
    "netvaerk_participant",
    "netvaerk_meeting",
    "netvaerk_attendance",
    "netvaerk_chore_assignment",
    "netvaerk_activity",
    "netvaerk_wheel_score",
    "netvaerk_monthly_report",
)


def parse_args(argv):
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default="postgresql+psycopg://postgres@127.0.0.1:5432")
    parser.add_argument("--db", default="netvaerk_bench", help="large database (recreated)")
    parser.add_argument("--networks", type=int, default=5, help="generated networks (5)")
    parser.add_argument("--years", type=float, default=1.0, help="generated years (1)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--full", action="store_true", help="300 networks x 5 years")
    parser.add_argument("--repeats", type=int, default=9, help="repeats per page and report")
    parser.add_argument("--checkins", type=int, default=150, help="check-ins timed (and bare)")
    parser.add_argument("--load-seconds", type=float, default=20.0, help="0 skips the load")
    parser.add_argument("--clients", type=int, default=32, help="concurrent kiosk clients")
    parser.add_argument("--per-network", type=int, default=4, help="clients on each network")
    parser.add_argument("--pool", type=int, default=6, help="residents each network's taps share")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers under load")
    parser.add_argument("--no-cache", action="store_true", help="generate even if cached")
    parser.add_argument("--reuse", action="store_true", help="keep the databases of a last run")
    parser.add_argument("--out", default=None, help="JSON file (default bench-results/...)")
    parser.add_argument(
        "--markdown",
        metavar="JSON",
        help="write the README's table from this run's JSON (no measuring)",
    )
    parser.add_argument("--readme", default=str(ROOT / "README.md"), help="with --markdown")
    args = parser.parse_args(argv)
    if args.full:
        args.networks, args.years = 300, 5.0
    return args


def prepare_databases(args, instance: str) -> dict:
    """The demo and the generated database, fresh copies of their cached templates."""
    if args.reuse:
        return {"cached": True, "reused": True}
    print(f"Demo into {args.db}_small ...", flush=True)
    data.prepare(
        args.server, f"{args.db}_small", "demo", data.build_demo(instance), not args.no_cache
    )
    print(f"{args.networks} networks x {args.years} years into {args.db} ...", flush=True)
    generated = data.prepare(
        args.server,
        args.db,
        f"g{args.networks}x{args.years}s{args.seed}",
        data.build_generated(instance, args.networks, args.years, args.seed),
        not args.no_cache,
    )
    how = "copied from cache" if generated["cached"] else "generated"
    print(f"  {how} in {generated['seconds']} s", flush=True)
    return generated


def count_rows(url: str) -> tuple[str, dict]:
    """PostgreSQL's version and the row counts of the main tables."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        version = connection.execute(text("SHOW server_version")).scalar()
        counts = {t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in TABLES}
    engine.dispose()
    return version, counts


def measure(args, results: dict, instance: str) -> None:
    """Rows 1 to 5."""
    from tests.benchmarks.checkin import bench_checkin
    from tests.benchmarks.load import bench_load
    from tests.benchmarks.pages import Staff, bench_pages, first_network
    from tests.benchmarks.report import bench_report

    large_url = f"{args.server}/{args.db}"
    small_url = f"{args.server}/{args.db}_small"
    large_app = make_app(large_url, instance)
    small_app = make_app(small_url, instance)
    print("1. check-in vs. bare insert ...", flush=True)
    results["checkin"] = bench_checkin(large_app, large_url, args.checkins)
    print("2. pages ...", flush=True)
    network_id = first_network(large_app)
    demo_network = first_network(small_app, "coordinator@example.org")
    results["pages_small"], results["pages_large"] = bench_pages(
        Staff(small_app, demo_network, DEMO_PASSWORD),
        Staff(large_app, network_id, GENERATED_PASSWORD),
        args.repeats,
    )
    print("3. monthly report ...", flush=True)
    results["report"] = bench_report(large_app, network_id, args.repeats)
    if args.load_seconds > 0:
        print("4. gunicorn under load ...", flush=True)
        results["load"] = bench_load(
            large_app,
            large_url,
            instance,
            args.clients,
            args.per_network,
            args.pool,
            args.load_seconds,
            args.workers,
        )


def main(argv: list[str]) -> int:
    """Set up the databases, run every measurement, print the table, write the JSON."""
    args = parse_args(argv)
    if args.markdown:
        results = json.loads(Path(args.markdown).read_text())
        table.write_readme(Path(args.readme), table.markdown(results, Path(args.markdown).name))
        table.print_table(results)
        print(f"\nTable written into {args.readme}")
        return 0
    instance = tempfile.mkdtemp(prefix="netvaerk-bench-")
    results: dict = {
        "started": datetime.now().isoformat(timespec="seconds"),
        "commit": git_commit(),
        "machine": machine(),
        "size": {"networks": args.networks, "years": args.years, "seed": args.seed},
    }
    results["generate"] = prepare_databases(args, instance)
    results["postgresql"], results["rows"] = count_rows(f"{args.server}/{args.db}")
    measure(args, results, instance)
    results["finished"] = datetime.now().isoformat(timespec="seconds")
    results["machine"]["loadavg_at_end"] = os.getloadavg()
    table.print_table(results)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    out = Path(args.out) if args.out else ROOT / "bench-results" / f"bench-{stamp}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, default=str) + "\n")
    print(f"\nResults written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
