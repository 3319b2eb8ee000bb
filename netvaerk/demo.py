"""The demo network: realistic Danish demo data and the five demo accounts."""

from datetime import time

from .auth.services import create_user
from .core.demo import DEMO_PASSWORD, EXTRA_DEMO_EMAILS
from .core.models import Membership, Network, User
from .core.registry import current_registry
from .core.services import create_network
from .extensions import db
from .timeutil import local_today

DEMO_NETWORK = "Netværket – dit jobfællesskab"
DEMO_AREAS = ("Hedemarken", "Galgebakken", "Herstedlund")
DEMO_ACCOUNTS = (
    ("coordinator@example.org", "Camilla Holm", "coordinator"),
    ("facilitator@example.org", "Frederik Nørgaard", "facilitator"),
    ("steering@example.org", "Susanne Bech", "steering"),
    ("kiosk@example.org", "Tabletten i pavillonen", "kiosk"),
    ("admin@example.org", "Anders Admin", "admin"),
)


class DemoRefused(Exception):
    """The database holds real data and --force was not given."""


def holds_real_data() -> bool:
    """True when a network or account exists that the demo did not create."""
    demo_emails = {email for email, _, _ in DEMO_ACCOUNTS} | EXTRA_DEMO_EMAILS
    real_network = db.session.execute(
        db.select(Network.id).where(Network.is_demo.is_(False)).limit(1)
    ).first()
    real_user = db.session.execute(
        db.select(User.id).where(User.email.not_in(demo_emails)).limit(1)
    ).first()
    return bool(real_network or real_user)


def ensure_demo_network() -> Network:
    """The demo network, created on first use."""
    network = db.session.execute(
        db.select(Network).where(Network.name == DEMO_NETWORK)
    ).scalar_one_or_none()
    if network is None:
        network = create_network(
            DEMO_NETWORK,
            list(DEMO_AREAS),
            meeting_weekdays="0,2,3",
            meeting_start=time(9, 0),
            meeting_end=time(12, 0),
            places_group1=7,
            places_group3=1,
            is_demo=True,
        )
    return network


def ensure_demo_accounts(network: Network) -> list[tuple[str, str]]:
    """The five demo accounts with their roles in the demo network."""
    accounts = []
    for email, name, role in DEMO_ACCOUNTS:
        user = db.session.execute(db.select(User).where(User.email == email)).scalar_one_or_none()
        if user is None:
            user = create_user(email, DEMO_PASSWORD, name=name, is_admin=(role == "admin"))
        if role != "admin" and not any(m.network_id == network.id for m in user.memberships):
            db.session.add(Membership(user_id=user.id, network_id=network.id, role=role))
        accounts.append((email, role))
    db.session.flush()
    return accounts


def load_demo(force: bool = False) -> list[tuple[str, str]]:
    """Create or refresh the demo; every step is idempotent. Returns (e-mail, role) pairs."""
    if holds_real_data() and not force:
        raise DemoRefused(
            "The database holds data that is not demo data; use --force to add the demo anyway."
        )
    network = ensure_demo_network()
    accounts = ensure_demo_accounts(network)
    today = local_today()
    for step in current_registry().demo_steps:
        step.func(network, today)
        db.session.flush()
    db.session.commit()
    return accounts
