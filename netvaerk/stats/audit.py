"""The disclosure audit: attack everything one account can see, as an intruder would.

`flask --app netvaerk stats audit [--account EMAIL]` gathers every closed month the account
can read, for each network on its own and for all its networks together (the page, the
print view and the CSV/XLSX/PDF exports all carry these same figures), and solves for the
true counts by integer linear programming (HiGHS through `scipy.optimize.milp`):

- each published count p says its true value lies in `ckm.possible_true_values(p)` (the
  attacker knows the perturbation table, not the keys); a headline count of a sum over
  networks, published as the sum of the networks' published values, lies in their ranges
  added up; "<20" says 0 to 21;
- identities: every table's rows, columns and subtotals; the networks of a sum; "since the
  start" = last month's "since the start" + this month's; active = last month's active -
  last month's leavers + this month's new (each where it holds); started, left <= active,
  met <= expected;
- every shown share and mean is an identity with its rounding, from what the page computed
  it from (`audit_ratios`): mean × n is whole within the rounding for every n the published
  counts allow, and "n<5" and "×" bound its base;
- counts are non-negative integers.

A true count is *pinned* when no solution gives it another value. The audit prints how many
person counts it pinned, and how many of those are true values of 1-4.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_matrix

from .audit_ratios import add_ratios, sum_identities
from .ckm import possible_true_values
from .figures import column_total_id, report_system, subtotal_id
from .people_sections import OUTCOME_TABLE, PARTICIPANT_TOTALS
from .protection import visible_counts

Var = tuple[int, int, int, str]  # network id, year, month, count id


@dataclass
class Release:
    """What an account can see, as linear facts about the true counts."""

    truth: dict[Var, int] = field(default_factory=dict)
    # A published count: the true counts it adds up, and the lowest and highest true value
    # the attacker can tell from what is shown.
    published: list[tuple[tuple[Var, ...], int, int]] = field(default_factory=list)
    equalities: list[dict[Var, int]] = field(default_factory=list)
    # (a, b, d): a - b = d, known to the attacker (a count in two versions of a month).
    differences: list[tuple[Var, Var, int]] = field(default_factory=list)
    at_most: list[tuple[Var, Var]] = field(default_factory=list)  # first <= second
    # low <= sum(coefficient * unknown) <= high (None: no bound), from shares and means
    # (`audit_ratios`); their unknowns other than counts (sums, unpublished values) have
    # the truth in `truth` too, and a lower bound in `lower` when it may be negative.
    inequalities: list[tuple[dict[Var, float], float | None, float | None]] = field(
        default_factory=list
    )
    lower: dict[Var, float] = field(default_factory=dict)
    ratios: int = 0  # shown shares and means modelled

    def violations(self) -> list:
        """The facts the true values break (none, unless the model is wrong)."""

        def value(row):
            return sum(c * self.truth.get(v, 0) for v, c in row.items())

        broken = [row for row in self.equalities if value(row)]
        for row, low, high in self.inequalities:
            found = value(row)
            if (low is not None and found < low - 1e-6) or (
                high is not None and found > high + 1e-6
            ):
                broken.append((row, low, high))
        return broken


@dataclass
class AuditResult:
    """What the attack found."""

    counts: int
    pinned: list[Var]
    pinned_small: list[Var]
    ratios: int = 0  # shown shares and means modelled as identities

    @property
    def share_pinned(self) -> float:
        """Pinned counts as a share of all person counts."""
        return len(self.pinned) / self.counts if self.counts else 0.0


def visible_ids(report) -> set[str]:
    """The ids of the counts of people the reader of a protected report sees."""
    return visible_counts(report.sections, report.protection)


def published_bounds(published: int) -> tuple[int, int]:
    """The true values a count published by the cell key method can have (the attacker
    knows the perturbation table, not the keys)."""
    possible = possible_true_values(published)
    return (possible.start, possible.stop - 1) if possible else (0, -1)


def add_report(
    release: Release, report, per_network: dict[int, list[dict]], tags: dict[int, str] | None = None
) -> None:
    """Add one protected report the account sees; `per_network`: each network's sections of
    the month (exact, for the truth and the identities within a network); `tags`: per
    network, the suffix of the ids of a replaced version of its month (see `add_versions`)."""
    tags = tags or {}
    y, m = report.year, report.month
    for network in report.networks:
        tag = tags.get(network.id, "")
        values, relations, exempt = report_system(per_network[network.id])
        for key, value in values.items():
            if key not in exempt:
                release.truth[(network.id, y, m, key + tag)] = value
        for total, parts in relations:
            members = [total, *parts]
            if any(x in exempt or x not in values for x in members):
                continue
            equality = defaultdict(int)
            equality[(network.id, y, m, total + tag)] -= 1
            for part in parts:
                equality[(network.id, y, m, part + tag)] += 1
            release.equalities.append(dict(equality))
    protection = report.protection
    visible = visible_ids(report)
    for key in visible:
        terms = tuple((n.id, y, m, key + tags.get(n.id, "")) for n in report.networks)
        if key in protection.derived:
            # The sum of the networks' published values: their ranges added up.
            ranges = [published_bounds(value) for value in protection.derived[key]]
            bounds = (sum(low for low, _ in ranges), sum(high for _, high in ranges))
        elif key in protection.few:
            # "<20": published 0..19, so true 0..21.
            bounds = (0, protection.min_population - 1 + 2)
        else:
            bounds = published_bounds(report.published[key])
        release.published.append((terms, *bounds))
    if not tags:
        # The shares and means of a replaced version are not modelled yet (its ids would
        # need the version's tag in `audit_ratios`); its counts and differences are.
        add_ratios(release, report, per_network, visible)


def _cumulative_pairs(sections: Sequence[dict]) -> list[tuple[str, str]]:
    """(since the start, this month) id pairs of the outcomes table."""
    pairs = []
    for section in sections:
        for table in section.get("tables", ()):
            if table["key"] != OUTCOME_TABLE:
                continue
            for row in table["rows"]:
                pairs.append(
                    (f"{table['key']}\x1f{row}\x1fcumulative", f"{table['key']}\x1f{row}\x1fmonth")
                )
            pairs.append((column_total_id(table, "cumulative"), column_total_id(table, "month")))
            for sub in table.get("subtotals", ()):
                pairs.append(
                    (
                        subtotal_id(table, sub["key"], "cumulative"),
                        subtotal_id(table, sub["key"], "month"),
                    )
                )
    return pairs


def add_time_identities(release: Release, network_id: int, months, sections_of) -> None:
    """Identities across a network's consecutive closed months, where they hold."""
    truth = release.truth
    active, new, left = (PARTICIPANT_TOTALS[c] for c in ("active", "new", "left"))
    for index, (y, m) in enumerate(months):
        here = lambda key, y=y, m=m: (network_id, y, m, key)  # noqa: E731
        for small, large in (
            (new, active),
            (left, active),
            ("attendance.commitment_met", "attendance.expected"),
        ):
            if here(small) in truth and here(large) in truth:
                release.at_most.append((here(small), here(large)))
        previous = months[index - 1] if index else None
        for cumulative, this_month in _cumulative_pairs(sections_of(y, m)):
            equality = {here(cumulative): -1, here(this_month): 1}
            if previous is not None and _consecutive(previous, (y, m)):
                equality[(network_id, *previous, cumulative)] = 1
            _add_if_true(release, equality)
        if previous is not None and _consecutive(previous, (y, m)):
            before = lambda key, p=previous: (network_id, *p, key)  # noqa: E731
            _add_if_true(
                release, {here(active): -1, before(active): 1, before(left): -1, here(new): 1}
            )


