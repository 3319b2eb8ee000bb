"""Access matrix entries of the wheel of life.

"Only the participant's coordinators and facilitators of their network see it" (issue 6);
so are the areas on one resident's wheel (issue 14). The network's list of areas is a network
setting, the coordinators'. See tests/security/harness.py for the format.
"""

from netvaerk import timeutil
from netvaerk.wheel import services

from ..participants.access import participant_of
from ..security.harness import DONE, XSS, allow

STAFF = allow("coordinator", "facilitator")

ACCESS = {
    "netvaerk.wheel.participant": STAFF,
    "netvaerk.wheel.new_scoring": STAFF,
    "netvaerk.wheel.person_areas": STAFF,
    "netvaerk.wheel.withdraw_consent": allow("coordinator", "facilitator", answer=DONE),
    "netvaerk.wheel.areas": allow("coordinator"),
    "netvaerk.wheel.edit_area": allow("coordinator"),
    "netvaerk.wheel.toggle_area": allow("coordinator", answer=DONE),
    "netvaerk.wheel.move_area": allow("coordinator", answer=DONE),
}


def _person(net):
    return {"participant_id": participant_of(net).id}


def _area(net):
    return {"area_id": net.wheel_area.id}


URL_ARGS = {
    "netvaerk.wheel.participant": _person,
    "netvaerk.wheel.new_scoring": _person,
    "netvaerk.wheel.person_areas": _person,
    "netvaerk.wheel.withdraw_consent": _person,
    "netvaerk.wheel.edit_area": _area,
    "netvaerk.wheel.toggle_area": _area,
    "netvaerk.wheel.move_area": _area,
}

POST_DATA = {
    "netvaerk.wheel.move_area": lambda net: {"direction": "up"},
}


def populate(net):
    """An area with markup in its name, and the participant's intake wheel with a goal and an
    area of their own (named with the person marker: the steering group must never see it)."""
    net.wheel_area = services.save_area(
        net.network.id, f"Område {net.marker} {XSS}", f"Area {net.marker} {XSS}"
    )
    areas = services.active_areas(net.network.id)
    person = participant_of(net)
    own = services.save_wheel_areas(
        person,
        [area.id for area in areas],
        [],
        f"Eget {net.person_marker} {XSS}",
        today=timeutil.local_today(),
        user_id=net.users["coordinator"].id,
        consent_now=True,
    )
    services.record_scoring(
        person,
        timeutil.local_today(),
        {area.id: 5 for area in areas},
        own_scores={own.id: 7},
        today=timeutil.local_today(),
        goal=f"Mål {net.person_marker} {XSS}",
        plan_a=f"Plan {net.person_marker} {XSS}",
        user_id=net.users["coordinator"].id,
        consent_now=True,
    )
