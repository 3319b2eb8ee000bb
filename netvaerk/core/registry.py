"""The hooks through which capabilities add to each other's pages and to shared work.

Every slot is declared here once, with its documentation (FlaskBB's `plugins/spec.py`). Each
capability registers what it adds in its own `hooks.py`, whose `register(registry)` is called by
`Netvaerk.init_app`, whether or not its views are imported. The registry is state of the app
(`app.extensions["netvaerk"].registry`), so two apps in one process never share it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import time

from flask import current_app

# Page slots: `registry.page_part(SLOT, template, context)`; `context(**arguments)` returns the
# template's context, or None to leave the part out. A part may instead give `rows`: a function
# of the arguments returning a select of the columns its slot names (or None); the registry
# runs the selects of all of a slot's parts as one statement (UNION ALL) and calls
# `context(rows=[...], **arguments)` with that part's rows, in no particular order.
KIOSK_CONFIRMATION = "kiosk.confirmation"
KIOSK_SCREEN = "kiosk.screen"
PARTICIPANT_PAGE = "participant.page"
PARTICIPANT_SUMMARY = "participant.summary"
PARTICIPANT_LIST = "participant.list"
PARTICIPANT_LEFT = "participant.left"
MEETING_TODAY = "meeting.today"
WISHES = "activities.wishes"

SLOTS: dict[str, str] = {
    KIOSK_CONFIRMATION: (
        "Shown after a resident checks in; arguments: participant, meeting. A part's rows: "
        "sort (an integer), start_time, end_time (times or NULL), title, place (texts or NULL)."
    ),
    KIOSK_SCREEN: "Extra content on the kiosk's check-in screen; arguments: network, meeting.",
    PARTICIPANT_PAGE: "A section of a participant's page; argument: participant.",
    PARTICIPANT_SUMMARY: (
        "A section near the top of a participant's page, before the periods; argument: participant."
    ),
    PARTICIPANT_LIST: (
        "Columns of the participant list; arguments: network, participants (the rows of the "
        "page shown). The template is included once in the heading row and once per row with "
        "the participant as `p`."
    ),
    PARTICIPANT_LEFT: "Shown right after a participant leaves; argument: participant.",
    MEETING_TODAY: "A section of the staff page for today's meeting; argument: meeting.",
    WISHES: "Above the list of participants' wishes; argument: network.",
}


# Events: `registry.on(EVENT, func)`; the service that makes the change calls
# `notify(EVENT, **arguments)` in the same transaction, so every listener's change is saved or
# rolled back with it. Listeners only flush.
PARTICIPANT_LEFT_EVENT = "participant.left"
PARTICIPANT_STARTED_EVENT = "participant.started"
MEMBERSHIP_ENDED = "membership.ended"
MEETING_MOVED = "meeting.moved"
MEETING_CANCELLED = "meeting.cancelled"
ACTIVITY_MOVED = "activity.moved"
ACTIVITY_CANCELLED = "activity.cancelled"

EVENTS: dict[str, str] = {
    PARTICIPANT_LEFT_EVENT: "A participant left; arguments: participant, period (closed, with its "
    "end date and outcome), user_id.",
    PARTICIPANT_STARTED_EVENT: "A participant got a place (the first start, or back after "
    "leaving); arguments: participant, period (the new, open one), user_id.",
    MEMBERSHIP_ENDED: "A user can no longer work in a network (role removed or changed, account "
    "disabled); arguments: user_id, network_id (None: every network), now.",
    MEETING_MOVED: "A meeting got another date or time; arguments: meeting.",
    MEETING_CANCELLED: "A meeting was cancelled; arguments: meeting.",
    ACTIVITY_MOVED: "An activity got another date or time (not by its meeting moving); "
    "arguments: activity, before (the old date, start and end).",
    ACTIVITY_CANCELLED: "An activity was cancelled; arguments: activity, people (the users "
    "who had a place).",
}


# Background work (STYLE.md rule 15). `registry.periodic_job(name, func, at=time(3, 0))`: the
# task queue calls `func(now=<naive UTC>)` once per occurrence (a day at `at`, Europe/Copenhagen
# time; `weekdays` limits it to those days, 0 = Monday), inside a transaction of its own that
# it commits; the function only flushes and must be safe to run twice. An occurrence missed
# while no worker ran is made up within `grace_hours`.
# `registry.message_kind(kind, label, recipients)`: a kind of e-mail a capability writes to the
# outbox (`tasks.outbox.queue_mail(kind, ...)`), with a label for the admin's outbox page and
# a sentence saying who receives it; `preference="on"/"off"` and `roles=` make it a choice on
# the preferences page (`tasks.preferences.wants_mail` reads it).
# `registry.attachment_maker(name, func)`: a file made when its message is sent, by the worker,
# not in the request that wrote the message: `func(**args) -> bytes`, called inside a request
# context for the app's base URL, with the arguments `tasks.outbox.MadeAtSending` names; what
# it raises puts the message back in the queue, with the error, until the retry period is over.


class UnknownSlot(LookupError):
    """A page part was registered or asked for at a slot that is not declared in SLOTS."""


@dataclass(frozen=True)
class NavItem:
    """A menu entry shown to the given roles ("admin" for site administrators)."""

    endpoint: str
    label: object
    roles: tuple[str, ...]
    order: int = 50


@dataclass(frozen=True)
class HomePanel:
    """A template included on the start page of the given roles, with its own context."""

    template: str
    roles: tuple[str, ...]
    context: Callable[[], dict] = field(default=lambda: {})
    order: int = 50


@dataclass(frozen=True)
class DemoStep:
    """A function that adds one capability's demo data to the demo network."""

    func: Callable
    order: int