def _consecutive(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] * 12 + a[1] + 1 == b[0] * 12 + b[1]


def _add_if_true(release: Release, equality: dict[Var, int]) -> None:
    """An identity the attacker may assume; kept only where the true counts satisfy it."""
    if all(v in release.truth for v in equality) and not sum(
        c * release.truth[v] for v, c in equality.items()
    ):
        release.equalities.append(equality)


def attack(release: Release, time_limit: float = 120.0) -> AuditResult:
    """Which true counts the published figures and identities pin to one value."""
    persons = sorted({v for terms, _low, _high in release.published for v in terms})
    others = sorted(
        {v for row, _low, _high in release.inequalities for v in row if v not in set(persons)}
    )
    variables = persons + others
    index = {v: i for i, v in enumerate(variables)}
    truth = np.array([release.truth.get(v, 0) for v in variables], dtype=float)
    floor = np.array([release.lower.get(v, 0) for v in variables], dtype=float)
    rows, lower, upper = [], [], []
    for terms, low, high in release.published:
        rows.append({index[v]: 1 for v in terms})
        lower.append(low)
        upper.append(high)
    for equality in release.equalities:
        if all(v in index for v in equality):
            rows.append({index[v]: c for v, c in equality.items()})
            lower.append(0)
            upper.append(0)
    for a, b, difference in release.differences:
        if a in index and b in index:
            rows.append({index[a]: 1, index[b]: -1})
            lower.append(difference)
            upper.append(difference)
    for small, large in release.at_most:
        if small in index and large in index:
            rows.append({index[small]: 1, index[large]: -1})
            lower.append(-np.inf)
            upper.append(0)
    for row, low, high in release.inequalities:
        rows.append({index[v]: c for v, c in row.items()})
        lower.append(-np.inf if low is None else low)
        upper.append(np.inf if high is None else high)
    n = len(persons)
    movable: set[int] = set()
    for direction in (1, -1):
        candidates = [i for i in range(n) if i not in movable and (direction > 0 or truth[i] > 0)]
        while candidates:
            moved = _move(rows, lower, upper, truth, floor, candidates, direction, time_limit)
            if not moved:
                break
            movable.update(moved)
            candidates = [i for i in candidates if i not in moved]
    pinned = [variables[i] for i in range(n) if i not in movable]
    small = [v for v in pinned if 1 <= release.truth.get(v, 0) <= 4]
    return AuditResult(n, pinned, small, release.ratios)


