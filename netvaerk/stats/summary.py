"""The monthly summary, delivered: when the last of a steering member's networks closes a month,
the member gets one e-mail in their language with the month's headline figures (protected
exactly as the page shows them), a link to the page and the PDF attached; a revision of a
closed month sends a short notice that names the reason.

Both are written to the outbox in the transaction of the close or the reopening, so a
rolled-back close sends nothing. The PDF is made by the worker when it sends the mail
(`MadeAtSending`, the maker `month_pdf_attachment`), so closing a month never waits for it. Each
steering member can turn them off (`preferences`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from ..core.models import Membership, Network, User
from ..extensions import db
from ..tasks import preferences
from ..tasks.outbox import MadeAtSending, mail_configured, queue_mail
from . import closing, services
from .exports import month_pdf, pdf_available
from .models import MonthlyReport
from .page_context import page_context, stat_text
from .presentation import month_name

SUMMARY = "monthly_summary"
REVISION = "monthly_summary.revision"
LANGUAGES = ("da", "en")


def close_and_tell(
    network: Network, year: int, month: int, user: User | None, today: date
) -> MonthlyReport:
    """Close a month (`closing.close_month`) and write the summary to every steering member
    whose networks have now all closed it; flushes, never commits."""
    report = closing.close_month(network, year, month, user, today)
    queue_summaries(network, year, month)
    return report


def reopen_and_tell(
    network: Network,
    year: int,
    month: int,
    user: User | None,
    reason: str,
    note: str = "",
    today: date | None = None,
) -> MonthlyReport:
    """Reopen and recompute a closed month (`closing.reopen_month`) and tell the steering
    members who had its summary, with the reason (never the coordinators' note)."""
    report = closing.reopen_month(network, year, month, user, reason, note, today)
    queue_revision_notices(network, year, month, report)
    return report


@dataclass(frozen=True)
class Reader:
    """A steering member due a mail, and the networks their summary covers."""

    user: User
    networks: tuple[Network, ...]

    @property
    def locale(self) -> str:
        return self.user.locale if self.user.locale in LANGUAGES else "da"

    @property
    def scope(self) -> str:
        """The page's ?network= value for these networks (as the page links them)."""
        return str(self.networks[0].id) if len(self.networks) == 1 else "all"


def readers(network: Network, year: int, month: int) -> list[Reader]:
    """The enabled steering members of the network whose networks (every network where they
    read the statistics) have all closed the month; members of several networks are due
    only when the last of them closes, so each gets one mail."""
    members = db.session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.network_id == network.id,
            Membership.role == "steering",
            User.is_enabled.is_(True),
        )
        .order_by(User.id)
    ).all()
    if not members:
        return []
    rows = db.session.execute(
        select(Membership.user_id, Network)
        .join(Network, Network.id == Membership.network_id)
        .where(
            Membership.user_id.in_([m.id for m in members]),
            Membership.role.in_(services.VIEWING_ROLES),
        )
        .order_by(Network.name, Network.id)
    ).all()
    networks_of: dict[int, list[Network]] = {}
    for user_id, member_network in rows:
        networks_of.setdefault(user_id, []).append(member_network)
    every_id = {n.id for networks in networks_of.values() for n in networks}
    closed = services.closed_months(list(every_id), [(year, month)])
    return [
        Reader(user, tuple(networks_of[user.id]))
        for user in members
        if all((n.id, year, month) in closed for n in networks_of[user.id])
    ]


def queue_summaries(network: Network, year: int, month: int) -> int:
    """Write the month's summary for each steering member now due one (see `readers`) who has
    not turned it off; one report and PDF per set of networks and language. How many."""
    if not mail_configured():
        return 0
    due = [r for r in readers(network, year, month) if preferences.wants_mail(r.user.id, SUMMARY)]
    groups: dict[tuple[tuple[int, ...], str], list[Reader]] = {}
    for reader in due:
        groups.setdefault((tuple(n.id for n in reader.networks), reader.locale), []).append(reader)
    for (_ids, locale), group in groups.items():
        with force_locale(locale):
            _queue_group(group, year, month, network.id)
    return len(due)


def headline(context: dict) -> list[tuple[str, str]]:
    """The month's headline figures as the page shows them: each trend figure's value for the
    month, as its chart's table gives it (protected, never an exact count)."""
    return [(chart["label"], stat_text(chart["points"][-1])) for chart in context["charts"]]


