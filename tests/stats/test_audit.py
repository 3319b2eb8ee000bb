"""The disclosure audit on generated data: attacking everything a steering account sees pins
no true count of 1-4 and fewer than 5 % of all counts (SQLite, and PostgreSQL with
NETVAERK_TEST_DATABASE_URL)."""

from datetime import date
from types import SimpleNamespace

from sqlalchemy import select

from netvaerk.core.models import Membership, User
from netvaerk.extensions import db
from netvaerk.generate import audit_account_emails, generate
from netvaerk.stats import audit, ckm, ratios
from netvaerk.stats.audit import Release, attack, audit_accounts
from netvaerk.stats.protection import protect
from netvaerk.stats.sections import count
from netvaerk.stats.services import Report, sum_figures

END = date(2026, 3, 10)


def test_audit_of_generated_data_pins_no_small_count(app, monkeypatch):
    """...and models every shown share and mean; on a deliberately broken build that computes
    them from the exact counts again (issue 26's attack), the same audit pins counts."""
    generate(3, 1.0, seed=11, end=END)
    # `generate` makes the audit's accounts over several networks (here both see all three).
    three, everyone = audit_account_emails(11)
    steering = (
        db.session.execute(
            select(User)
            .where(User.id.in_(select(Membership.user_id).where(Membership.role == "steering")))
            .order_by(User.email)
        )
        .scalars()
        .all()
    )
    assert {three, everyone} <= {user.email for user in steering}
    board = next(user for user in steering if user.email == everyone)
    assert len(board.memberships) == 3
    lines = []
    others = [user for user in steering if user.email != everyone]
    results = audit_accounts([board, *others], END, echo=lines.append)
    assert len(results) == 5
    for _user, result in results:
        assert result.counts > 50
        assert result.ratios > 10
        assert result.pinned_small == []
        assert result.share_pinned < 0.05
    assert "pinned" in lines[0] and "shares and means" in lines[0]
    board_result = results[0][1]
    assert board_result.share_pinned < 0.01
    assert audit.account_release(board, END).violations() == []  # the model holds for the truth

    # The old build: every mean and share from the exact counts, the export's full float.
    exact_terms = ratios.terms
    monkeypatch.setattr(
        ratios, "terms", lambda figure, published, exact: exact_terms(figure, published, True)
    )
    monkeypatch.setattr(ratios, "rounded", lambda kind, value: value)
    monkeypatch.setattr(ratios, "half_unit", lambda kind: 1e-9)
    release = audit.account_release(board, END)
    assert release.violations() == []
    broken = attack(release)
    assert len(broken.pinned) > 10 * max(1, len(board_result.pinned))
    assert broken.pinned_small  # true values of 1-4 among them, as issue 26 found


def test_the_attack_pins_what_exact_publication_gives_away():
    """The attack itself works: published exactly, a row of a table minus the rest pins it."""
    a, b, total = (1, 2026, 1, "a"), (1, 2026, 1, "b"), (1, 2026, 1, "t")
    release = Release(truth={a: 3, b: 7, total: 10})
    # Published without noise would be "t = 10, b = 7"; under the ptable, 10 and 7 are ranges.
    release.published = [
        ((total,), *audit.published_bounds(10)),
        ((b,), *audit.published_bounds(7)),
    ]
    release.equalities = [{total: -1, a: 1, b: 1}]
    result = attack(release)
    assert result.counts == 2 and result.pinned == []


MET = "attendance.commitment_met"
MONTH = (2026, 9)


def _commitment(value: int, key: int) -> list[dict]:
    """One network's month with only its count of people keeping the commitment."""
    return [{"key": "attendance", "tables": [], "figures": [count(MET, value, key)]}]


def test_a_small_count_among_zeros_is_not_pinned_by_the_sum_over_networks():
    """The full audit of issue 13 once pinned a true 2 (a network's "keeping the commitment"):
    the sum over the networks, perturbed in its own right, sat at the top of its range while
    the other networks' counts sat at the bottom of theirs (zeros always do)."""
    # 2 published as 4 (so 2-6), 21 networks' 1 each published as 3 (1-5), ten zeros (0-3).
    values_keys = [(2, 250), *[(1, 232)] * 21, *[(0, 0)] * 10]
    networks = [SimpleNamespace(id=n) for n in range(1, len(values_keys) + 1)]
    small = (1, *MONTH, MET)
    truth = {(n.id, *MONTH, MET): v for n, (v, _k) in zip(networks, values_keys, strict=True)}
    own = [
        (((n.id, *MONTH, MET),), *audit.published_bounds(ckm.perturb(v, k)))
        for n, (v, k) in zip(networks, values_keys, strict=True)
    ]
    # Perturbed once more by the cell key of all 23 people, the sum is published as 21 (so
    # 19-23): the attacker learns that every non-zero count is at the bottom of its range.
    second = ckm.perturb(23, ckm.add_keys(*(k for _v, k in values_keys)))
    assert second == 21
    terms = tuple(truth)
    old = attack(Release(truth=dict(truth), published=[*own, (terms, *audit.published_bounds(21))]))
    assert small in old.pinned_small
    # What the release publishes: the sum of a headline count is the sum of the networks'
    # published values, so it tells the attacker nothing they could not add up.
    parts = [_commitment(v, k) for v, k in values_keys]
    summed = sum_figures([{"sections": p} for p in parts])
    protection = protect(summed, exact=False, single_network=False, min_population=20, parts=parts)
    assert protection.published[MET] == 4 + 21 * 3
    assert MET not in protection.few
    release = Release()
    for network, sections in zip(networks, parts, strict=True):
        one = protect(sections, exact=False, single_network=True, min_population=20)
        audit.add_report(release, Report(*MONTH, [network], sections, one), {network.id: sections})
    audit.add_report(
        release,
        Report(*MONTH, networks, summed, protection),
        {n.id: s for n, s in zip(networks, parts, strict=True)},
    )
    assert release.truth == truth
    result = attack(release)
    assert result.counts == len(networks) and result.pinned_small == []
    assert small not in result.pinned
