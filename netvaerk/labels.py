"""Translated labels for the fixed vocabularies (roles, statuses, outcomes, reasons)."""

import re

from flask_babel import lazy_gettext as _l

ROLE_LABELS = {
    "coordinator": _l("Coordinator"),
    "facilitator": _l("Facilitator"),
    "steering": _l("Steering group"),
    "kiosk": _l("Kiosk (tablet)"),
    "admin": _l("Site administrator"),
}
STATUS_LABELS = {
    "interested": _l("Interested"),
    "intake": _l("Intake held"),
    "active": _l("Active"),
    "left": _l("Left"),
}
OUTCOME_LABELS = {
    "ordinary_job": _l("Ordinary job"),
    "flex_job": _l("Flex job"),
    "wage_subsidy_job": _l("Wage-subsidy job"),
    "internship": _l("Internship (virksomhedspraktik)"),
    "education": _l("Education"),
    "other_programme": _l("Other programme"),
    "moved_away": _l("Moved away"),
    "stopped": _l("Stopped"),
    "unknown": _l("Unknown"),
}
ABSENCE_REASON_LABELS = {
    "personal": _l("Personal reasons"),
    "job_interview": _l("Job interview"),
    "internship": _l("Internship"),
    "course": _l("Course"),
    "other": _l("Other"),
}
ATTENDANCE_LABELS = {
    "present": _l("Present"),
    "absent": _l("Absent"),
    "notified": _l("Absent with notice"),
}
WEEKDAY_LABELS = (
    _l("Monday"),
    _l("Tuesday"),
    _l("Wednesday"),
    _l("Thursday"),
    _l("Friday"),
    _l("Saturday"),
    _l("Sunday"),
)


# The menu's groups, by the capability (blueprint) an entry belongs to. Entries of a group of
# one are shown on their own; entries of no group (the start page) come first.
NAV_GROUPS = (
    ("people", _l("People"), ("participants", "wheel")),
    ("meetings", _l("Meetings"), ("meetings",)),
    ("house", _l("House"), ("rota",)),
    ("programme", _l("Programme"), ("activities",)),
    ("evaluations", _l("Evaluations"), ("evaluations",)),
    ("statistics", _l("Statistics"), ("stats",)),
    ("administration", _l("Administration"), ("admin", "audit", "privacy")),
)


def grouped_nav(entries, current_endpoint: str | None) -> list[dict]:
    """The menu entries in their groups, in the order of NAV_GROUPS (loose entries first).

    Each group: {"key", "label", "items", "current"}; `label` is None for loose entries."""
    by_key = {
        key: {"key": key, "label": label, "items": [], "current": False}
        for key, label, _ in NAV_GROUPS
    }
    loose = {"key": "", "label": None, "items": [], "current": False}
    for item in entries:
        blueprint = item.endpoint.split(".")[1] if item.endpoint.count(".") >= 2 else ""
        group = next((by_key[k] for k, _, bps in NAV_GROUPS if blueprint in bps), loose)
        group["items"].append(item)
        group["current"] = group["current"] or item.endpoint == current_endpoint
    groups = [loose] + [by_key[key] for key, _, _ in NAV_GROUPS]
    return [g for g in groups if g["items"]]


def group_label(network, group: int) -> str:
    """The network's label for a readiness group, or the default "Group N"."""
    custom = network.group1_label if group == 1 else network.group3_label
    return custom or str(_l("Group %(n)d", n=group))


def age_band(birth_year: int | None, year: int) -> str:
    """The age band a birth year falls in during `year` (never the year itself)."""
    if birth_year is None:
        return "unknown"
    age = year - birth_year
    for low, high in ((18, 24), (25, 29), (30, 39), (40, 49), (50, 59), (60, 64)):
        if low <= age <= high:
            return f"{low}-{high}"
    return "under-18" if age < 18 else "65+"


# Named date styles, per language (Babel patterns). Danish writes "27. november 2026" and
# "fredag den 27. november"; English (British order, never the US "11/27/26") "27 November 2026".
DATE_STYLES = {
    "short": {"da": "d. MMM y", "en": "d MMM y"},
    "medium": {"da": "d. MMM y", "en": "d MMM y"},
    "long": {"da": "d. MMMM y", "en": "d MMMM y"},
    "full": {"da": "EEEE 'den' d. MMMM y", "en": "EEEE d MMMM y"},
}
DATETIME_STYLES = {
    "short": {"da": "d. MMM y 'kl.' HH.mm", "en": "d MMM y, HH:mm"},
    "medium": {"da": "d. MMM y 'kl.' HH.mm", "en": "d MMM y, HH:mm"},
    "long": {"da": "d. MMMM y 'kl.' HH.mm", "en": "d MMMM y, HH:mm"},
}
CLOCK_PATTERNS = {"da": "HH.mm", "en": "HH:mm"}
# A day number followed by a month name: "d MMMM", "d. MMM" (not inside quotes).
_DAY_BEFORE_MONTH = re.compile(r"\bd\.? (?=M)")


