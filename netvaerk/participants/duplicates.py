"""Residents who look like the one being registered (same name and birth year)."""

from sqlalchemy import func, select

from ..extensions import db
from .models import Participant


def look_alikes(network_id: int, first_name: str, last_name: str, birth_year: int | None):
    """The network's residents with the same first and last name (any case) and birth year."""
    query = select(Participant).where(
        Participant.network_id == network_id,
        func.lower(func.trim(Participant.first_name)) == (first_name or "").strip().lower(),
        func.lower(func.trim(Participant.last_name)) == (last_name or "").strip().lower(),
        Participant.birth_year.is_(None)
        if birth_year is None
        else Participant.birth_year == birth_year,
    )
    return db.session.execute(query.order_by(Participant.id)).scalars().all()
