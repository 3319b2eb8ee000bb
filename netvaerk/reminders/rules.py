"""Who may get a reminder: a network's settings, closed days, people still in the network, and
the staff's and residents' own choices."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
from flask_babel import lazy_gettext as _l

from ..core.models import Membership, Network, User
from ..extensions import db
from ..meetings.calendar import days_off
from ..meetings.models import Closure
from ..participants.models import Participant
from ..tasks.preferences import wants_mail
from .models import ReminderSettings

# The kinds of e-mail the reminders write (the outbox's kind; staff choose them on /account/mail).
FACILITATOR_TOMORROW = "reminders.facilitator_tomorrow"
OPEN_SLOTS = "reminders.open_slots"
COORDINATOR_MORNING = "reminders.coordinator_morning"
ACTIVITY_CANCELLED = "activities.cancelled"
ACTIVITY_MOVED = "activities.moved"
RESIDENT_NEXT = "reminders.resident_next"
RESIDENT_CHANGE = "reminders.resident_change"

# The settings of a network: its column, its label on the settings page.
SETTINGS = {
    "facilitator_tomorrow": _l("Facilitators: their activities, the day before"),
    "open_slots": _l("Facilitators who ask for it: open places in the coming two weeks, weekly"),
    "coordinator_morning": _l(
        "Coordinators: follow-up due and overdue, and a month ready to close, each working day"
    ),
    "changes": _l("Facilitators and residents: an activity or meeting moved or cancelled"),
    "residents": _l("Residents who agreed: the next meeting's activities, the day before"),
}
IN_COURSE = ("active",)


def settings_for(network_id: int) -> ReminderSettings:
    """The network's reminder settings (all on for a network that never changed them)."""
    found = db.session.get(ReminderSettings, network_id)
    if found is None:
        found = ReminderSettings(network_id=network_id, **dict.fromkeys(SETTINGS, True))
    return found


def is_on(network_id: int, setting: str) -> bool:
    """True when the network sends this reminder."""
    return bool(getattr(settings_for(network_id), setting))


def save_settings(network_id: int, wanted: dict[str, bool], user_id: int) -> ReminderSettings:
    """Turn the network's reminders on or off (audited)."""
    from ..audit.services import record

    found = db.session.get(ReminderSettings, network_id)
    if found is None:
        found = ReminderSettings(network_id=network_id)
        db.session.add(found)
    for name in SETTINGS:
        setattr(found, name, bool(wanted.get(name)))
    record(
        "reminders.settings",
        network_id=network_id,
        user_id=user_id,
        detail=", ".join(f"{name}: {'on' if wanted.get(name) else 'off'}" for name in SETTINGS),
    )
    db.session.flush()
    return found


def is_closed_day(network: Network, day: date) -> bool:
    """A public holiday, one of the network's yearly closed days, or inside a closure."""
    if days_off(network, day, day):
        return True
    return (
        db.session.scalar(
            db.select(Closure.id).where(
                Closure.network_id == network.id,
                Closure.start_date <= day,
                Closure.end_date >= day,
            )
        )
        is not None
    )


def working_day(day: date) -> bool:
    """Monday to Friday and not a Danish public holiday."""
    return day.weekday() < 5 and day not in holidays.country_holidays("DK", years=day.year)


def third_working_day_after(year: int, month: int) -> date:
    """The third working day after the month ends (when a month is ready to close)."""
    day = date(year + month // 12, month % 12 + 1, 1)
    found = 0
    while True:
        if working_day(day):
            found += 1
            if found == 3:
                return day
        day += timedelta(days=1)


def staff(network_id: int, roles: tuple[str, ...]) -> list[User]:
    """The enabled accounts that hold one of `roles` in the network now (who left, is gone)."""
    return db.session.scalars(
        db.select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.network_id == network_id,
            Membership.role.in_(roles),
            User.is_enabled.is_(True),
        )
        .order_by(User.id)
    ).all()


def still_staff(network_id: int, users) -> list[User]:
    """Those of `users` who still work in the network."""
    current = {u.id for u in staff(network_id, ("facilitator", "coordinator"))}
    return [user for user in users if user.id in current]


def staff_wanting(users, kind: str) -> list[User]:
    """Those of `users` who want this kind of mail (their choice, or the kind's default)."""
    return [user for user in users if user.email and wants_mail(user.id, kind)]


def consenting_residents(network_id: int) -> list[Participant]:
    """Residents in the course, with an e-mail address, who agreed to reminders."""
    return db.session.scalars(
        db.select(Participant)
        .where(
            Participant.network_id == network_id,
            Participant.reminders_agreed_on.is_not(None),
            Participant.status.in_(IN_COURSE),
            Participant.email.is_not(None),
            Participant.email != "",
        )
        .order_by(Participant.id)
    ).all()


def locale_of(value: str | None) -> str:
    """The language a message is written in: English when asked for, else Danish."""
    return "en" if str(value or "").startswith("en") else "da"
