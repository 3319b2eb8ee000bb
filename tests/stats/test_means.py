"""Shares and means for the steering group come from published values only, rounded once
(issue 26): pure rules of `ratios` and `protection`, on hand-made sections."""

from hypothesis import given, settings
from hypothesis import strategies as st

from netvaerk.stats import ckm, ratios
from netvaerk.stats.protection import SMALL, protect
from netvaerk.stats.sections import count, in_table, mean, merge_sections, share

ANSWERED = "evaluations.answered.q"


def _evaluation(total: int, n: int, answered_key: int = 7) -> list[dict]:
    """A sum over networks' exit evaluation with one question: n answers, `total` points."""
    figures = [
        count("evaluations.answers", n, 11),
        in_table(count(ANSWERED, n, answered_key), "evaluations.means", "q", "answers"),
        in_table(
            mean(
                "evaluations.mean.q",
                total,
                n,
                base=n,
                refs=["evaluations.answers", ANSWERED],
                den_ref=ANSWERED,
                scale=(1, 5),
            ),
            "evaluations.means",
            "q",
            "mean",
        ),
    ]
    figures[2].update(num_key=200, den_key=201)
    return [{"key": "evaluations", "tables": [], "figures": figures}]


def _protected(sections, population: int = 20):
    return protect(sections, exact=False, single_network=False, min_population=population)


def test_a_mean_is_its_perturbed_points_over_the_published_count_never_the_exact_one():
    sections = _evaluation(total=29, n=25)
    protection = _protected(sections)
    found = protection.ratio_terms["evaluations.mean.q"]
    assert found.den.source == ratios.PUBLISHED and found.den.ref == ANSWERED
    assert found.den.value == protection.published[ANSWERED] == ckm.perturb(25, 7)
    assert found.num.source == ratios.PROTECTED
    assert found.num.value == ckm.perturb(29, 200)
    assert found.value == ratios.rounded("mean", found.num.value / found.den.value)
    # The decisions rest on the published base, not the true 25.
    assert found.base.value == protection.published[ANSWERED]


def test_n_below_five_is_decided_on_the_published_base():
    """A true 5 published as 4 shows "n<5"; a true 4 published as 5 shows the mean."""
    key_down = next(k for k in range(256) if ckm.perturb(5, k) == 4)
    key_up = next(k for k in range(256) if ckm.perturb(4, k) == 5)
    down = _protected(_evaluation(15, 5, key_down), population=1)
    up = _protected(_evaluation(12, 4, key_up), population=1)
    assert down.ratios["evaluations.mean.q"] == (None, SMALL)
    assert up.ratios["evaluations.mean.q"][1] == "shown"


def test_a_share_uses_the_published_counts_and_is_kept_within_100_percent():
    figure = share("s", 7, 7, refs=["a", "b"])
    num, den, base = ratios.terms(figure, {"a": 9, "b": 8}, exact=False)
    assert (num.value, den.value, base.value) == (9, 8, 8)
    assert ratios.value_of(figure, num, den) == 1.0


def test_legacy_figures_closed_before_issue_26_get_their_refs():
    """Months closed before the refs were declared: the wheel's mean over its published count
    of people, the average present decided on the published attendees."""
    wheel = mean("wheel.change.Helbred", 12, 6, base=6, refs=["wheel.people.Helbred"])
    for name in ("den_ref", "base_ref", "numbers"):
        wheel.pop(name, None)
    assert ratios.spec(wheel)["den_ref"] == "wheel.people.Helbred"
    present = {
        "key": "attendance.avg_present",
        "kind": "mean",
        "num": 90,
        "den": 9,
        "base": 12,
        "refs": ["attendance.checkins"],
        "num_ref": "attendance.checkins",
    }
    num, den, base = ratios.terms(
        present, {"attendance.checkins": 91, "attendance.attendees": 13}, exact=False
    )
    assert (num.source, den.source, base.source) == ("published", "number", "published")
    assert (num.value, den.value, base.value) == (91, 9, 13)


def test_summed_means_add_their_keys_and_keep_refs_only_when_every_part_has_them():
    first, second = _evaluation(10, 4), _evaluation(12, 3)
    merged = merge_sections([first[0], second[0]])
    figure = next(f for f in merged["figures"] if f["key"] == "evaluations.mean.q")
    assert (figure["num"], figure["den"], figure["num_key"]) == (22, 7, 400 % 256)
    legacy = _evaluation(12, 3)
    del legacy[0]["figures"][2]["den_ref"]
    merged = merge_sections([first[0], legacy[0]])
    figure = next(f for f in merged["figures"] if f["key"] == "evaluations.mean.q")
    assert "den_ref" not in figure


@settings(max_examples=60, deadline=None)
@given(st.floats(min_value=-20, max_value=20, allow_nan=False), st.sampled_from(["mean", "share"]))
def test_a_rounded_figure_has_no_more_digits_than_shown(value, kind):
    shown = ratios.rounded(kind, value)
    assert abs(shown - value) <= ratios.half_unit(kind) + 1e-12
    assert ratios.rounded(kind, shown) == shown
    assert len(repr(shown).split(".")[-1]) <= ratios.SHOWN_DECIMALS[kind]


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=-60, max_value=60), st.integers(min_value=0, max_value=255))
def test_a_perturbed_sum_moves_like_a_count_either_side_of_zero(value, key):
    moved = ratios.perturb_sum(value, key) - value
    assert -3 <= moved <= 3
    assert ratios.perturb_sum(-value, key) == -ratios.perturb_sum(value, key)
