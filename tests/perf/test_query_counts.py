"""The staff pages and the steering report issue a fixed number of SQL queries, the same on a
few weeks of data as on years of it: an N+1 regression fails here.

The data come from `flask generate` (netvaerk.generate), with the clock frozen."""

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from netvaerk import timeutil
from netvaerk.core.models import Membership, User
from netvaerk.extensions import db
from netvaerk.generate import PASSWORD, generate
from netvaerk.meetings.models import Attendance
from netvaerk.participants.models import Participant
from netvaerk.stats.models import MonthlyReport

from ..conftest import count_queries, log_in

NOW = datetime(2026, 3, 4, 10, 15)  # a Wednesday, during the morning meeting
LAST_MONTH = "/stats/2026/2"  # complete and still open: computed live (coordinator only)
CLOSED_MONTH = "/stats/2025/12"  # closed: read from its snapshot
# No page runs more (issue 19).
MAX_QUERIES = 15

# The exact number of statements each page runs (the participant page also writes its view to
# the audit trail). Lower is fine (then lower the pin); higher is a regression. Every page
# loads the user with their memberships and networks in one statement (issue 19: one less).
# Issue 19 folded more: today's chores read their holders' attendance in their own statement,
# the follow-up settings are a column of the statement that needs them, the activities of
# the start page and of today's meeting are read with their facilitators (one statement,
# whether or not there are any), the participant page reads the periods with the participant
# and the attendance rates with the latest meetings, and the register its recorders with its
# rows; the participant list reads the page's rows with their number, and the counts of its
# tabs and places in one statement.
EXPECTED = {
    # Issue 28 adds one: the reminders' panel reads the worker's heartbeat and the residents
    # erased in the coming 14 days (worked out each night) in one statement.
    "/": 15,
    "/participants/": 5,
    # Issue 30's personal link adds one statement and the rota's part gives one back (its
    # coming chores and the count of done ones are one statement now).
    "/participants/<id>": 15,
    # Issue 30 adds one: the taps sent from an offline tablet that did not count (too late, or
    # a wrong code), listed for the coordinator on the register.
    "/meetings/today": 6,
    "/rota/": 4,
    "/activities/": 7,  # with activities whose hours wait for confirmation, as on the demo
    "/activities/overview": 5,
    # The month pages link to the quarters and years: one statement for which are closed.
    # Computed live: status after leaving adds one (follow-up's settled checks with their
    # record keys, issue 26); the check-ins' keys share the commitment's statement.
    LAST_MONTH: 15,
    CLOSED_MONTH: 4,
}


def _data(years: float, networks: int) -> dict:
    """Generate the data set and return who to log in as and which participant to open."""
    generate(networks, years, seed=7, end=NOW.date(), open_now=NOW)
    network_id = db.session.execute(
        select(Membership.network_id).where(Membership.role == "coordinator").limit(1)
    ).scalar_one()
    emails = dict(
        db.session.execute(
            select(Membership.role, User.email)
            .join(User, User.id == Membership.user_id)
            .where(Membership.network_id == network_id)
        ).all()
    )
    participant_id = db.session.execute(
        select(Participant.id)
        .outerjoin(Attendance, Attendance.participant_id == Participant.id)
        .where(Participant.network_id == network_id, Participant.status == "active")
        .group_by(Participant.id)
        .order_by(func.count(Attendance.id).desc(), Participant.id)
        .limit(1)
    ).scalar_one()
    return {"emails": emails, "participant_id": participant_id, "network_id": network_id}


def _measure(app, data: dict) -> dict[str, int]:
    """Statements per page: coordinator pages (and the open month, which only the coordinator
    may read), then the steering group's report of a closed month."""
    counts = {}
    staff, board = app.test_client(), app.test_client()
    assert log_in(staff, data["emails"]["coordinator"], PASSWORD).status_code == 200
    assert log_in(board, data["emails"]["steering"], PASSWORD).status_code == 200
    for key in EXPECTED:
        url = key.replace("<id>", str(data["participant_id"]))
        client = board if url.startswith("/stats/") and key != LAST_MONTH else staff
        assert client.get(url).status_code == 200, url  # first view: warm
        with count_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[key] = len(statements)
    return counts


@pytest.fixture
def frozen(monkeypatch):
    """Freeze the local clock at NOW."""
    monkeypatch.setattr(timeutil, "local_now", lambda: NOW)


def test_generated_data_is_realistic_and_months_are_closed(app, frozen):
    """The generator makes active participants, history, and snapshots of past months."""
    data = _data(years=1, networks=2)
    active = db.session.execute(
        select(func.count())
        .select_from(Participant)
        .where(Participant.network_id == data["network_id"], Participant.status == "active")
    ).scalar()
    assert 8 <= active <= 16
    closed = db.session.execute(
        select(MonthlyReport.year, MonthlyReport.month).where(
            MonthlyReport.network_id == data["network_id"]
        )
    ).all()
    assert (2025, 12) in closed and (2026, 1) in closed and (2026, 2) not in closed


@pytest.mark.commits  # empties the tables between two generations
def test_generation_is_deterministic(app, frozen):
    """The same seed gives the same people and the same attendance."""

    def fingerprint():
        return db.session.execute(
            select(
                func.count(Attendance.id),
                func.sum(Attendance.participant_id % 97),
            )
        ).one()

    generate(1, 0.5, seed=3, end=date(2026, 3, 4))
    first = fingerprint()
    names = list(db.session.execute(select(Participant.first_name).order_by(Participant.id)))
    from ..conftest import _empty_all_tables

    _empty_all_tables()
    generate(1, 0.5, seed=3, end=date(2026, 3, 4))
    assert fingerprint() == first
    assert (
        list(db.session.execute(select(Participant.first_name).order_by(Participant.id))) == names
    )


@pytest.mark.commits
@pytest.mark.parametrize(("years", "networks"), [(0.25, 1), (2, 3)], ids=["small", "large"])
def test_query_counts_are_pinned(app, frozen, years, networks):
    """Each page runs its pinned number of statements, on little data and on years of it."""
    counts = _measure(app, _data(years, networks))
    assert counts == EXPECTED
    assert all(n <= MAX_QUERIES for n in counts.values())
