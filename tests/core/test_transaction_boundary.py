"""Only the transaction boundary commits or rolls back: the lint `make lint` runs
(`scripts/check_transactions.py`) finds nothing in netvaerk, and finds what it should."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _lint():
    spec = importlib.util.spec_from_file_location(
        "check_transactions", ROOT / "scripts" / "check_transactions.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_commit_or_rollback_outside_the_boundary():
    assert _lint().check(ROOT / "netvaerk") == []


def test_the_lint_finds_a_service_that_commits_or_rolls_back(tmp_path):
    package = tmp_path / "netvaerk"
    (package / "rota").mkdir(parents=True)
    (package / "rota" / "services.py").write_text(
        "def save(db, on_done):\n"
        "    db.session.flush()\n"
        "    db.session.commit()\n"
        "    on_done(db.session.rollback)\n",
        encoding="utf-8",
    )
    (package / "cli.py").write_text("def run(db):\n    db.session.commit()\n", encoding="utf-8")
    (package / "rota" / "demo.py").write_text("def d(db):\n    db.session.commit()\n")
    reports = _lint().check(package)
    assert [r.split(" ")[0] for r in reports] == [
        "netvaerk/rota/services.py:3:",
        "netvaerk/rota/services.py:4:",
    ]


def test_make_lint_runs_it():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    lint = makefile[makefile.index("\nlint:") :].split("\n\n")[0]
    assert "scripts/check_transactions.py" in lint
