"""The participant list: who is in the network now (by default) or has left, searched by name
and filtered, one page at a time, and the counts its tabs and the places show."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from ..extensions import db
from .models import READINESS_GROUPS, STATUSES, Participant

# In the network now: interested, intake held and active. "left" are former participants.
CURRENT_STATUSES = ("interested", "intake", "active")
# The status filter's value for everyone, former participants too.
EVERYONE = "all"
# The highest page number read from a request (a larger one shows the last page).
MAX_PAGE = 100_000


@dataclass(frozen=True)
class ListCounts:
    """Participants per status, and active ones per readiness group (the places)."""

    by_status: dict[str, int]
    active_by_group: dict[int, int]

    @property
    def current(self) -> int:
        """In the network now."""
        return sum(self.by_status[status] for status in CURRENT_STATUSES)

    @property
    def former(self) -> int:
        """Former participants (left)."""
        return self.by_status["left"]


def list_counts(network_id: int) -> ListCounts:
    """The network's participants per status and readiness group: one query."""
    rows = db.session.execute(
        select(Participant.status, Participant.readiness_group, func.count())
        .where(Participant.network_id == network_id)
        .group_by(Participant.status, Participant.readiness_group)
    ).all()
    by_status = dict.fromkeys(STATUSES, 0)
    active_by_group = dict.fromkeys(READINESS_GROUPS, 0)
    for status, group, count in rows:
        by_status[status] = by_status.get(status, 0) + int(count)
        if status == "active":
            active_by_group[group] = active_by_group.get(group, 0) + int(count)
    return ListCounts(by_status, active_by_group)


@dataclass(frozen=True)
class ParticipantPage:
    """One page of the list, and where it is in all the participants that match."""

    participants: list[Participant]
    page: int
    pages: int
    total: int
    per_page: int

    @property
    def first(self) -> int:
        """The number of the page's first participant among all that match (1-based)."""
        return (self.page - 1) * self.per_page + 1 if self.participants else 0

    @property
    def last(self) -> int:
        """The number of the page's last participant among all that match."""
        return self.first + len(self.participants) - 1 if self.participants else 0


def statuses_shown(status: str | None, text: str = "") -> tuple[str, ...]:
    """The statuses a list shows: the one chosen, everyone, or by default those in the network
    now; a name search without a chosen status looks among former participants too."""
    if status in STATUSES:
        return (status,)
    if status == EVERYONE or text.split():
        return STATUSES
    return CURRENT_STATUSES


def page_number(value) -> int:
    """A page number from a request: 1 unless it is a whole number from 1 on."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


def list_page(
    network_id: int,
    *,
    text: str = "",
    status: str | None = None,
    group: int | None = None,
    housing_area_id: int | None = None,
    page: int = 1,
    per_page: int = 50,
) -> ParticipantPage:
    """A page of the network's participants matching a name search and filters, by name, with
    their housing areas and the number of all that match: one query (two for a page past the
    last one, which shows the last page)."""
    query = select(Participant).where(
        Participant.network_id == network_id,
        Participant.status.in_(statuses_shown(status, text)),
    )
    for word in text.split():
        pattern = f"%{word.lower()}%"
        query = query.where(
            or_(
                func.lower(Participant.first_name).like(pattern),
                func.lower(Participant.last_name).like(pattern),
            )
        )
    if group in READINESS_GROUPS:
        query = query.where(Participant.readiness_group == group)
    if housing_area_id:
        query = query.where(Participant.housing_area_id == housing_area_id)
    rows = _rows(query, page, per_page)
    if not rows and page > 1:
        total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar()
        page = max(1, -(-total // per_page))
        rows = _rows(query, page, per_page) if total else []
    total = int(rows[0][1]) if rows else 0
    return ParticipantPage(
        participants=[row[0] for row in rows],
        page=page if rows else 1,
        pages=max(1, -(-total // per_page)),
        total=total,
        per_page=per_page,
    )


def _rows(query, page: int, per_page: int) -> list:
    """(participant, number of all that match) of one page, by name."""
    return db.session.execute(
        query.add_columns(func.count().over())
        .order_by(Participant.first_name, Participant.last_name, Participant.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
