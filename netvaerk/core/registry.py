"""Registries that let each capability add to the shared layout without editing the core.

A capability adds a menu entry with `nav_item`, a panel on a role's start page with
`home_panel`, and a step of the demo data with `demo_step`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


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


NAV_ITEMS: list[NavItem] = []
HOME_PANELS: list[HomePanel] = []
DEMO_STEPS: list[DemoStep] = []


def nav_item(endpoint: str, label, roles, order: int = 50) -> None:
    """Register a menu entry (idempotent, so re-imports do not duplicate it)."""
    item = NavItem(endpoint, label, tuple(roles), order)
    if all(existing.endpoint != endpoint for existing in NAV_ITEMS):
        NAV_ITEMS.append(item)
        NAV_ITEMS.sort(key=lambda i: i.order)


def home_panel(template: str, roles, order: int = 50):
    """Decorator: register the decorated context function for a start-page panel."""

    def register(func):
        if all(existing.template != template for existing in HOME_PANELS):
            HOME_PANELS.append(HomePanel(template, tuple(roles), func, order))
            HOME_PANELS.sort(key=lambda p: p.order)
        return func

    return register


def demo_step(order: int):
    """Decorator: register a demo-data step; steps run in ascending order."""

    def register(func):
        if all(existing.func.__qualname__ != func.__qualname__ for existing in DEMO_STEPS):
            DEMO_STEPS.append(DemoStep(func, order))
            DEMO_STEPS.sort(key=lambda s: s.order)
        return func

    return register


@dataclass(frozen=True)
class PagePart:
    """A piece one capability adds to another's page, at a named slot."""

    slot: str
    template: str
    context: Callable[..., dict | None]
    order: int = 50


PAGE_PARTS: list[PagePart] = []

# Personal-data hooks: each capability that stores data about a participant registers how to
# export it (a JSON-able dict) and how to erase it, so that access requests and erasure
# cover every capability without a hand-written list.
PERSONAL_DATA_EXPORTERS: dict[str, Callable] = {}
PERSONAL_DATA_ERASERS: dict[str, Callable] = {}


def page_part(slot: str, template: str, order: int = 50):
    """Decorator: the function builds the part's context from the slot's keyword arguments
    (return None to leave the part out). Known slots:

    - "kiosk.confirmation" (participant, meeting): shown after a resident checks in;
    - "kiosk.screen" (network, meeting): extra content on the kiosk's check-in screen;
    - "participant.page" (participant): sections of a participant's page;
    - "participant.left" (participant): shown right after a participant leaves;
    - "meeting.today" (meeting): sections of the facilitator's page for today's meeting.
    """

    def register(func):
        if all(p.template != template or p.slot != slot for p in PAGE_PARTS):
            PAGE_PARTS.append(PagePart(slot, template, func, order))
            PAGE_PARTS.sort(key=lambda p: p.order)
        return func

    return register


def parts_for(slot: str, **kwargs) -> list[tuple[str, dict]]:
    """The (template, context) pairs registered for a slot, in order, skipping empty ones."""
    found = []
    for part in PAGE_PARTS:
        if part.slot == slot:
            context = part.context(**kwargs)
            if context is not None:
                found.append((part.template, context))
    return found


def personal_data(name: str, *, export: Callable, erase: Callable) -> None:
    """Register a capability's export(participant) -> dict and erase(participant) hooks."""
    PERSONAL_DATA_EXPORTERS[name] = export
    PERSONAL_DATA_ERASERS[name] = erase


NETWORK_SETUP: list[Callable] = []


def on_network_created(func):
    """Decorator: the function gives a new network a capability's defaults (no commit)."""
    if all(existing.__qualname__ != func.__qualname__ for existing in NETWORK_SETUP):
        NETWORK_SETUP.append(func)
    return func
