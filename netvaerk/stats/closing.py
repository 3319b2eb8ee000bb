"""Closing a month (its figures frozen with their cell keys) and reopening it with a reason."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, tuple_
from sqlalchemy.exc import IntegrityError

from ..audit.services import record
from ..core.errors import UserError
from ..core.locks import lock_for_update
from ..core.models import Network, User
from ..extensions import db
from ..timeutil import utcnow
from .models import MonthlyReport, MonthlyReportVersion
from .services import compute_figures, is_complete

# Why a month is reopened: a fixed list, so that no name or story reaches the steering group
# (the free-text note beside it is for coordinators only).
REOPEN_REASONS = {
    "late_registration": _l("Late registration"),
    "correction": _l("Correction of an error"),
    "erasure": _l("Erasure of a person's data"),
    "other": _l("Other"),
}


def close_month(
    network: Network, year: int, month: int, user: User | None, today: date
) -> MonthlyReport:
    """Freeze a complete month's figures (with their cell keys); flushes, never commits."""
    if not is_complete(year, month, today):
        raise UserError(_l("Only a month that has ended can be closed."))
    figures = compute_figures([network.id], year, month, today)[network.id]
    report = MonthlyReport(
        network_id=network.id,
        year=year,
        month=month,
        figures=figures,
        closed_by_id=user.id if user else None,
    )
    try:
        with db.session.begin_nested():
            db.session.add(report)
    except IntegrityError as error:  # a second click, or two coordinators at once
        raise UserError(_l("The month is closed already.")) from error
    record(
        "stats.close",
        network_id=network.id,
        subject_type="monthly_report",
        detail=f"{year}-{month:02d}",
        user_id=user.id if user else None,
    )
    return report


def reopen_month(
    network: Network,
    year: int,
    month: int,
    user: User | None,
    reason: str,
    note: str = "",
    today: date | None = None,
) -> MonthlyReport:
    """Reopen a closed month with a reason from REOPEN_REASONS: recompute its figures and
    freeze them again as a new revision; the version it replaces is kept unchanged
    (`MonthlyReportVersion`). The same people keep the same record keys, so the revision
    differs from the first version by noise only where its people differ."""
    if reason not in REOPEN_REASONS:
        raise UserError(_l("Please choose why the month is reopened."), field="reason")
    this_month = (
        MonthlyReport.network_id == network.id,
        MonthlyReport.year == year,
        MonthlyReport.month == month,
    )
    # Two reopenings at once: the second waits, then reads the first one's revision.
    lock_for_update(MonthlyReport, *this_month, column="revision")
    report = db.session.execute(
        select(MonthlyReport).where(*this_month).execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if report is None:
        raise UserError(_l("The month is not closed, so there is nothing to reopen."))
    db.session.add(
        MonthlyReportVersion(
            report_id=report.id,
            network_id=network.id,
            year=year,
            month=month,
            revision=report.revision,
            figures=report.figures,
            frozen_at=report.revised_at or report.closed_at,
            revision_reason=report.revision_reason,
        )
    )
    report.figures = compute_figures([network.id], year, month, today)[network.id]
    report.revision += 1
    report.revised_at = utcnow()
    report.revised_by_id = user.id if user else None
    report.revision_reason = reason
    report.revision_note = (note or "").strip()[:500] or None
    record(
        "stats.reopen",
        network_id=network.id,
        subject_type="monthly_report",
        subject_id=report.id,
        detail=f"{year}-{month:02d}: {reason}",
        user_id=user.id if user else None,
    )
    db.session.flush()
    return report


def replaced_versions(network_ids, months) -> dict[tuple[int, int, int], list[tuple[int, dict]]]:
    """The replaced versions of the networks' closed months: {(network id, year, month):
    [(revision, figures), ...]} oldest first, in one query."""
    if not network_ids or not months:
        return {}
    rows = db.session.execute(
        select(
            MonthlyReportVersion.network_id,
            MonthlyReportVersion.year,
            MonthlyReportVersion.month,
            MonthlyReportVersion.revision,
            MonthlyReportVersion.figures,
        )
        .where(
            MonthlyReportVersion.network_id.in_(list(network_ids)),
            tuple_(MonthlyReportVersion.year, MonthlyReportVersion.month).in_(list(months)),
        )
        .order_by(MonthlyReportVersion.revision)
    )
    found: dict[tuple[int, int, int], list[tuple[int, dict]]] = {}
    for network_id, year, month, revision, figures in rows:
        found.setdefault((network_id, year, month), []).append((revision, figures))
    return found
