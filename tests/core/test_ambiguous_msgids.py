"""One English word, two Danish meanings: such a msgid is used with a pgettext context, or in
one meaning only (issue 29: "Start" was both a period's start and the home page's name).

The code's strings are extracted with their places. Three rules:

* a msgid used with a context somewhere is used with a context everywhere (a plain use would
  get whichever meaning the plain entry has);
* each known ambiguous English word (AMBIGUOUS) used without a context is used only in the
  files listed for its one meaning: a use elsewhere must be looked at, then listed here or given
  a context;
* every (context, msgid) the code uses has its own Danish entry.
"""

import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]

# English words known to take two Danish meanings. For each, the one meaning it has where it is
# used without a context, and the files that use it so (all other uses need a context).
AMBIGUOUS = {
    "Start": ("", set()),  # a period's start / the start page: a context everywhere
    "End": ("", set()),
    "Open": ("", set()),  # a wish still open / a chore nobody covers
    "Close": ("", set()),
    "Closed": ("the meeting place is closed that day", {"netvaerk/meetings/calendar.py"}),
    "Left": ("a participant's status: has left", {"netvaerk/labels.py"}),
    "Active": ("a participant's status: active", {"netvaerk/labels.py"}),
    "Started": (
        "the month's count of participants who started",
        {"netvaerk/stats/people_sections.py"},
    ),
    "Done": (
        "a chore or commitment that is done (udført)",
        {
            "netvaerk/privacy/services.py",
            "netvaerk/stats/capability_sections.py",
            "netvaerk/stats/sections.py",
            "netvaerk/templates/netvaerk/rota/_assignments.html",
            "netvaerk/templates/netvaerk/mypage/_content.html",
        },
    ),
    "Rota": (
        "the chores rota",
        {
            "netvaerk/rota/hooks.py",
            "netvaerk/rota/views.py",
            "netvaerk/templates/netvaerk/rota/index.html",
        },
    ),
    "Register": (
        "the attendance register of a meeting (fremmøde)",
        {
            "netvaerk/templates/netvaerk/meetings/index.html",
            "netvaerk/templates/netvaerk/meetings/register.html",
        },
    ),
    "Present": (
        "present at a meeting",
        {
            "netvaerk/labels.py",
            "netvaerk/templates/netvaerk/meetings/_participant_attendance.html",
            "netvaerk/templates/netvaerk/meetings/index.html",
        },
    ),
    "Check": (
        "a status check after leaving (opfølgning)",
        {
            "netvaerk/templates/netvaerk/followup/_checks.html",
            "netvaerk/templates/netvaerk/followup/_due_tables.html",
            "netvaerk/templates/netvaerk/followup/check.html",
        },
    ),
}


def _extract(tmp_path) -> list:
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            str(Path(sys.executable).parent / "pybabel"),
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-k",
            "_n:1,2",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as handle:
        return [m for m in read_po(handle) if m.id]


def _text(message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def test_no_msgid_is_used_with_two_meanings(tmp_path):
    messages = _extract(tmp_path)
    contexts = defaultdict(set)
    plain_files = defaultdict(set)
    for message in messages:
        contexts[_text(message)].add(message.context)
        if message.context is None:
            plain_files[_text(message)].update(path for path, _line in message.locations)

    with_and_without = sorted(
        m for m, found in contexts.items() if None in found and len(found) > 1
    )
    assert with_and_without == [], "used with a context in some places and without in others"

    problems = []
    for word, (meaning, files) in AMBIGUOUS.items():
        elsewhere = plain_files.get(word, set()) - files
        if elsewhere:
            where = ", ".join(sorted(elsewhere))
            problems.append(
                f"{word!r} without a context in {where}: use pgettext, or if it means "
                f"{meaning or '(nothing yet: a context is required)'} there, list the file"
            )
    assert problems == []


def test_every_context_has_its_own_danish_entry(tmp_path):
    used = {(m.context, _text(m)) for m in _extract(tmp_path) if m.context}
    with (ROOT / "translations/da/LC_MESSAGES/messages.po").open("rb") as handle:
        danish = {(m.context, _text(m)): m.string for m in read_po(handle) if m.id}
    assert used, "the scan found the pgettext uses"
    assert sorted(key for key in used if not danish.get(key)) == []


def test_the_leaving_counts_say_what_they_count(client, network, login_as):
    """The steering group's "Stoppet" (in the month) and the coordinator's list of former
    participants (all time) differed (3 vs 2) under one word; now each label says which."""
    login_as("coordinator")
    month = client.get("/stats/2026/3").get_data(as_text=True)
    assert "Stoppet i måneden" in month
    quarter = client.get("/stats/2026/q1").get_data(as_text=True)
    assert "Stoppet i perioden" in quarter and "Stoppet i måneden" not in quarter
    people = client.get("/participants/").get_data(as_text=True)
    assert "Tidligere deltagere i alt (" in people
