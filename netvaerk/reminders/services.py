"""Writing the reminders: the daily job (one message per address and day, once), and the
texts, each in its reader's language, with a one-click way to stop them."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..labels import format_clock, format_day
from ..tasks.outbox import queue_mail
from ..tasks.preferences import absolute_url, unsubscribe_headers, unsubscribe_url
from ..timeutil import to_local
from . import digest, residents, rules
from .digest import Recipient, Section
from .models import SentReminder

KIND_LABELS = {
    rules.FACILITATOR_TOMORROW: _l("Your activities tomorrow"),
    rules.OPEN_SLOTS: _l("Open places in the coming two weeks"),
    rules.COORDINATOR_MORNING: _l("Follow-up due and months to close"),
    rules.ACTIVITY_CANCELLED: _l("Activity cancelled"),
    rules.ACTIVITY_MOVED: _l("Activity moved"),
    rules.RESIDENT_NEXT: _l("The next meeting (residents)"),
    rules.RESIDENT_CHANGE: _l("A meeting moved or cancelled (residents)"),
}


def daily_reminders(now: datetime) -> int:
    """The periodic job: the day's reminders (the Copenhagen day of `now`), one message per
    address. Safe to run twice: an address that has the day's message gets no second one.
    Returns how many messages it wrote."""
    day = to_local(now).date()
    written = 0
    for recipient in digest.collect(day).recipients.values():
        if recipient.sections and _write_once(recipient, day):
            written += 1
    return written


def _write_once(recipient: Recipient, day: date) -> bool:
    """Queue the day's message for the recipient unless its key is written already."""
    key = f"daily:{day.isoformat()}:{recipient.email.strip().lower()}"[:300]
    if db.session.scalar(db.select(SentReminder.id).where(SentReminder.key == key)):
        return False
    try:
        with db.session.begin_nested():
            db.session.add(SentReminder(key=key, day=day))
    except IntegrityError:
        return False  # another run wrote it meanwhile
    subject, body, headers = compose(recipient)
    queue_mail(
        recipient.kinds[0],
        [recipient.email],
        subject,
        body,
        network_id=recipient.sections[0].network.id,
        headers=headers,
    )
    return True


def compose(recipient: Recipient) -> tuple[str, str, dict[str, str]]:
    """The message's subject, body and headers, in the recipient's language."""
    with force_locale(recipient.locale):
        parts = [_section_text(section) for section in recipient.sections]
        if len(recipient.sections) == 1:
            subject = _section_title(recipient.sections[0])
        else:
            subject = _("Your reminders from netvaerk")
        greeting = _("Hello %(name)s.", name=recipient.name) if recipient.name else _("Hello.")
        if recipient.participant_id is not None:
            link = residents.stop_url(recipient.participant_id)
            footer = _("Do you not want these e-mails? Click here:") + "\n" + link
            headers = residents.stop_headers(recipient.participant_id)
        else:
            footer = "\n".join(
                _("Stop e-mails like these (%(kind)s):", kind=KIND_LABELS.get(kind, kind))
                + "\n"
                + unsubscribe_url(recipient.user_id, kind)
                for kind in recipient.kinds
            )
            headers = unsubscribe_headers(recipient.user_id, recipient.kinds[0])
        body = "\n\n".join([greeting, *parts, "-- \n" + footer]) + "\n"
    return subject, body, headers


def _section_title(section: Section) -> str:
    if section.kind == rules.FACILITATOR_TOMORROW:
        return _("Tomorrow: your activities in %(network)s", network=section.network.name)
    if section.kind == rules.OPEN_SLOTS:
        return _("Open places in %(network)s", network=section.network.name)
    if section.kind == rules.COORDINATOR_MORNING:
        return _("Today in %(network)s: follow-up", network=section.network.name)
    return _("Remember the meeting tomorrow")


def _section_text(section: Section) -> str:
    data = section.data
    if section.kind == rules.FACILITATOR_TOMORROW:
        lines = [
            _(
                "Tomorrow, %(day)s, you help with these activities in %(network)s:",
                day=format_day(data["day"], "long"),
                network=section.network.name,
            )
        ]
        lines += [_activity_line(a) for a in data["items"]]
        lines.append(absolute_url("netvaerk.activities.programme"))
        return "\n".join(lines)
    if section.kind == rules.OPEN_SLOTS:
        lines = [
            _(
                "These activities in %(network)s still need a facilitator:",
                network=section.network.name,
            )
        ]
        lines += [
            _activity_line(a, with_day=True) + " " + _("(%(count)d open)", count=a.open_places)
            for a in data["items"]
        ]
        lines.append(absolute_url("netvaerk.activities.programme"))
        return "\n".join(lines)
    if section.kind == rules.COORDINATOR_MORNING:
        return _coordinator_text(section)
    return _resident_text(section)


def _activity_line(activity, with_day: bool = False) -> str:
    when = f"{format_clock(activity.start_time)}-{format_clock(activity.end_time)}"
    if with_day:
        when = f"{format_day(activity.date, 'medium')} {when}"
    place = f" ({activity.place})" if activity.place else ""
    return f"- {when} {activity.title}{place}"


def _coordinator_text(section: Section) -> str:
    data = section.data
    lines = [_("In %(network)s today:", network=section.network.name)]
    if data["conversations"]:
        lines.append(
            ngettext(
                "- %(num)d follow-up conversation is due (%(overdue)d overdue).",
                "- %(num)d follow-up conversations are due (%(overdue)d overdue).",
                data["conversations"],
                overdue=data["conversations_overdue"],
            )
        )
    if data["checks"]:
        lines.append(
            ngettext(
                "- %(num)d status check is due (%(overdue)d overdue).",
                "- %(num)d status checks are due (%(overdue)d overdue).",
                data["checks"],
                overdue=data["checks_overdue"],
            )
        )
    if data["conversations"] or data["checks"]:
        lines.append(absolute_url("netvaerk.followup.index"))
    if data["month"]:
        month = data["month"]
        lines.append(
            _(
                "- The month %(month)s is ready to close.",
                month=format_day(month, "long").split(" ", 1)[-1],
            )
        )
        lines.append(absolute_url("netvaerk.stats.month", year=month.year, month=month.month))
    return "\n".join(lines)


def _resident_text(section: Section) -> str:
    meeting = section.data["meeting"]
    lines = [
        _(
            "We meet tomorrow, %(day)s, at %(time)s.",
            day=format_day(meeting.date, "long"),
            time=format_clock(meeting.start_time),
        )
    ]
    if section.data["items"]:
        lines.append(_("This is what we do:"))
        lines += [_activity_line(a) for a in section.data["items"]]
    lines.append(_("See you there."))
    return "\n".join(lines)
