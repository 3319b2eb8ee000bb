"""The disclosure audit's model of shares and means: each shown one is an identity.

Whatever section a share or mean comes from, the audit reads from the report's protection
what it was computed from (`Protection.ratio_terms`, see `ratios`) and adds what its reader
learns from it, as linear facts about unknowns:

- a side that is a count the page shows, or a number of things, is a known constant;
- a side perturbed for the ratio (a sum of answers' points, a change, a count shown nowhere
  else) is an unknown published value P within the perturbation of its true value T (the sum
  of its networks' true values): -3 <= P - T <= 3; a sum's true value lies within its scale
  (points 1-5 per answer: n <= T <= 5n, with n the true count of answers);
- a side computed from an exact count (the broken builds of issue 26) is that true count;
- the shown value v, with half its last digit h (`ratios.half_unit`), says
  (v - h) * den <= num <= (v + h) * den: "mean × n is a whole number within the rounding",
  for every n the published count allows; at an end of its range only the inner bound holds;
- "n<5" and "×" say the base was under 5 or 10, "shown" that it was not.

Only what holds for the true values is added (the audit knows them), so the attack's
solutions always include the truth; a count is pinned when no other value is possible.
"""

from __future__ import annotations

from collections.abc import Mapping

from . import ratios
from .protection import HIDDEN, MIN_BASE, MIN_EXTREME, SMALL

SUM_RANGE = 10**5  # a sum's unknowns lie within +-this (the wheel's changes may be negative)
PERTURBATION = (-3, 3)  # P - T for a sum perturbed like a count (ckm: -3..2; signed sums -2..3)


def _figure(sections, key: str) -> dict | None:
    for section in sections:
        for figure in section.get("figures", ()):
            if figure["key"] == key:
                return figure
    return None


def _section_of(sections, key: str) -> str | None:
    for section in sections:
        if any(figure["key"] == key for figure in section.get("figures", ())):
            return section["key"]
    return None


class _Model:
    """Turns one report's ratios into the release's unknowns and inequalities."""

    def __init__(self, release, report, per_network: Mapping[int, list[dict]], visible):
        self.release, self.report, self.per_network = release, report, per_network
        self.visible = visible
        self.ids = [n.id for n in report.networks]
        self.scope = self.ids[0] if len(self.ids) == 1 else 0
        self.when = (report.year, report.month)

    def var(self, network_id: int, name: str):
        return (network_id, *self.when, name)

    def true_side(self, network_id: int, ref: str) -> dict:
        """The true value of one network's side: a count of the report, or a sum."""
        here = self.var(network_id, ref)
        if here in self.release.truth and "#" not in ref:
            return {here: 1}
        key, part = ref.rsplit("#", 1) if "#" in ref else (ref, "den")
        figure = _figure(self.per_network[network_id], key) or {}
        name = self.var(network_id, "sum:" + ref)
        if name not in self.release.truth:
            self.release.truth[name] = int(round(figure.get(part, 0)))
            self.release.lower[name] = -SUM_RANGE
            self._scale(network_id, key, figure)
        return {name: 1}

    def _scale(self, network_id: int, key: str, figure: dict) -> None:
        """A sum of answers lies within the scale times their number (each network)."""
        scale = figure.get("scale")
        if not scale or not figure:
            return
        num = self.true_side(network_id, f"{key}#num")
        den_ref = ratios.spec(figure)["den_ref"] or f"{key}#den"
        den = self.true_side(network_id, den_ref)
        for bound, sign in ((scale[0], 1), (scale[1], -1)):
            row = dict(num)
            for v, c in den.items():
                row[v] = row.get(v, 0) - bound * c
            self._add({v: sign * c for v, c in row.items()}, 0, None)

    def side(self, term: ratios.Term) -> tuple[dict, float]:
        """A side as a linear expression of unknowns plus a constant."""
        shown = term.ref in self.visible or term.ref in self.report.protection.derived
        if term.source == ratios.NUMBER or (term.source == ratios.PUBLISHED and shown):
            return {}, float(term.value)
        if term.source == ratios.EXACT:
            expression: dict = {}
            for network_id in self.ids:
                for v, c in self.true_side(network_id, term.ref).items():
                    expression[v] = expression.get(v, 0) + c
            return expression, 0.0
        # Published but not shown, or perturbed for the ratio: an unknown near the truth.
        name = self.var(self.scope, f"{term.source}:{term.ref}")
        if name not in self.release.truth:
            self.release.truth[name] = int(term.value)
            self.release.lower[name] = -SUM_RANGE
            row = {name: 1}
            for network_id in self.ids:
                for v, c in self.true_side(network_id, term.ref).items():
                    row[v] = row.get(v, 0) - c
            self._add(row, *PERTURBATION)
        return {name: 1}, 0.0

    def _add(self, row: dict, low, high) -> None:
        self.release.inequalities.append((row, low, high))

    def ratio(self, found: ratios.RatioTerms, figure: dict) -> None:
        """The facts one shown (or not shown) share or mean gives its reader."""
        num, num_c = self.side(found.num)
        den, den_c = self.side(found.den)
        base, base_c = self.side(found.base)
        if found.value is not None:
            half = ratios.half_unit(found.kind)
            low_end, high_end = found.clamp or (None, None)
            for bound, shown_at_end, sign in (
                (found.value + half, high_end is not None and found.value >= high_end, 1),
                (found.value - half, low_end is not None and found.value <= low_end, -1),
            ):
                if shown_at_end:
                    continue
                # sign * (num - bound * den) <= 0
                row = dict(num)
                for v, c in den.items():
                    row[v] = row.get(v, 0) - bound * c
                constant = num_c - bound * den_c
                self._add({v: sign * c for v, c in row.items()}, None, -sign * constant)
            self.release.ratios += 1
        if not base:
            return
        threshold = max(MIN_BASE, figure.get("min_base", 0))
        if found.state == SMALL and found.base.value < threshold:
            self._add(base, None, threshold - 1 - base_c)
        elif found.state in ("shown", HIDDEN):
            self._add(base, threshold - base_c, None)
        if found.state == HIDDEN:
            self._add(base, None, MIN_EXTREME - 1 - base_c)


def add_ratios(release, report, per_network: Mapping[int, list[dict]], visible) -> None:
    """Add every share and mean the reader of a protected report sees (`visible`: the ids of
    the counts of people shown), whatever its section."""
    model = _Model(release, report, per_network, visible)
    protection = report.protection
    for key, found in protection.ratio_terms.items():
        section = _section_of(report.sections, key)
        if section in protection.hidden_sections or key in protection.hidden_figures:
            continue
        if found.state == "none":
            continue
        model.ratio(found, _figure(report.sections, key) or {})


def sum_identities(release, network_id: int, code: int, months, sections) -> None:
    """A period's sums (of its ratios' perturbed sides) are its months' sums added up."""
    for section in sections:
        for figure in section.get("figures", ()):
            if figure["kind"] not in ("share", "mean"):
                continue
            for part in ratios.PARTS:
                name = f"sum:{figure['key']}#{part}"
                here = (network_id, months[0][0], code, name)
                if here not in release.truth:
                    continue
                terms = [(network_id, y, m, name) for y, m in months]
                if all(t in release.truth for t in terms):
                    equality = {here: -1, **dict.fromkeys(terms, 1)}
                    if not sum(c * release.truth[v] for v, c in equality.items()):
                        release.equalities.append(equality)
