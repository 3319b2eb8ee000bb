"""Row 2: each staff page and the steering report on the demo and on the generated data.

Like for like: the same page for the same kind of network on both databases, and the steering
report both for an open month (the current one, computed live on both) and for a closed month
(the latest month closed on both, read from its snapshot). No row is special-cased.
"""

from __future__ import annotations

import time

from tests.benchmarks.common import counting, log_in, median_ms, read_queries


def page_urls(app, network_id: int) -> list[tuple[str, str]]:
    """The pages to time for a network (participant with the longest history)."""
    from sqlalchemy import func, select

    from netvaerk import timeutil
    from netvaerk.extensions import db
    from netvaerk.meetings.models import Attendance
    from netvaerk.participants.models import Participant
    from netvaerk.stats.models import MonthlyReport

    with app.app_context():
        participant_id = db.session.execute(
            select(Participant.id)
            .outerjoin(Attendance, Attendance.participant_id == Participant.id)
            .where(Participant.network_id == network_id, Participant.status == "active")
            .group_by(Participant.id)
            .order_by(func.count(Attendance.id).desc(), Participant.id)
            .limit(1)
        ).scalar_one()
        closed = db.session.execute(
            select(MonthlyReport.year, MonthlyReport.month)
            .where(MonthlyReport.network_id == network_id)
            .order_by(MonthlyReport.year.desc(), MonthlyReport.month.desc())
            .limit(1)
        ).first()
        db.session.rollback()
    today = timeutil.local_today()
    urls = [
        ("coordinator start page", "/"),
        ("participant list", "/participants/"),
        ("participant page", f"/participants/{participant_id}"),
        ("today's register", "/meetings/today"),
        ("rota", "/rota/"),
        ("programme", "/activities/"),
        ("programme overview", "/activities/overview"),
        # The open month is the coordinators' (exact figures); the steering group reads only
        # closed months (protected figures).
        ("coordinator report, open month", f"/stats/{today.year}/{today.month}"),
    ]
    if closed is not None:
        urls.append(("steering report, closed month", f"/stats/{closed[0]}/{closed[1]}"))
    return urls


def staff_emails(app, network_id: int) -> dict[str, str]:
    """The network's staff accounts by role."""
    from sqlalchemy import select

    from netvaerk.core.models import Membership, User
    from netvaerk.extensions import db

    with app.app_context():
        emails = dict(
            db.session.execute(
                select(Membership.role, User.email)
                .join(User, User.id == Membership.user_id)
                .where(Membership.network_id == network_id)
                .order_by(User.id.desc())
            ).all()
        )
        db.session.rollback()
    return emails


def first_network(app, role_email: str | None = None) -> int:
    """The network to measure: the one of `role_email`, else the first with a coordinator."""
    from sqlalchemy import select

    from netvaerk.core.models import Membership, User
    from netvaerk.extensions import db

    with app.app_context():
        query = select(Membership.network_id).where(Membership.role == "coordinator")
        if role_email:
            query = query.join(User, User.id == Membership.user_id).where(User.email == role_email)
        network_id = db.session.execute(query.order_by(Membership.network_id).limit(1)).scalar_one()
        db.session.rollback()
    return network_id


class Staff:
    """One database's signed-in staff and the pages to time for their network."""

    def __init__(self, app, network_id: int, password: str):
        emails = staff_emails(app, network_id)
        self.app = app
        self.staff, self.board = app.test_client(), app.test_client()
        log_in(self.staff, emails["coordinator"], password)
        log_in(self.board, emails["steering"], password)
        self.urls = dict(page_urls(app, network_id))

    def get(self, url: str) -> tuple[float, int]:
        """(seconds, read statements) of one request."""
        from netvaerk.extensions import db

        steering = url == self.urls.get("steering report, closed month")
        client = self.board if steering else self.staff
        with self.app.app_context(), counting(db.engine) as statements:
            start = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - start
        assert response.status_code == 200, (url, response.status_code)
        return elapsed, read_queries(statements)


def bench_pages(small: Staff, large: Staff, repeats: int) -> tuple[dict, dict]:
    """Median time and read statements of each page on both databases, the two interleaved
    request by request so that load on the machine hits both alike."""
    out_small, out_large = {}, {}
    for label, large_url in large.urls.items():
        sides = [(large, large_url, out_large)]
        if label in small.urls:
            sides.append((small, small.urls[label], out_small))
        samples = {id(side): ([], set()) for side, _, _ in sides}
        for side, url, _ in sides:
            side.get(url)  # warm
        for _ in range(repeats):
            for side, url, _ in sides:
                elapsed, queries = side.get(url)
                samples[id(side)][0].append(elapsed)
                samples[id(side)][1].add(queries)
        for side, url, out in sides:
            times, counts = samples[id(side)]
            out[label] = {"url": url, "ms": median_ms(times), "queries": max(counts)}
    return out_small, out_large
