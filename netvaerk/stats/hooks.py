"""What the statistics add to the app: the menu entry, the coordinator's start-page panel,
the audit labels and the demo step."""

from __future__ import annotations

from flask import g
from flask_babel import lazy_gettext as _l

from ..core.registry import Registry
from ..timeutil import local_today


def last_month_panel() -> dict:
    """On the coordinator's start page: is last month closed for the steering group yet?"""
    from . import services

    today = local_today()
    year, month = services.add_months(today.year, today.month, -1)
    closed = services.closed_months([g.network.id], [(year, month)])
    return {"year": year, "month": month, "closed": bool(closed)}


def register(registry: Registry) -> None:
    """Register the statistics' hooks."""
    from .demo import close_demo_months
    from .summary import PDF_MAKER, REVISION, SUMMARY, month_pdf_attachment

    registry.nav_item(
        "netvaerk.stats.index", _l("Statistics"), ("coordinator", "steering", "admin"), order=80
    )
    registry.home_panel(
        "netvaerk/stats/_home_panel.html", ("coordinator",), last_month_panel, order=80
    )
    registry.audit_action("stats.close", _l("Closed a month's report"))
    registry.audit_action("stats.reopen", _l("Reopened a month's report"))
    registry.demo_step(close_demo_months, 90)
    # The mail of a closed month (stats.summary), each one the steering member can turn off;
    # its PDF is made by the worker when the mail is sent.
    registry.attachment_maker(PDF_MAKER, month_pdf_attachment)
    registry.message_kind(
        SUMMARY,
        _l("Monthly report ready"),
        "the steering members whose networks have all closed the month",
        preference="on",
        roles=("steering",),
    )
    registry.message_kind(
        REVISION,
        _l("Monthly report revised"),
        "the steering members who had the month's report",
        preference="on",
        roles=("steering",),
    )