def _move(rows, lower, upper, truth, floor, candidates: Sequence[int], direction, time_limit):
    """Solve once for as many candidates as possible moved by at least 1 in `direction`."""
    n, k = len(truth), len(candidates)
    matrix = lil_matrix((len(rows) + k, n + k))
    for r, row in enumerate(rows):
        for i, c in row.items():
            matrix[r, i] = c
    low, high = list(lower), list(upper)
    for j, i in enumerate(candidates):
        # direction * (x_i - truth_i) >= y_j
        matrix[len(rows) + j, i] = direction
        matrix[len(rows) + j, n + j] = -1
        low.append(direction * truth[i])
        high.append(np.inf)
    objective = np.concatenate([np.zeros(n), -np.ones(k)])
    result = milp(
        objective,
        constraints=LinearConstraint(matrix.tocsr(), low, high),
        integrality=np.ones(n + k),
        bounds=Bounds(
            np.concatenate([floor, np.zeros(k)]),
            np.concatenate([np.full(n, 1e5), np.ones(k)]),
        ),
        options={"time_limit": time_limit},
    )
    if result.x is None:
        return set()
    return {candidates[j] for j in range(k) if result.x[n + j] > 0.5}


def account_release(user, today) -> Release:
    """Everything a steering account can see: each network and all of them together, every
    closed month."""
    from .services import build_report, closed_reports, last_months, viewable_networks

    networks = viewable_networks(user)
    release = Release()
    if not networks:
        return release
    ids = [n.id for n in networks]
    months = last_months(today.year, today.month, 12 * 30)
    closed = closed_reports(ids, months)
    scopes = [[n] for n in networks] + ([networks] if len(networks) > 1 else [])
    sections: dict[tuple[int, int, int], list[dict]] = {}
    for network in networks:
        shown = [(y, m) for y, m in months if (network.id, y, m) in closed]
        for y, m in shown:
            report = build_report([network], y, m, exact=True, closed=closed)
            sections[(network.id, y, m)] = report.sections
    for scope in scopes:
        for y, m in months:
            if all((n.id, y, m) in closed for n in scope):
                report = build_report(scope, y, m, exact=False, closed=closed)
                per_network = {n.id: sections[(n.id, y, m)] for n in scope}
                add_report(release, report, per_network)
    for network in networks:
        shown = [(y, m) for y, m in months if (network.id, y, m) in closed]
        add_time_identities(
            release, network.id, shown, lambda y, m, n=network.id: sections[(n, y, m)]
        )
    add_periods(release, networks, scopes, closed)
    add_versions(release, scopes, closed, sections)
    return release


