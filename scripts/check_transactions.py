"""Lint: only the transaction boundary commits or rolls back (CONTRIBUTING.md, "One
transaction boundary").

Services change objects and flush; the request's boundary (`core/transaction.py`), the error
pages that end a failed request (`core/errors.py`) and the commands (the CLI, the demo and the
generated data) commit or roll back. Anywhere else, `.commit` or `.rollback` on anything (a
call, or the method handed on as a callback) is reported with its file and line, and the
check fails. A clash a user can cause is caught in a savepoint instead
(`with db.session.begin_nested():`, or `core.locks.refused_as`).

Usage: python scripts/check_transactions.py [package directory, default: netvaerk]
"""

from __future__ import annotations

import ast
import sys
from fnmatch import fnmatch
from pathlib import Path

# Paths relative to the package's parent, with the reason each may end a transaction.
ALLOWED = {
    "netvaerk/core/transaction.py": "the request's one boundary, and commit_sign_in",
    "netvaerk/core/errors.py": "error pages roll back the request that failed",
    "netvaerk/cli.py": "commands are their own boundary",
    "netvaerk/demo.py": "the demo command",
    "netvaerk/*/demo.py": "each capability's step of the demo command",
    "netvaerk/generate/*.py": "the generated-data command",
    "netvaerk/tasks/queue.py": "the worker is its own boundary, as commands are",
    "netvaerk/tasks/outbox.py": "delivery commits each step (claim, handed over, sent) before "
    "the next talk with the mail server, so a crash never sends twice; queue_mail only flushes",
}
ENDINGS = {"commit", "rollback"}


def allowed(relative: str) -> bool:
    """Whether the module at `relative` (POSIX path) may commit or roll back."""
    return any(fnmatch(relative, pattern) for pattern in ALLOWED)


def offences(source: str) -> list[tuple[int, str]]:
    """(line, text) of every `.commit` / `.rollback` in a module's source."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in ENDINGS:
            found.append((node.lineno, f"{ast.unparse(node)}"))
    return sorted(found)


def check(package: Path) -> list[str]:
    """Every commit or rollback outside the allowed modules of `package`, as `path:line: ...`."""
    root = package.resolve().parent
    reports = []
    for path in sorted(package.resolve().rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if allowed(relative):
            continue
        for line, text in offences(path.read_text(encoding="utf-8")):
            reports.append(
                f"{relative}:{line}: {text} outside the transaction boundary "
                "(flush; catch a clash in db.session.begin_nested())"
            )
    return reports


def main(argv: list[str]) -> int:
    """Print the offences; exit status 1 when there are any."""
    package = Path(argv[1] if len(argv) > 1 else "netvaerk")
    reports = check(package)
    for report in reports:
        print(report)
    if reports:
        print(f"{len(reports)} commit/rollback outside the boundary (see CONTRIBUTING.md)")
        return 1
    print("transactions: only the boundary commits or rolls back")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
