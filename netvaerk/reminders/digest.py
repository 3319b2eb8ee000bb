"""The day's reminders: who gets what on a day, collected per address before any is written."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy.orm import selectinload

from ..activities.models import Activity
from ..core.models import Network
from ..extensions import db
from ..followup.checks import due_checks
from ..followup.conversations import due_conversations
from ..meetings.models import Meeting
from ..stats.services import closed_months
from . import rules

OPEN_SLOTS_WEEKDAY = 0  # Monday
OPEN_SLOTS_DAYS = 14


@dataclass
class Section:
    """One reminder in a day's message: its kind and what it is about."""

    kind: str
    network: Network
    data: dict


@dataclass
class Recipient:
    """One address and the day's reminders for it (a staff account or a resident)."""

    email: str
    locale: str
    name: str
    user_id: int | None = None
    participant_id: int | None = None
    sections: list[Section] = field(default_factory=list)

    @property
    def kinds(self) -> list[str]:
        """The kinds in the message, in order, once each."""
        return list(dict.fromkeys(section.kind for section in self.sections))


class Day:
    """The reminders of one day, folded per address."""

    def __init__(self, day: date) -> None:
        self.day = day
        self.recipients: dict[str, Recipient] = {}

    def for_user(self, user, section: Section) -> None:
        """Add a reminder for a staff account."""
        key = user.email.strip().lower()
        recipient = self.recipients.setdefault(
            key,
            Recipient(user.email, rules.locale_of(user.locale), user.name or "", user_id=user.id),
        )
        recipient.sections.append(section)

    def for_resident(self, participant, section: Section) -> None:
        """Add a reminder for a resident."""
        key = participant.email.strip().lower()
        recipient = self.recipients.setdefault(
            key,
            Recipient(
                participant.email,
                rules.locale_of(participant.preferred_locale),
                participant.first_name,
                participant_id=participant.id,
            ),
        )
        if recipient.participant_id is None:
            return  # the address is a staff account's: the resident reminder is not theirs
        recipient.sections.append(section)


def collect(day: date) -> Day:
    """Every network's reminders for `day` (a Copenhagen date), folded per address."""
    found = Day(day)
    networks = db.session.scalars(db.select(Network).order_by(Network.id)).all()
    for network in networks:
        settings = rules.settings_for(network.id)
        if settings.facilitator_tomorrow:
            _facilitators_tomorrow(found, network, day)
        if settings.open_slots and day.weekday() == OPEN_SLOTS_WEEKDAY:
            _open_slots(found, network, day)
        if settings.coordinator_morning and rules.working_day(day):
            _coordinator_morning(found, network, day)
        if settings.residents:
            _residents_next_meeting(found, network, day)
    return found


def _activities(network: Network, first: date, last: date) -> list[Activity]:
    """The network's activities that take place between the days, not on a closed day."""
    activities = db.session.scalars(
        db.select(Activity)
        .where(
            Activity.network_id == network.id,
            Activity.date.between(first, last),
            Activity.is_cancelled.is_(False),
        )
        .options(selectinload(Activity.signups), selectinload(Activity.meeting))
        .order_by(Activity.date, Activity.start_time, Activity.id)
    ).all()
    closed = {d for d in {a.date for a in activities} if rules.is_closed_day(network, d)}
    return [a for a in activities if not a.is_off and a.date not in closed]


def _facilitators_tomorrow(found: Day, network: Network, day: date) -> None:
    tomorrow = day + timedelta(days=1)
    activities = _activities(network, tomorrow, tomorrow)
    people = {u.id: u for u in rules.still_staff(network.id, _signed_up(activities))}
    wanting = {u.id for u in rules.staff_wanting(people.values(), rules.FACILITATOR_TOMORROW)}
    for user_id in sorted(wanting):
        mine = [a for a in activities if any(s.user_id == user_id for s in a.signups)]
        section = Section(rules.FACILITATOR_TOMORROW, network, {"day": tomorrow, "items": mine})
        found.for_user(people[user_id], section)


def _signed_up(activities: list[Activity]):
    return list({s.user.id: s.user for a in activities for s in a.signups}.values())


def _open_slots(found: Day, network: Network, day: date) -> None:
    last = day + timedelta(days=OPEN_SLOTS_DAYS - 1)
    open_ones = [a for a in _activities(network, day, last) if a.open_places > 0]
    if not open_ones:
        return
    people = rules.staff(network.id, ("facilitator",))
    for user in rules.staff_wanting(people, rules.OPEN_SLOTS):
        not_mine = [a for a in open_ones if all(s.user_id != user.id for s in a.signups)]
        if not_mine:
            found.for_user(user, Section(rules.OPEN_SLOTS, network, {"items": not_mine}))


def _coordinator_morning(found: Day, network: Network, day: date) -> None:
    conversations = [d for d in due_conversations(network.id, day) if d.due_on <= day]
    checks = [d for d in due_checks(network.id, day) if d.check.due_on <= day]
    data = {
        "conversations": len(conversations),
        "conversations_overdue": sum(d.overdue for d in conversations),
        "checks": len(checks),
        "checks_overdue": sum(d.overdue for d in checks),
        "month": None,
    }
    last_month = day.replace(day=1) - timedelta(days=1)
    if day == rules.third_working_day_after(last_month.year, last_month.month) and not (
        closed_months([network.id], [(last_month.year, last_month.month)])
    ):
        data["month"] = last_month.replace(day=1)
    if not (data["conversations"] or data["checks"] or data["month"]):
        return
    people = rules.staff(network.id, ("coordinator",))
    for user in rules.staff_wanting(people, rules.COORDINATOR_MORNING):
        found.for_user(user, Section(rules.COORDINATOR_MORNING, network, data))


def _residents_next_meeting(found: Day, network: Network, day: date) -> None:
    """The day before a meeting: its activities, for the residents who agreed."""
    tomorrow = day + timedelta(days=1)
    meeting = db.session.scalar(
        db.select(Meeting)
        .where(
            Meeting.network_id == network.id,
            Meeting.date == tomorrow,
            Meeting.is_cancelled.is_(False),
        )
        .order_by(Meeting.start_time)
        .limit(1)
    )
    if meeting is None or rules.is_closed_day(network, tomorrow):
        return
    activities = [a for a in _activities(network, tomorrow, tomorrow) if a.meeting_id == meeting.id]
    for participant in rules.consenting_residents(network.id):
        section = Section(rules.RESIDENT_NEXT, network, {"meeting": meeting, "items": activities})
        found.for_resident(participant, section)
