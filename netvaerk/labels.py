"""Translated labels for the fixed vocabularies (roles, statuses, outcomes, reasons)."""

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


def register_template_helpers(app_or_bp) -> None:
    """Expose the labels and locale-aware formatting to every template."""
    from flask_babel import format_date, format_datetime, format_decimal, format_percent

    def lookup(mapping):
        return lambda key: mapping.get(key, key or "")

    app_or_bp.add_app_template_global(lookup(ROLE_LABELS), "role_label")
    app_or_bp.add_app_template_global(lookup(STATUS_LABELS), "status_label")
    app_or_bp.add_app_template_global(lookup(OUTCOME_LABELS), "outcome_label")
    app_or_bp.add_app_template_global(lookup(ABSENCE_REASON_LABELS), "absence_reason_label")
    app_or_bp.add_app_template_global(lookup(ATTENDANCE_LABELS), "attendance_label")
    app_or_bp.add_app_template_global(lambda d: WEEKDAY_LABELS[d], "weekday_label")
    app_or_bp.add_app_template_global(group_label, "group_label")
    from .core.registry import parts_for

    app_or_bp.add_app_template_global(parts_for, "parts")
    app_or_bp.add_app_template_filter(lambda d, f="medium": format_date(d, f) if d else "", "date")
    app_or_bp.add_app_template_filter(
        lambda d, f="short": format_datetime(d, f) if d else "", "datetime"
    )
    app_or_bp.add_app_template_filter(lambda n, f=None: format_decimal(n, f), "number")
    app_or_bp.add_app_template_filter(lambda n: format_percent(n, "#,##0 %"), "percent")
    app_or_bp.add_app_template_filter(lambda t: t.strftime("%H:%M") if t else "", "hhmm")
