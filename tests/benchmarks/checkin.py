"""Row 1: a kiosk tap through the whole app vs. a bare Flask route inserting one row.

The tap is the cached grid's request (issue 30): POST /kiosk/api/tap/<id> as the kiosk
account (its session cookie, the CSRF token in X-CSRFToken), answered with what the
confirmation shows as JSON. The form POST of a browser without JavaScript (the tap answered
with the confirmation page) is measured alongside, for information.
"""

from __future__ import annotations

import time

from tests.benchmarks.common import CSRF_RE, GENERATED_PASSWORD, counting, log_in, median_ms


def kiosk_plan(app, want: int, limit: int | None = None) -> list[tuple[int, str, int, list[int]]]:
    """(network id, kiosk e-mail, open meeting id, active resident ids) per network with a
    meeting open now, until `want` residents are covered (or `limit` networks)."""
    from sqlalchemy import select

    from netvaerk import timeutil
    from netvaerk.core.models import Membership, User
    from netvaerk.extensions import db
    from netvaerk.meetings.services import open_meeting
    from netvaerk.participants.models import Participant

    with app.app_context():
        now = timeutil.local_now()
        kiosks = db.session.execute(
            select(Membership.network_id, User.email)
            .join(User, User.id == Membership.user_id)
            .where(Membership.role == "kiosk")
            .order_by(Membership.network_id)
        ).all()
        plan = []
        for network_id, email in kiosks:
            meeting = open_meeting(network_id, now)
            if meeting is None:
                continue
            ids = db.session.execute(
                select(Participant.id)
                .where(Participant.network_id == network_id, Participant.status == "active")
                .order_by(Participant.id)
            ).scalars()
            plan.append((network_id, email, meeting.id, list(ids)))
            if sum(len(p[3]) for p in plan) >= want or (limit and len(plan) >= limit):
                break
        db.session.rollback()
    if not plan:
        raise SystemExit("No meeting is open now: generate with --open-now.")
    return plan


def clear_checkins(app, meeting_ids: list[int]) -> None:
    """Remove the check-ins of these meetings, so every tap of the bench is a fresh one."""
    from sqlalchemy import text

    from netvaerk.extensions import db

    with app.app_context():
        db.session.execute(
            text("DELETE FROM netvaerk_attendance WHERE meeting_id = ANY(:ids)"),
            {"ids": meeting_ids},
        )
        db.session.commit()


def bare_app(url: str):
    """A Flask app with one route inserting one row, on the same database; and its engine."""
    from flask import Flask
    from sqlalchemy import create_engine, text

    engine = create_engine(url, pool_size=5)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS bench_bare_checkin"))
        connection.execute(
            text(
                "CREATE TABLE bench_bare_checkin (id serial PRIMARY KEY, meeting_id int NOT NULL, "
                "participant_id int NOT NULL, checked_in_at timestamp NOT NULL, "
                "UNIQUE (meeting_id, participant_id))"
            )
        )
    bare = Flask("bare")

    @bare.post("/bare/<int:meeting_id>/<int:participant_id>")
    def bare_insert(meeting_id: int, participant_id: int):
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO bench_bare_checkin (meeting_id, participant_id, checked_in_at) "
                    "VALUES (:m, :p, now())"
                ),
                {"m": meeting_id, "p": participant_id},
            )
        return "Checked in"

    return bare, engine


def bench_checkin(app, url: str, count: int) -> dict:
    """Fresh taps (JSON) and fresh page check-ins (form POST, the page), interleaved with the
    bare route so load on the machine hits all alike."""
    from sqlalchemy import text

    from netvaerk.extensions import db

    plan = kiosk_plan(app, 2 * count + 40)
    clear_checkins(app, [p[2] for p in plan])
    bare, engine = bare_app(url)
    bare_client = bare.test_client()
    taps = []
    for _, email, meeting_id, resident_ids in plan:
        client = app.test_client()
        log_in(client, email, GENERATED_PASSWORD)
        token = CSRF_RE.search(client.get("/kiosk/").get_data(as_text=True)).group(1)
        taps += [(client, token, meeting_id, pid) for pid in resident_ids]
    pairs = min(count + 10, (len(taps) - 2) // 2)  # two left for counting the statements
    app_times, page_times, bare_times, statuses = [], [], [], set()
    for n in range(pairs):
        client, token, meeting_id, pid = taps[2 * n]
        start = time.perf_counter()
        response = client.post(f"/kiosk/api/tap/{pid}", headers={"X-CSRFToken": token})
        elapsed = time.perf_counter() - start
        assert response.status_code == 200, response.status_code
        assert response.get_json()["status"] == "checked_in", response.get_json()
        statuses.add("json 200")
        bare_start = time.perf_counter()
        assert bare_client.post(f"/bare/{meeting_id}/{pid}").status_code == 200
        bare_elapsed = time.perf_counter() - bare_start
        page_client, page_token, _, page_pid = taps[2 * n + 1]
        page_start = time.perf_counter()
        page = page_client.post(
            f"/kiosk/check-in/{page_pid}", data={"csrf_token": page_token}, follow_redirects=True
        )
        page_elapsed = time.perf_counter() - page_start
        assert page.status_code == 200, page.status_code
        statuses.add("page " + "->".join(map(str, [r.status_code for r in page.history] + [200])))
        if n >= min(10, pairs // 4):  # the first ones warm caches and the connection pools
            app_times.append(elapsed)
            bare_times.append(bare_elapsed)
            page_times.append(page_elapsed)
    client, token, _, pid = taps[2 * pairs]
    with app.app_context():
        app_engine = db.engine
    # Counted outside an app context, as timed: each request then has its own session, as in
    # production (inside one, both requests would share one, and reload what the first expired).
    with counting(app_engine) as fresh:
        client.post(f"/kiosk/api/tap/{pid}", headers={"X-CSRFToken": token})
    with counting(app_engine) as repeat:
        client.post(f"/kiosk/api/tap/{pid}", headers={"X-CSRFToken": token})
    client, token, _, pid = taps[2 * pairs + 1]
    with counting(app_engine) as page_fresh:
        client.post(f"/kiosk/check-in/{pid}", data={"csrf_token": token}, follow_redirects=True)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE bench_bare_checkin"))
    engine.dispose()
    app_ms, bare_ms, page_ms = median_ms(app_times), median_ms(bare_times), median_ms(page_times)
    return {
        "samples": len(app_times),
        "app_ms": app_ms,
        "bare_ms": bare_ms,
        "ratio": round(app_ms / bare_ms, 2),
        "page_ms": page_ms,
        "page_ratio": round(page_ms / bare_ms, 2),
        "responses": sorted(statuses),
        "queries_fresh_checkin": len(fresh),
        "queries_repeat_checkin": len(repeat),
        "queries_page_checkin": len(page_fresh),
    }