def add_versions(release: Release, scopes, closed, sections) -> None:
    """Every replaced version of a closed month the account saw, each network's on its own and
    in the sums it was part of (beside the other networks' current versions), with the
    differences between each version and the current one known exactly to the attacker (the
    strongest assumption: he knows what the reopening changed)."""
    from .closing import replaced_versions
    from .services import _report

    months = sorted({(y, m) for _n, y, m in closed})
    network_ids = sorted({n.id for scope in scopes for n in scope})
    for (network_id, y, m), older in replaced_versions(network_ids, months).items():
        current = report_system(sections[(network_id, y, m)])[0]
        for revision, figures in older:
            tag = f"@r{revision}"
            own = None
            for scope in scopes:
                if network_id not in [n.id for n in scope]:
                    continue
                if not all((n.id, y, m) in closed for n in scope):
                    continue
                shown = {n.id: closed[(n.id, y, m)].figures for n in scope}
                shown[network_id] = figures
                if own is None:
                    network = next(n for n in scope if n.id == network_id)
                    own = _report([network], y, m, shown, {}, True).sections
                per_network = {n.id: sections[(n.id, y, m)] for n in scope}
                per_network[network_id] = own
                report = _report(scope, y, m, shown, {}, False)
                add_report(release, report, per_network, {network_id: tag})
            if own is None:
                continue
            values, _relations, exempt = report_system(own)
            for key, value in values.items():
                if key in exempt or key not in current:
                    continue
                release.differences.append(
                    ((network_id, y, m, key + tag), (network_id, y, m, key), value - current[key])
                )


def add_periods(release: Release, networks, scopes, closed) -> None:
    """The quarters and years the account sees (each network and all of them), and their
    identities with the months: a stock is its last month's, a flow its months' sum."""
    from .periods import build_period_report, closed_periods, period_code, period_months, stock_ids

    exact: dict[tuple[int, int, int | None], list[dict]] = {}
    for network in networks:
        for year, quarter in closed_periods([network.id], closed):
            report = build_period_report([network], year, quarter, exact=True, closed=closed)
            exact[(network.id, year, quarter)] = report.sections
    for scope in scopes:
        for year, quarter in closed_periods([n.id for n in scope], closed):
            report = build_period_report(scope, year, quarter, exact=False, closed=closed)
            add_report(release, report, {n.id: exact[(n.id, year, quarter)] for n in scope})
    for (network_id, year, quarter), sections in exact.items():
        months, code, stocks = (
            period_months(year, quarter),
            period_code(quarter),
            stock_ids(sections),
        )
        for key in report_system(sections)[0]:
            here = (network_id, year, code, key)
            if here not in release.truth:
                continue
            parts = months[-1:] if key in stocks else months
            terms = [(network_id, y, m, key) for y, m in parts]
            equality = {here: -1, **{t: 1 for t in terms if t in release.truth}}
            _add_if_true(release, equality)
        sum_identities(release, network_id, code, months, sections)


def audit_accounts(users: Iterable, today, echo=print) -> list[tuple[object, AuditResult]]:
    """Run the attack for each account and print what it found."""
    results = []
    for user in users:
        result = attack(account_release(user, today))
        results.append((user, result))
        echo(
            f"{user.email}: {result.counts} person counts, {result.ratios} shares and means, "
            f"{len(result.pinned)} pinned ({result.share_pinned:.1%}), "
            f"{len(result.pinned_small)} of them true 1-4"
        )
    return results
