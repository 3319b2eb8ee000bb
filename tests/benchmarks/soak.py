"""`make soak`: the production set-up under steady use for a while (default 5 minutes).

gunicorn with 4 sync workers and the Redis storage for rate limits (as in the README's
production set-up), on a copy of the bench's generated data (cached, see data.py). Per network,
a coordinator walks the staff pages, a steering member reads the monthly report and the kiosk
taps residents. Reports p50/p95 per page, errors, and each worker's resident memory after the
warm-up and at the end (the growth), printed and written to bench-results/soak-<time>.json.

    .venv/bin/python tests/benchmarks/soak.py --seconds 60 --networks 3
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import signal
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks import data  # noqa: E402
from tests.benchmarks.checkin import kiosk_plan  # noqa: E402
from tests.benchmarks.common import (  # noqa: E402
    CSRF_RE,
    GENERATED_PASSWORD,
    ROOT,
    async_log_in,
    git_commit,
    machine,
    make_app,
    percentile_ms,
    rss_kib,
    start_gunicorn,
    worker_pids,
)
from tests.benchmarks.pages import page_urls, staff_emails  # noqa: E402


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default="postgresql+psycopg://postgres@127.0.0.1:5432")
    parser.add_argument("--db", default="netvaerk_bench_soak", help="database (recreated)")
    parser.add_argument("--networks", type=int, default=5)
    parser.add_argument("--years", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=300.0, help="duration (300)")
    parser.add_argument("--warmup", type=float, default=15.0, help="seconds before memory base")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0", help="rate-limit storage")
    parser.add_argument("--think", type=float, default=0.2, help="pause between a user's clicks")
    parser.add_argument("--out", default=None)
    return parser.parse_args(argv)


async def user(base, email, urls, deadline, think, samples, errors, kiosk=None):
    """One signed-in user clicking through `urls` (or, for a kiosk, tapping residents)."""
    import httpx

    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        error = await async_log_in(client, email, GENERATED_PASSWORD)
        if error:
            errors.setdefault("login", []).append(error)
            return
        token = None
        if kiosk:
            match = CSRF_RE.search((await client.get("/kiosk/")).text)
            token = match.group(1) if match else ""
        rng = random.Random(email)
        while time.monotonic() < deadline:
            if kiosk:
                label, method, url = (
                    "kiosk check-in",
                    "POST",
                    f"/kiosk/check-in/{rng.choice(kiosk)}",
                )
            else:
                label, url = rng.choice(urls)
                method = "GET"
            start = time.perf_counter()
            try:
                if method == "POST":
                    response = await client.post(
                        url, data={"csrf_token": token}, follow_redirects=True
                    )
                else:
                    response = await client.get(url)
                ok = response.status_code == 200 and not response.history
                if not ok:
                    errors.setdefault(label, []).append(f"{url}: {response.status_code}")
            except httpx.HTTPError as error:
                errors.setdefault(label, []).append(f"{url}: {error!r}")
            samples.setdefault(label, []).append(time.perf_counter() - start)
            await asyncio.sleep(rng.uniform(0, 2 * think))


def plan_users(app, networks: int) -> list[tuple[str, list, list | None]]:
    """(e-mail, pages, kiosk residents) for each coordinator, steering member and kiosk."""
    users = []
    for network_id, kiosk_email, _, residents in kiosk_plan(app, want=10**9, limit=networks):
        emails = staff_emails(app, network_id)
        urls = page_urls(app, network_id)
        # Each page by the role it is timed for: the steering group reads closed months only.
        steering = [u for u in urls if u[0].startswith("steering")]
        users.append((emails["coordinator"], [u for u in urls if u not in steering], None))
        users.append((emails["steering"], steering, None))
        users.append((kiosk_email, [], residents))
    return users


def memory(master: int) -> dict[int, tuple[int, int]]:
    return {pid: rss_kib(pid) for pid in worker_pids(master)}


def main(argv) -> int:
    args = parse_args(argv)
    instance = tempfile.mkdtemp(prefix="netvaerk-soak-")
    url = f"{args.server}/{args.db}"
    print(f"{args.networks} networks x {args.years} years into {args.db} ...", flush=True)
    prepared = data.prepare(
        args.server,
        args.db,
        f"g{args.networks}x{args.years}s{args.seed}",
        data.build_generated(instance, args.networks, args.years, args.seed),
    )
    app = make_app(url, instance)
    users = plan_users(app, args.networks)
    server, base = start_gunicorn(
        url, instance, args.workers, {"NETVAERK_RATELIMIT_STORAGE_URI": args.redis}
    )
    samples: dict[str, list[float]] = {}
    errors: dict[str, list[str]] = {}
    print(f"{len(users)} users on gunicorn -w {args.workers} for {args.seconds} s ...", flush=True)
    try:

        async def run():
            deadline = time.monotonic() + args.seconds
            tasks = [
                asyncio.create_task(
                    user(base, email, urls, deadline, args.think, samples, errors, kiosk)
                )
                for email, urls, kiosk in users
            ]
            await asyncio.sleep(min(args.warmup, args.seconds / 2))
            base_memory = memory(server.pid)
            await asyncio.gather(*tasks)
            return base_memory

        started = time.monotonic()
        before = asyncio.run(run())
        elapsed = time.monotonic() - started
        after = memory(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    results = {
        "started": datetime.now().isoformat(timespec="seconds"),
        "commit": git_commit(),
        "machine": machine(),
        "size": {"networks": args.networks, "years": args.years, "seed": args.seed},
        "generate": {k: v for k, v in prepared.items() if k != "output"},
        "workers": args.workers,
        "rate_limit_storage": args.redis,
        "users": len(users),
        "seconds": round(elapsed, 1),
        "pages": {
            label: {
                "requests": len(times),
                "p50_ms": percentile_ms(times, 0.5),
                "p95_ms": percentile_ms(times, 0.95),
                "errors": len(errors.get(label, [])),
                "error_samples": errors.get(label, [])[:3],
            }
            for label, times in sorted(samples.items())
        },
        "login_errors": errors.get("login", []),
        "memory_mib": {
            str(pid): {
                "after_warmup": round(before[pid][1] / 1024, 1),
                "end": round(after[pid][1] / 1024, 1),
                "growth": round((after[pid][1] - before[pid][1]) / 1024, 1),
                "peak": round(after[pid][0] / 1024, 1),
            }
            for pid in after
            if pid in before
        },
        "workers_replaced": sorted(set(before) ^ set(after)),
    }
    print_report(results)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    out = Path(args.out) if args.out else ROOT / "bench-results" / f"soak-{stamp}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, default=str) + "\n")
    print(f"\nResults written to {out}")
    failed = sum(p["errors"] for p in results["pages"].values()) + len(results["login_errors"])
    return 1 if failed else 0


def print_report(results: dict) -> None:
    print(f"\n{'page':32} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>6}")
    for label, p in results["pages"].items():
        print(f"{label:32} {p['requests']:>8} {p['p50_ms']:>8} {p['p95_ms']:>8} {p['errors']:>6}")
    print(f"\n{'worker':>8} {'after warm-up MiB':>18} {'end MiB':>8} {'growth MiB':>10}")
    for pid, m in results["memory_mib"].items():
        print(f"{pid:>8} {m['after_warmup']:>18} {m['end']:>8} {m['growth']:>10}")
    if results["workers_replaced"]:
        print(f"workers replaced during the run: {results['workers_replaced']}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
