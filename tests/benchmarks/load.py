"""Rows 4 and 5: gunicorn under concurrent kiosk check-ins, then the workers' memory.

Several clients per network log in as that network's kiosk and tap residents from the SAME
small pool at once, so one resident is often tapped from two clients in the same instant.
Afterwards the database is asked how many (meeting, resident) pairs were checked in twice:
the answer must be 0, and every resident tapped must be checked in exactly once.
"""

from __future__ import annotations

import asyncio
import random
import signal
import time

from tests.benchmarks.checkin import clear_checkins, kiosk_plan
from tests.benchmarks.common import (
    CSRF_RE,
    GENERATED_PASSWORD,
    async_log_in,
    percentile_ms,
    rss_kib,
    start_gunicorn,
    worker_pids,
)


async def kiosk_client(client, email: str) -> str | None:
    """Log a client in as the kiosk; returns the kiosk page's CSRF token or raises."""
    error = await async_log_in(client, email, GENERATED_PASSWORD)
    if error:
        raise RuntimeError(error)
    page = await client.get("/kiosk/")
    match = CSRF_RE.search(page.text)
    if match is None:
        raise RuntimeError(f"kiosk page {email}: {page.status_code}")
    return match.group(1)


async def tap(client, token, residents, deadline, seed, latencies, errors, tapped):
    """Tap residents of the shared pool until the deadline."""
    import httpx

    rng = random.Random(seed)
    while time.monotonic() < deadline:
        pid = rng.choice(residents)
        start = time.perf_counter()
        try:
            response = await client.post(
                f"/kiosk/check-in/{pid}", data={"csrf_token": token}, follow_redirects=True
            )
            ok = response.status_code == 200 and not response.history
            if ok:
                tapped.add(pid)
            else:
                errors.append(f"check-in {pid}: {response.status_code}")
        except httpx.HTTPError as error:
            errors.append(f"check-in {pid}: {error!r}")
        latencies.append(time.perf_counter() - start)


async def run_clients(base, plan, per_network, pool, seconds, latencies, errors, tapped):
    """Log every client in first, then start the clock and let them all tap at once."""
    import httpx

    clients = [
        (httpx.AsyncClient(base_url=base, timeout=60), email, residents[:pool], f"{nid}-{n}")
        for nid, email, _, residents in plan
        for n in range(per_network)
    ]
    try:
        tokens = await asyncio.gather(*(kiosk_client(c, email) for c, email, _, _ in clients))
        started = time.monotonic()
        deadline = started + seconds
        await asyncio.gather(
            *(
                tap(c, token, residents, deadline, seed, latencies, errors, tapped)
                for (c, _, residents, seed), token in zip(clients, tokens, strict=True)
            )
        )
        return time.monotonic() - started
    finally:
        for c, *_ in clients:
            await c.aclose()


def duplicates_in_database(app, meeting_ids: list[int]) -> tuple[int, int]:
    """(pairs checked in more than once, residents checked in) for these meetings."""
    from sqlalchemy import text

    from netvaerk.extensions import db

    with app.app_context():
        duplicates = db.session.execute(
            text(
                "SELECT count(*) FROM (SELECT meeting_id, participant_id FROM netvaerk_attendance "
                "WHERE meeting_id = ANY(:ids) GROUP BY meeting_id, participant_id "
                "HAVING count(*) > 1) d"
            ),
            {"ids": meeting_ids},
        ).scalar()
        checked_in = db.session.execute(
            text(
                "SELECT count(DISTINCT (meeting_id, participant_id)) FROM netvaerk_attendance "
                "WHERE meeting_id = ANY(:ids) AND checked_in_at IS NOT NULL"
            ),
            {"ids": meeting_ids},
        ).scalar()
        db.session.rollback()
    return int(duplicates), int(checked_in)


def bench_load(
    app,
    url: str,
    instance: str,
    clients: int,
    per_network: int,
    pool: int,
    seconds: float,
    workers: int = 2,
) -> dict:
    """gunicorn with `workers` workers; `clients` kiosk clients, `per_network` on each network,
    tapping the same `pool` residents of their network."""
    networks = max(1, clients // per_network)
    plan = kiosk_plan(app, want=10**9, limit=networks)
    meeting_ids = [p[2] for p in plan]
    clear_checkins(app, meeting_ids)
    server, base = start_gunicorn(url, instance, workers)
    latencies: list[float] = []
    errors: list[str] = []
    tapped: set[int] = set()
    try:
        elapsed = asyncio.run(
            run_clients(base, plan, per_network, pool, seconds, latencies, errors, tapped)
        )
        memory = [rss_kib(pid) for pid in worker_pids(server.pid)]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    duplicates, checked_in = duplicates_in_database(app, meeting_ids)
    return {
        "workers": workers,
        "networks": len(plan),
        "clients": len(plan) * per_network,
        "clients_per_network": per_network,
        "residents_per_network": min(pool, min(len(p[3]) for p in plan)),
        "seconds": round(elapsed, 1),
        "requests": len(latencies),
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": percentile_ms(latencies, 0.50),
        "p95_ms": percentile_ms(latencies, 0.95),
        "p99_ms": percentile_ms(latencies, 0.99),
        "errors": len(errors),
        "error_samples": errors[:5],
        "residents_tapped": len(tapped),
        "residents_checked_in": checked_in,
        "duplicates": duplicates,
        "worker_peak_rss_mib": round(max(m[0] for m in memory) / 1024, 1) if memory else None,
        "worker_rss_mib": [round(m[1] / 1024, 1) for m in memory],
    }