def summary_context(networks: Sequence[Network], scope: str, year: int, month: int) -> dict:
    """The page's context as a steering member reads it (protected figures, with the trend)."""
    return page_context(list(networks), scope, year, month, exact=False)


def _queue_group(group: list[Reader], year: int, month: int, network_id: int) -> None:
    first = group[0]
    context = summary_context(first.networks, first.scope, year, month)
    pdf = pdf_available()
    if not pdf:
        current_app.logger.warning("Monthly summary sent without its PDF: Pango is missing")
    link = preferences.absolute_url(
        "netvaerk.stats.month", year=year, month=month, network=first.scope
    )
    subject = _("The monthly report for %(month)s is ready", month=month_name(year, month))
    figures = "\n".join(f"- {label}: {value}" for label, value in headline(context))
    made = MadeAtSending(
        PDF_MAKER,
        {
            "network_ids": [n.id for n in first.networks],
            "scope": first.scope,
            "year": year,
            "month": month,
            "locale": first.locale,
        },
    )
    attachments = [(f"netvaerk-{year}-{month:02d}.pdf", "application/pdf", made)] if pdf else []
    for reader in group:
        lines = [
            _("Hello %(name)s,", name=reader.user.name or reader.user.email),
            "",
            _("%(title)s is closed. The main figures:", title=context["title"]),
            "",
            figures,
            "",
        ]
        if context.get("protection_note"):
            lines += [context["protection_note"], ""]
        lines += [_("See the whole report: %(link)s", link=link)]
        lines += [
            _("The report is attached as a PDF, with its charts.")
            if pdf
            else _("The PDF could not be made this time. Download it from the report's page.")
        ]
        queue_mail(
            SUMMARY,
            [reader.user.email],
            subject,
            "\n".join(lines) + _footer(reader.user.id, SUMMARY),
            network_id=network_id,
            headers=preferences.unsubscribe_headers(reader.user.id, SUMMARY),
            attachments=attachments,
        )


PDF_MAKER = "stats.month_pdf"


def month_pdf_attachment(network_ids: list[int], scope: str, year: int, month: int, locale: str):
    """The summary's PDF, made by the worker when it sends the mail (`MadeAtSending`): the
    report as the steering member reads it, in their language, the same file as the export."""
    networks = db.session.scalars(
        select(Network).where(Network.id.in_(network_ids)).order_by(Network.name, Network.id)
    ).all()
    with force_locale(locale):
        context = summary_context(networks, scope, year, month)
        return month_pdf(context, year=year, month=month)


def queue_revision_notices(network: Network, year: int, month: int, report) -> int:
    """A short notice of a revised month to each steering member who had its summary (all
    their networks closed it) and has not turned notices off: the reason, never the note."""
    if not mail_configured():
        return 0
    due = [r for r in readers(network, year, month) if preferences.wants_mail(r.user.id, REVISION)]
    for reader in due:
        with force_locale(reader.locale):
            reason = closing.REOPEN_REASONS.get(report.revision_reason, _("Other"))
            link = preferences.absolute_url(
                "netvaerk.stats.month", year=year, month=month, network=reader.scope
            )
            when = month_name(year, month)
            body = "\n".join(
                [
                    _("Hello %(name)s,", name=reader.user.name or reader.user.email),
                    "",
                    _(
                        "The figures of %(network)s for %(month)s have been recomputed "
                        "(revision %(revision)d).",
                        network=network.name,
                        month=when,
                        revision=report.revision,
                    ),
                    _("Reason: %(reason)s", reason=reason),
                    "",
                    _("See the report: %(link)s", link=link),
                ]
            )
            queue_mail(
                REVISION,
                [reader.user.email],
                _("The report for %(month)s is revised", month=when),
                body + _footer(reader.user.id, REVISION),
                network_id=network.id,
                headers=preferences.unsubscribe_headers(reader.user.id, REVISION),
            )
    return len(due)


def _footer(user_id: int, kind: str) -> str:
    url = preferences.unsubscribe_url(user_id, kind)
    return (
        "\n\n-- \n"
        + _("You get this e-mail as a member of the steering group.")
        + "\n"
        + _("Turn it off: %(link)s", link=url)
    )
