"""The import rules hold: no module imports itself round a circle, and every module of pages
is in the "views are leaves" contract (CONTRIBUTING.md, "Layers point one way")."""

import tomllib
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]


def test_no_module_imports_itself_round_a_circle():
    """A blueprint shared by several view modules lives in `blueprint.py`, and the error pages
    and the transaction boundary do not import each other (function-level imports count)."""
    graph = grimp.build_graph("netvaerk", cache_dir=None)
    circles = set()
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            back = graph.find_shortest_chain(importer=imported, imported=module)
            if back is not None:
                circles.add(" -> ".join((module, *back)))
    assert not circles, "import circles:\n" + "\n".join(sorted(circles))


def test_every_views_module_is_a_leaf_in_the_contract():
    """import-linter's wildcards stand for whole names only, so each `*_views` module is
    listed in the contract by hand: a new one must be added there."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    leaves = next(c for c in contracts if c["name"].startswith("Views are leaves"))
    forbidden = set(leaves["forbidden_modules"])
    pages = {
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for path in (ROOT / "netvaerk").glob("*/*_views.py")
    }
    assert pages, "no *_views modules found: the test looks in the wrong place"
    assert pages <= forbidden, f"not in the contract: {sorted(pages - forbidden)}"
    assert "netvaerk.*.views" in forbidden


def test_the_cycle_contract_is_there():
    """`make lint` (lint-imports) refuses a new circle between the modules of any package."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    acyclic = [c for c in contracts if c["type"] == "acyclic_siblings"]
    assert acyclic and acyclic[0]["ancestors"] == ["netvaerk"]
