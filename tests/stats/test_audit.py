"""The disclosure audit on generated data: attacking everything a steering account sees pins
no true count of 1-4 and fewer than 5 % of all counts (SQLite, and PostgreSQL with
NETVAERK_TEST_DATABASE_URL)."""

from datetime import date

from sqlalchemy import select

from netvaerk.core.models import Membership, User
from netvaerk.extensions import db
from netvaerk.generate import generate
from netvaerk.stats.audit import Release, attack, audit_accounts

END = date(2026, 3, 10)


def test_audit_of_generated_data_pins_no_small_count(app):
    generate(3, 1.0, seed=11, end=END)
    steering = (
        db.session.execute(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.role == "steering")
            .order_by(User.email)
        )
        .scalars()
        .all()
    )
    # One more account that sees all three networks, and so their sums.
    board = steering[0]
    for membership in db.session.execute(
        select(Membership).where(Membership.role == "steering")
    ).scalars():
        if membership.user_id != board.id:
            db.session.add(
                Membership(user_id=board.id, network_id=membership.network_id, role="steering")
            )
    db.session.commit()
    lines = []
    results = audit_accounts([board, *steering[1:]], END, echo=lines.append)
    assert len(results) == 3
    for _user, result in results:
        assert result.counts > 50
        assert result.pinned_small == []
        assert result.share_pinned < 0.05
    assert "pinned" in lines[0]


def test_the_attack_pins_what_exact_publication_gives_away():
    """The attack itself works: published exactly, a row of a table minus the rest pins it."""
    a, b, total = (1, 2026, 1, "a"), (1, 2026, 1, "b"), (1, 2026, 1, "t")
    release = Release(truth={a: 3, b: 7, total: 10})
    # Published without noise would be "t = 10, b = 7"; under the ptable, 10 and 7 are ranges.
    release.published = [((total,), 10), ((b,), 7)]
    release.equalities = [{total: -1, a: 1, b: 1}]
    result = attack(release)
    assert result.counts == 2 and result.pinned == []
