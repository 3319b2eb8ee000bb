"""Versions of a reopened month: the version the steering group saw is kept unchanged when a
reopening freezes a new one, and the disclosure audit attacks both together, their
differences known to the attacker."""

import random
from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from netvaerk.core.models import Membership, Network, User
from netvaerk.extensions import db
from netvaerk.generate import audit_account_emails, generate
from netvaerk.meetings.models import Attendance, Meeting
from netvaerk.participants import services as participants
from netvaerk.participants.models import Participant, ParticipationPeriod
from netvaerk.stats import audit, closing, keys
from netvaerk.stats.figures import report_system
from netvaerk.stats.models import MonthlyReport, MonthlyReportVersion

END = date(2026, 3, 10)
YEAR, MONTH = 2026, 1
TODAY = date(2026, 3, 10)
AGE = "participants.age_band"


@pytest.fixture
def reopened(app, monkeypatch):
    """Three generated networks; in the first, January 2026 reopened after one late leave,
    dated before some of the person's check-ins that month."""
    # Record keys drawn from a seeded generator, so the attack sees the same keys every run.
    monkeypatch.setattr(keys, "secrets", SimpleNamespace(randbelow=random.Random(5).randrange))
    generate(3, 0.5, seed=7, end=END)
    networks = db.session.execute(select(Network).order_by(Network.id)).scalars().all()
    first = networks[0]
    before = db.session.execute(
        select(MonthlyReport).where(
            MonthlyReport.network_id == first.id,
            MonthlyReport.year == YEAR,
            MonthlyReport.month == MONTH,
        )
    ).scalar_one()
    seen = before.figures
    person = db.session.execute(
        select(Participant)
        .join(ParticipationPeriod, ParticipationPeriod.participant_id == Participant.id)
        .join(Attendance, Attendance.participant_id == Participant.id)
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(
            Participant.network_id == first.id,
            Participant.status == "active",
            ParticipationPeriod.end_date.is_(None),
            ParticipationPeriod.start_date < date(2025, 12, 1),
            Attendance.status == "present",
            Meeting.date.between(date(YEAR, MONTH, 20), date(YEAR, MONTH, 31)),
        )
        .order_by(Participant.id)
        .limit(1)
    ).scalar_one()
    participants.leave(person, date(YEAR, MONTH, 12), "stopped", None, TODAY)
    closing.reopen_month(first, YEAR, MONTH, None, "late_registration", today=TODAY)
    db.session.commit()
    return networks, seen


def _left(sections) -> dict[str, int]:
    values = report_system(sections)[0]
    return {key: value for key, value in values.items() if key.endswith("left")}


def _count(figures, key: str) -> tuple[int, int]:
    """A count figure's true value and cell key."""
    return next(
        (f["value"], f["ckey"])
        for section in figures["sections"]
        for f in section.get("figures", ())
        if f["key"] == key
    )


def test_reopening_keeps_the_version_seen_and_adds_one(reopened):
    networks, seen = reopened
    first = networks[0]
    versions = closing.replaced_versions([first.id], [(YEAR, MONTH)])
    ((revision, figures),) = versions[(first.id, YEAR, MONTH)]
    assert revision == 1 and figures == seen
    current = db.session.execute(
        select(MonthlyReport)
        .where(MonthlyReport.network_id == first.id)
        .where(MonthlyReport.year == YEAR, MonthlyReport.month == MONTH)
    ).scalar_one()
    assert current.revision == 2
    # The two stored versions differ by the one late leave, in the breakdown too.
    old, new = _left(figures["sections"]), _left(current.figures["sections"])
    changed = {key: new[key] - old[key] for key in new if new[key] != old[key]}
    assert changed["participants.left"] == 1
    by_age = {key: d for key, d in changed.items() if key.startswith(AGE)}
    assert list(by_age.values()) == [1], changed
    # The check-ins after the leave's date are still counted, with the same cell key: the
    # steering group's check-ins do not move (they once went from 53 to 54, see the README).
    for key in ("attendance.checkins", "attendance.attendees"):
        assert _count(figures, key) == _count(current.figures, key)
    # A version the steering group saw is never changed.
    stored = db.session.execute(select(MonthlyReportVersion)).scalar_one()
    stored.figures = {"sections": []}
    with pytest.raises(ValueError, match="immutable"):
        db.session.flush()
    db.session.rollback()


def test_the_audit_attacks_both_versions_with_their_differences_and_pins_nothing(
    reopened, monkeypatch
):
    networks, _seen = reopened
    first = networks[0]
    board = db.session.execute(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.role == "steering", Membership.network_id == first.id)
        .where(User.email.not_in(audit_account_emails(7)))  # the network's own member
    ).scalar_one()
    for network in networks[1:]:
        db.session.add(Membership(user_id=board.id, network_id=network.id, role="steering"))
    db.session.commit()
    release = audit.account_release(board, TODAY)
    old = {v for v in release.truth if v[:3] == (first.id, YEAR, MONTH) and v[3].endswith("@r1")}
    assert old, "the replaced version is part of what the account saw"
    assert any(v[3].startswith(AGE) for v in old), "with its breakdown (over all networks)"
    assert any(a in old and d for a, _b, d in release.differences), "and its differences"
    result = audit.attack(release)
    assert result.pinned_small == []
    # Differencing the versions pins nothing: every count pinned with both versions is pinned
    # from the current version alone (the same count in the replaced version along with it).
    monkeypatch.setattr(audit, "add_versions", lambda *args: None)
    alone = set(audit.attack(audit.account_release(board, TODAY)).pinned)
    assert {v[:3] + (v[3].removesuffix("@r1"),) for v in result.pinned} <= alone