@dataclass(frozen=True)
class PagePart:
    """A piece one capability adds to another's page, at a declared slot."""

    slot: str
    template: str
    context: Callable[..., dict | None]
    order: int = 50
    rows: Callable | None = None


@dataclass(frozen=True)
class PeriodicJob:
    """A job the task queue runs each day (or on `weekdays`) at a Copenhagen time of day."""

    name: str
    func: Callable
    at: time
    weekdays: tuple[int, ...] | None = None
    grace_hours: int = 6


@dataclass(frozen=True)
class MessageKind:
    """A kind of e-mail a capability sends through the outbox."""

    kind: str
    label: object
    recipients: str
    # None: not a choice (a password reset); "on": sent unless the user turned it off;
    # "off": sent only to users who turned it on. `roles`: who may choose (the preferences page).
    preference: str | None = None
    roles: tuple[str, ...] = ()


@dataclass
class Registry:
    """Everything the capabilities registered for one app."""

    nav_items: list[NavItem] = field(default_factory=list)
    home_panels: list[HomePanel] = field(default_factory=list)
    page_parts: list[PagePart] = field(default_factory=list)
    demo_steps: list[DemoStep] = field(default_factory=list)
    generate_steps: list[DemoStep] = field(default_factory=list)
    network_setup: list[Callable] = field(default_factory=list)
    # Personal-data hooks: export(participant) -> JSON-able dict, erase(participant) -> None, so
    # that access requests and erasure cover every capability without a hand-written list.
    exporters: dict[str, Callable] = field(default_factory=dict)
    erasers: dict[str, Callable] = field(default_factory=dict)
    audit_actions: dict[str, object] = field(default_factory=dict)
    listeners: dict[str, list[Callable]] = field(default_factory=dict)
    # Retention holds: hold(participant_ids) -> {participant id: date}, the day from which the
    # retention period of a resident who left is counted, when a capability still needs their
    # data after leaving (follow-up's status checks).
    retention_holds: list[Callable] = field(default_factory=list)
    # Report figures: name -> a function that gives the statistics a capability's exact counts
    # (see `stats.followup_sections` for what follow-up hands over); the statistics protect them.
    report_figures: dict[str, Callable] = field(default_factory=dict)
    periodic_jobs: dict[str, PeriodicJob] = field(default_factory=dict)
    message_kinds: dict[str, MessageKind] = field(default_factory=dict)
    attachment_makers: dict[str, Callable] = field(default_factory=dict)

    def nav_item(self, endpoint: str, label, roles, order: int = 50) -> None:
        """A menu entry (registering the same endpoint twice keeps the first)."""
        if all(item.endpoint != endpoint for item in self.nav_items):
            self.nav_items.append(NavItem(endpoint, label, tuple(roles), order))
            self.nav_items.sort(key=lambda i: i.order)

    def home_panel(self, template: str, roles, context: Callable[[], dict], order: int = 50):
        """A panel on the start page of the given roles."""
        if all(panel.template != template for panel in self.home_panels):
            self.home_panels.append(HomePanel(template, tuple(roles), context, order))
            self.home_panels.sort(key=lambda p: p.order)

    def page_part(
        self,
        slot: str,
        template: str,
        context: Callable,
        order: int = 50,
        rows: Callable | None = None,
    ) -> None:
        """A part of another capability's page at a declared slot (with `rows`: its data come
        from the slot's one statement, see above)."""
        if slot not in SLOTS:
            raise UnknownSlot(f"no page slot named {slot!r}; declared: {sorted(SLOTS)}")
        if all(p.template != template or p.slot != slot for p in self.page_parts):
            self.page_parts.append(PagePart(slot, template, context, order, rows))
            self.page_parts.sort(key=lambda p: p.order)

    def parts_for(self, slot: str, **kwargs) -> list[tuple[str, dict]]:
        """The (template, context) pairs registered for a slot, in order, skipping empty ones."""
        if slot not in SLOTS:
            raise UnknownSlot(f"no page slot named {slot!r}")
        parts = [part for part in self.page_parts if part.slot == slot]
        fetched = _rows_of(parts, kwargs)
        found = []
        for index, part in enumerate(parts):
            if part.rows is None:
                context = part.context(**kwargs)
            elif index in fetched:
                context = part.context(rows=fetched[index], **kwargs)
            else:
                context = None  # the part had nothing to ask for
            if context is not None:
                found.append((part.template, context))
        return found

    def personal_data(self, name: str, *, export: Callable, erase: Callable) -> None:
        """How a capability exports and erases what it holds about a participant."""
        self.exporters[name] = export
        self.erasers[name] = erase

    def demo_step(self, func: Callable, order: int) -> None:
        """A step of `flask demo`; steps run in ascending order."""
        if all(step.func is not func for step in self.demo_steps):
            self.demo_steps.append(DemoStep(func, order))
            self.demo_steps.sort(key=lambda s: s.order)

    def generate_step(self, func: Callable, order: int) -> None:
        """A step of `flask generate` (the benchmark's data); steps run in ascending order, after
        the bulk rows are written: `func(network_ids, end, seed)` adds its rows (it only flushes)
        and returns {table name: rows written}."""
        if all(step.func is not func for step in self.generate_steps):
            self.generate_steps.append(DemoStep(func, order))
            self.generate_steps.sort(key=lambda s: s.order)

    def on_network_created(self, func: Callable) -> None:
        """A function that gives a new network a capability's defaults (it only flushes)."""
        if func not in self.network_setup:
            self.network_setup.append(func)

    def on(self, event: str, func: Callable) -> None:
        """A function called with the event's arguments whenever the event happens."""
        if event not in EVENTS:
            raise UnknownSlot(f"no event named {event!r}; declared: {sorted(EVENTS)}")
        if func not in self.listeners.setdefault(event, []):
            self.listeners[event].append(func)

    def notify(self, event: str, **arguments) -> list:
        """Call the event's listeners in order; returns what each returned."""
        if event not in EVENTS:
            raise UnknownSlot(f"no event named {event!r}")
        return [func(**arguments) for func in self.listeners.get(event, [])]

    def retention_hold(self, func: Callable) -> None:
        """A function `func(participant_ids) -> {participant id: date}`: the day from which a
        leaver's retention period is counted, when later than their leaving (it only reads)."""
        if func not in self.retention_holds:
            self.retention_holds.append(func)

    def report_figure(self, name: str, func: Callable) -> None:
        """A capability's exact counts for the monthly report, under a name the statistics
        ask for (the statistics protect and present them; the capability only counts)."""
        self.report_figures.setdefault(name, func)

    def periodic_job(
        self,
        name: str,
        func: Callable,
        *,
        at: time,
        weekdays: tuple[int, ...] | None = None,
        grace_hours: int = 6,
    ) -> None:
        """A job run once per occurrence at `at` (Copenhagen time); see the comment above."""
        self.periodic_jobs.setdefault(name, PeriodicJob(name, func, at, weekdays, grace_hours))

    def attachment_maker(self, name: str, func: Callable) -> None:
        """A file made at sending (see the comment above)."""
        self.attachment_makers.setdefault(name, func)

    def message_kind(
        self,
        kind: str,
        label,
        recipients: str,
        *,
        preference: str | None = None,
        roles: tuple[str, ...] = (),
    ) -> None:
        """A kind of e-mail written to the outbox, with its label and who receives it; with a
        `preference` ("on" or "off" by default) the users of `roles` may turn it on or off."""
        if preference not in (None, "on", "off"):
            raise ValueError(f"preference must be None, 'on' or 'off', not {preference!r}")
        self.message_kinds.setdefault(
            kind, MessageKind(kind, label, recipients, preference, tuple(roles))
        )

    def audit_action(self, action: str, label) -> None:
        """The label shown on the audit pages for a capability's audit action."""
        self.audit_actions.setdefault(action, label)


def _rows_of(parts: list[PagePart], arguments: dict) -> dict[int, list]:
    """The rows of every part of a slot that gives a select, in one statement: {index: rows}."""
    from sqlalchemy import literal, union_all

    from ..extensions import db

    selects = {}
    for index, part in enumerate(parts):
        if part.rows is not None:
            statement = part.rows(**arguments)
            if statement is not None:
                selects[index] = statement
    if not selects:
        return {}
    tagged = [s.add_columns(literal(index).label("netvaerk_part")) for index, s in selects.items()]
    statement = tagged[0] if len(tagged) == 1 else union_all(*tagged)
    fetched: dict[int, list] = {index: [] for index in selects}
    for row in db.session.execute(statement):
        fetched[row[-1]].append(row)
    return fetched


def current_registry() -> Registry:
    """The registry of the app handling the current request or command."""
    return current_app.extensions["netvaerk"].registry


def notify(event: str, **arguments) -> list:
    """Tell the current app's listeners that an event happened (see EVENTS)."""
    return current_registry().notify(event, **arguments)


def parts_for(slot: str, **kwargs) -> list[tuple[str, dict]]:
    """The parts registered for a slot in the current app (used by templates as `parts`)."""
    return current_registry().parts_for(slot, **kwargs)
