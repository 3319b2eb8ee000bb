"""The bench's table: every row judged by the same rule, written into the README from JSON."""

from __future__ import annotations

import json
from pathlib import Path

from tests.benchmarks import table

RESULTS = sorted((Path(__file__).parents[1] / "benchmarks" / "results").glob("bench-*.json"))


def _results() -> dict:
    return json.loads(RESULTS[-1].read_text())


def test_a_committed_run_exists():
    assert RESULTS, "commit one run's JSON under tests/benchmarks/results/"


def test_a_page_with_other_query_counts_is_not_met(tmp_path):
    results = _results()
    label = next(iter(results["pages_large"]))
    results["pages_large"][label]["queries"] = results["pages_small"][label]["queries"] + 1
    row = next(r for r in table.rows(results) if r[0] == f"2 {label}")
    assert row[5] is False


def test_every_steering_report_row_compares_the_same_month_state():
    results = _results()
    for label, page in results["pages_large"].items():
        if "steering" in label:
            assert page["queries"] == results["pages_small"][label]["queries"], label


def test_markdown_goes_between_the_markers_with_machine_date_and_commit(tmp_path):
    results = _results()
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{table.START}\nold\n{table.END}\noutro\n")
    table.write_readme(readme, table.markdown(results, "run.json"))
    text = readme.read_text()
    assert "old" not in text and text.startswith("intro\n") and text.endswith("outro\n")
    assert results["commit"] in text and results["started"][:10] in text
    assert f"{results['machine']['nproc']} cores" in text
    assert text.count("\n| ") == len(table.rows(results)) + 1  # header and one line a row