def language() -> str:
    """The reader's language: "da" or "en" (Danish when none is chosen)."""
    from flask_babel import get_locale

    locale = get_locale()
    return "da" if locale is None or locale.language == "da" else "en"


def date_pattern(style: str, language: str) -> str:
    """The Babel pattern of a named style, or `style` itself with the day written the
    language's way ("d. MMMM" in Danish, "d MMMM" in English)."""
    if style in DATE_STYLES:
        return DATE_STYLES[style][language]
    pattern = _DAY_BEFORE_MONTH.sub("d. " if language == "da" else "d ", style)
    if language == "da":
        pattern = pattern.replace("EEEE d.", "EEEE 'den' d.")
    return pattern


def format_day(day, style: str = "medium") -> str:
    """A date in the request's language: da "27. november 2026", en "27 November 2026"."""
    from flask_babel import format_date

    if not day:
        return ""
    return format_date(day, date_pattern(style, language()))


def format_moment(moment, style: str = "short") -> str:
    """A date and time: da "27. nov. 2026 kl. 13.24", en "27 Nov 2026, 13:24"."""
    from flask_babel import format_datetime

    if not moment:
        return ""
    reader = language()
    if style in DATETIME_STYLES:
        return format_datetime(moment, DATETIME_STYLES[style][reader])
    return format_datetime(moment, date_pattern(style, reader))


def format_clock(moment) -> str:
    """A time of day: da "09.30", en "09:30" (the sentence around it says "kl."/"at")."""
    if not moment:
        return ""
    return moment.strftime(CLOCK_PATTERNS[language()].replace("HH", "%H").replace("mm", "%M"))


def csv_dialect() -> dict:
    """CSV settings Excel opens in columns: semicolon and decimal comma in Danish, BOM always."""
    if language() == "da":
        return {"delimiter": ";", "decimal": ","}
    return {"delimiter": ",", "decimal": "."}


def _draft_for_page():
    """The form draft kept for this user and page after their session ended, once."""
    from flask import request
    from flask_login import current_user

    from .core.drafts import take_draft

    user_id = current_user.id if current_user.is_authenticated else None
    return take_draft(user_id, request.path)


def email_breaks(address: str | None):
    """An e-mail address that may wrap after its "@" (a <wbr>), not inside a word, when it is
    wider than the line (a card on a 320 px phone)."""
    from markupsafe import Markup, escape

    if not address:
        return ""
    return Markup("@<wbr>").join(escape(part) for part in str(address).split("@"))


def register_template_helpers(app_or_bp) -> None:
    """Expose the labels and locale-aware formatting to every template."""
    from flask_babel import format_decimal, format_percent

    def lookup(mapping):
        return lambda key: mapping.get(key, key or "")

    app_or_bp.add_app_template_global(lookup(ROLE_LABELS), "role_label")
    app_or_bp.add_app_template_global(lookup(STATUS_LABELS), "status_label")
    app_or_bp.add_app_template_global(lookup(OUTCOME_LABELS), "outcome_label")
    app_or_bp.add_app_template_global(lookup(ABSENCE_REASON_LABELS), "absence_reason_label")
    app_or_bp.add_app_template_global(lookup(ATTENDANCE_LABELS), "attendance_label")
    app_or_bp.add_app_template_global(lambda d: WEEKDAY_LABELS[d], "weekday_label")
    app_or_bp.add_app_template_global(group_label, "group_label")
    app_or_bp.add_app_template_global(grouped_nav, "grouped_nav")
    app_or_bp.add_app_template_global(_draft_for_page, "draft_for_page")
    from .core.registry import parts_for

    app_or_bp.add_app_template_global(parts_for, "parts")
    app_or_bp.add_app_template_filter(format_day, "date")
    app_or_bp.add_app_template_filter(format_moment, "datetime")
    app_or_bp.add_app_template_filter(lambda n, f=None: format_decimal(n, f), "number")
    app_or_bp.add_app_template_filter(lambda n: format_percent(n, "#,##0 %"), "percent")
    app_or_bp.add_app_template_filter(format_clock, "hhmm")
    app_or_bp.add_app_template_filter(email_breaks, "email_breaks")
