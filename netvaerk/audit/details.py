"""The details of an audit event in words, in the reader's language.

Services store a short detail in a fixed, language-free shape ("left 2026-12-05", "meeting 12
2026-11-30: present", "2026-11-24 – 2026-11-30: 12 chores", "left: 1, never started: 0, audit
events: 3"); the audit pages show it through `describe`, which reads the known shapes and says
them in the reader's language with dates written the Danish or English way. Details in another
shape (a form's title, a reason already in words) are shown as they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from ..labels import ATTENDANCE_LABELS, STATUS_LABELS, format_day

_DAY = r"(\d{4}-\d{2}-\d{2})"

FIELD_LABELS = {
    "first_name": _l("first name"),
    "last_name": _l("last name"),
    "housing_area_id": _l("housing area"),
    "birth_year": _l("birth year"),
    "readiness_group": _l("readiness group"),
    "phone": _l("phone"),
    "email": _l("e-mail"),
    "intake_date": _l("intake date"),
    "intake_note": _l("intake note"),
    "consent_date": _l("consent date"),
    "consent_text": _l("consent text"),
    "preferred_locale": _l("language"),
}
ROTA_CHANGES = {
    "reassign": _l("task given to someone else"),
    "swap": _l("tasks swapped"),
    "done": _l("task marked done"),
    "undone": _l("task marked not done"),
}
PAGES_VIEWED = {"edit": _l("the page for changing the data"), "followup": _l("the follow-up")}
# The same words as the statistics' reasons for reopening a month (one translation each).
REOPEN_REASONS = {
    "late_registration": _l("Late registration"),
    "correction": _l("Correction of an error"),
    "erasure": _l("Erasure of a person's data"),
    "other": _l("Other"),
}
WORDS = {
    "unknown account": _l("unknown account"),
    "late": _l("late cancellation"),
    "role ended": _l("the role ended"),
}


def _n(one: str, many: str) -> tuple[str, str]:
    """Mark a singular and plural for extraction (said later with `ngettext`)."""
    return one, many


def _day(text: str) -> str:
    return format_day(date.fromisoformat(text), "long")


def _status(match: re.Match) -> str:
    status, day = match.groups()
    label = str(STATUS_LABELS.get(status, status))
    return _("%(status)s as of %(date)s", status=label, date=_day(day))


def _attendance(match: re.Match) -> str:
    _meeting, day, status = match.groups()
    label = str(ATTENDANCE_LABELS.get(status, status))
    return _("Meeting on %(date)s: %(status)s", date=_day(day), status=label.lower())


def _span_of(nouns: tuple[str, str]) -> Callable[[re.Match], str]:
    def span(match: re.Match) -> str:
        start, end, number = match.group(1), match.group(2), int(match.group(3))
        return (
            _("%(start)s to %(end)s", start=_day(start), end=_day(end))
            + ": "
            + ngettext(*nouns, number)
        )

    return span


def _rota_change(match: re.Match) -> str:
    change, chore, meeting = match.groups()
    label = str(ROTA_CHANGES.get(change, change))
    return _(
        "%(change)s (task no. %(chore)s, meeting no. %(meeting)s)",
        change=label,
        chore=chore,
        meeting=meeting,
    )


def _purge(match: re.Match) -> str:
    left, never, events = (int(n) for n in match.groups())
    return ", ".join(
        (
            ngettext(
                "%(num)d person erased after leaving", "%(num)d people erased after leaving", left
            ),
            ngettext("%(num)d who never started", "%(num)d who never started", never),
            ngettext("%(num)d old audit event deleted", "%(num)d old audit events deleted", events),
        )
    )


def _fields(match: re.Match) -> str:
    names = [n.strip() for n in match.group(1).split(",")]
    if not all(n in FIELD_LABELS for n in names):
        return match.group(0)
    return _("Changed: %(fields)s", fields=", ".join(str(FIELD_LABELS[n]) for n in names))


def _month(match: re.Match) -> str:
    year, month = int(match.group(1)), int(match.group(2))
    text = format_day(date(year, month, 1), "MMMM y")
    reason = match.group(3)
    return text + (f": {REOPEN_REASONS.get(reason, reason)}" if reason else "")


# (action pattern, detail pattern, how to say it)
_SHAPES: tuple[tuple[str, str, Callable[[re.Match], str]], ...] = (
    (r"participant\.\w+", rf"(\w+) {_DAY}", _status),
    (r"attendance\.\w+", rf"meeting (\d+) {_DAY}: (\w+)", _attendance),
    (
        r"rota\.generate",
        rf"{_DAY} – {_DAY}: (\d+) chores",
        _span_of(_n("%(num)d task given out", "%(num)d tasks given out")),
    ),
    (
        r"meeting\.generate",
        rf"{_DAY} – {_DAY}: (\d+)",
        _span_of(_n("%(num)d meeting made", "%(num)d meetings made")),
    ),
    (r"rota\.change", r"(\w+): chore (\d+), meeting (\d+)", _rota_change),
    (r"privacy\.purge", r"left: (\d+), never started: (\d+), audit events: (\d+)", _purge),
    (r"participant\.update", r"([\w, ]+)", _fields),
    (r"meeting\.\w+", _DAY, lambda m: _day(m.group(1))),
    (r"stats\.\w+", r"(\d{4})-(\d{2})(?:: (\w+))?", _month),
    (
        r"privacy\.retention_changed",
        r"(\d+) → (\d+)",
        lambda m: _("from %(before)s to %(after)s months", before=m.group(1), after=m.group(2)),
    ),
)


def describe(action: str, detail: str | None) -> str:
    """The detail of an event in words, in the reader's language ("" for none)."""
    if not detail:
        return ""
    for action_shape, detail_shape, say in _SHAPES:
        if re.fullmatch(action_shape, action):
            match = re.fullmatch(detail_shape, detail)
            if match is not None:
                try:
                    return say(match)
                except ValueError:  # not a real date after all
                    return detail
    if action == "participant.view" and detail in PAGES_VIEWED:
        return str(PAGES_VIEWED[detail])
    return str(WORDS.get(detail, detail))
