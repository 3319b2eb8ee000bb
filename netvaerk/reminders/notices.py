"""Moved and cancelled activities and meetings: the facilitators with a place and the residents
who agreed to reminders are told, in the transaction of the change, under the reminder rules
(the network's setting, the person's choice, nobody who left, nothing in the past)."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from ..activities.models import Activity
from ..extensions import db
from ..labels import format_clock, format_day
from ..tasks.outbox import queue_mail
from ..tasks.preferences import unsubscribe_headers, unsubscribe_url
from ..timeutil import local_today
from . import residents, rules


def activity_cancelled(activity: Activity, people) -> None:
    """Listener: an activity was cancelled."""
    if _too_late(activity):
        return
    _tell_staff(activity.network_id, rules.ACTIVITY_CANCELLED, people, [activity], None)
    if activity.meeting_id is not None:
        _tell_residents(activity.network_id, "cancelled", [activity], activity.meeting)


def activity_moved(activity: Activity, before) -> None:
    """Listener: an activity got another date or time."""
    if _too_late(activity, before[0]):
        return
    people = [signup.user for signup in activity.signups]
    _tell_staff(activity.network_id, rules.ACTIVITY_MOVED, people, [activity], before)
    if activity.meeting_id is not None:
        _tell_residents(activity.network_id, "moved", [activity], activity.meeting)


def meeting_cancelled(meeting) -> None:
    """Listener: a meeting was cancelled, and with it its activities."""
    _meeting_changed(meeting, rules.ACTIVITY_CANCELLED, "meeting_cancelled")


def meeting_moved(meeting) -> None:
    """Listener: a meeting got another date or time (its activities follow it)."""
    _meeting_changed(meeting, rules.ACTIVITY_MOVED, "meeting_moved")


def _meeting_changed(meeting, kind: str, change: str) -> None:
    if meeting.date < local_today():
        return
    activities = db.session.scalars(
        db.select(Activity)
        .where(Activity.meeting_id == meeting.id, Activity.is_cancelled.is_(False))
        .order_by(Activity.start_time, Activity.id)
    ).all()
    people = list({s.user.id: s.user for a in activities for s in a.signups}.values())
    before = "meeting" if change == "meeting_moved" else None
    _tell_staff(meeting.network_id, kind, people, activities, before)
    _tell_residents(meeting.network_id, change, activities, meeting)


def _too_late(activity: Activity, old_day=None) -> bool:
    today = local_today()
    return max(activity.date, old_day or activity.date) < today


def _tell_staff(network_id: int, kind: str, people, activities, before) -> None:
    """One message per person, listing their activities among `activities`."""
    if not people or not rules.is_on(network_id, "changes"):
        return
    for user in rules.staff_wanting(rules.still_staff(network_id, people), kind):
        mine = [a for a in activities if any(s.user_id == user.id for s in a.signups)]
        if not mine:
            continue
        with force_locale(rules.locale_of(user.locale)):
            subject, text = _staff_text(kind, mine, before)
            footer = _("Stop e-mails like these:") + "\n" + unsubscribe_url(user.id, kind)
            queue_mail(
                kind,
                [user.email],
                subject,
                text + "\n\n-- \n" + footer + "\n",
                network_id=network_id,
                headers=unsubscribe_headers(user.id, kind),
            )


def _staff_text(kind: str, activities, before) -> tuple[str, str]:
    first = activities[0]
    if kind == rules.ACTIVITY_CANCELLED:
        subject = _("Cancelled: %(title)s", title=first.title)
        lines = [
            _(
                "The activity %(title)s on %(day)s has been cancelled. You do not need to come.",
                title=a.title,
                day=format_day(a.date, "long"),
            )
            for a in activities
        ]
        return subject, "\n".join(lines)
    subject = _("Moved: %(title)s", title=first.title)
    lines = []
    for activity in activities:
        lines.append(
            _(
                "The activity %(title)s is now on %(day)s at %(start)s-%(end)s.",
                title=activity.title,
                day=format_day(activity.date, "long"),
                start=format_clock(activity.start_time),
                end=format_clock(activity.end_time),
            )
        )
    if isinstance(before, tuple):
        lines.append(
            _(
                "It was on %(day)s at %(start)s.",
                day=format_day(before[0], "long"),
                start=format_clock(before[1]),
            )
        )
    return subject, "\n".join(lines)


def _tell_residents(network_id: int, change: str, activities, meeting) -> None:
    """Tell the residents who agreed to reminders (plain language, their language)."""
    if meeting is None or not rules.is_on(network_id, "changes"):
        return
    for participant in rules.consenting_residents(network_id):
        with force_locale(rules.locale_of(participant.preferred_locale)):
            subject, text = _resident_text(change, activities, meeting)
            footer = (
                _("Do you not want these e-mails? Click here:")
                + "\n"
                + residents.stop_url(participant.id)
            )
            queue_mail(
                rules.RESIDENT_CHANGE,
                [participant.email],
                subject,
                _("Hello %(name)s.", name=participant.first_name)
                + "\n\n"
                + text
                + "\n\n-- \n"
                + footer
                + "\n",
                network_id=network_id,
                headers=residents.stop_headers(participant.id),
            )


def _resident_text(change: str, activities, meeting) -> tuple[str, str]:
    day = format_day(meeting.date, "long")
    time = format_clock(meeting.start_time)
    if change == "meeting_cancelled":
        return _("The meeting is cancelled"), _(
            "The meeting on %(day)s is cancelled. You do not need to come.", day=day
        )
    if change == "meeting_moved":
        return _("The meeting has moved"), _(
            "The meeting has moved. It is now on %(day)s at %(time)s.", day=day, time=time
        )
    titles = ", ".join(a.title for a in activities)
    if change == "cancelled":
        return _("%(title)s is cancelled", title=titles), _(
            "%(title)s on %(day)s is cancelled. The meeting is still on.",
            title=titles,
            day=day,
        )
    first = activities[0]
    return _("%(title)s has moved", title=titles), _(
        "%(title)s has moved. It is now on %(day)s at %(time)s.",
        title=titles,
        day=format_day(first.date, "long"),
        time=format_clock(first.start_time),
    )
