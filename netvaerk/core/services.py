"""Creating networks (the network, its housing areas and every capability's defaults), and a
user's language."""

from ..extensions import db
from .models import HousingArea, Network
from .registry import current_registry


def create_network(name: str, housing_areas: list[str], **fields) -> Network:
    """Add a network with its housing areas and defaults (activity types, wheel areas …).

    The caller commits. Defaults are made here, once, so that no page has to create them
    lazily on a GET request.
    """
    network = Network(name=name.strip(), **fields)
    network.housing_areas = [HousingArea(name=area.strip()) for area in housing_areas]
    db.session.add(network)
    db.session.flush()
    for setup in current_registry().network_setup:
        setup(network)
    db.session.flush()
    return network


def set_locale(user, language: str) -> None:
    """Keep a staff member's choice of language on their account."""
    user.locale = language
    db.session.flush()


def all_networks() -> list[Network]:
    """Every network, by name."""
    return list(db.session.execute(db.select(Network).order_by(Network.name)).scalars())
