"""Chores, their assignments to participants at meetings, and the history of hand changes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import User
from ..extensions import db
from ..meetings.models import Meeting
from ..participants.models import Participant
from ..timeutil import utcnow

CHANGE_ACTIONS = ("swap", "reassign", "done", "undone", "assign")


class Chore(db.Model):
    """A chore of the house (coffee, dishes …): how many it needs and on which weekdays."""

    __tablename__ = "netvaerk_chore"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_network.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    people_needed: Mapped[int] = mapped_column(default=1)
    # ISO weekday numbers (0 = Monday), comma separated, as on the network's meeting pattern.
    weekdays: Mapped[str] = mapped_column(String(20), default="0,1,2,3,4,5,6")
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("network_id", "name", name="uq_chore_network_name"),
        CheckConstraint("people_needed >= 1 AND people_needed <= 20", name="people_needed_range"),
    )

    @property
    def weekday_list(self) -> list[int]:
        """The weekdays the chore applies on, as a sorted list of ints (0 = Monday)."""
        return sorted(int(d) for d in self.weekdays.split(",") if d.strip() != "")


class ChoreAssignment(db.Model):
    """One slot of a chore at a meeting and who has it. A NULL participant is an open slot
    (or, once done, the anonymised trace of an erased participant)."""

    __tablename__ = "netvaerk_chore_assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_network.id"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_meeting.id", ondelete="CASCADE"))
    chore_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_chore.id"), index=True)
    slot_no: Mapped[int] = mapped_column(default=1)
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("netvaerk_participant.id", ondelete="SET NULL"), index=True
    )
    # Changed by hand (swap, re-assignment): regeneration keeps it, as it keeps done ones.
    is_manual: Mapped[bool] = mapped_column(default=False)
    is_done: Mapped[bool] = mapped_column(default=False)
    done_at: Mapped[datetime | None]
    done_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("netvaerk_user.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    meeting: Mapped[Meeting] = relationship()
    chore: Mapped[Chore] = relationship()
    participant: Mapped[Participant | None] = relationship()

    __table_args__ = (
        # A slot cannot be filled twice, and nobody holds the same chore twice at one meeting,
        # even when two facilitators click at the same moment.
        UniqueConstraint("meeting_id", "chore_id", "slot_no", name="uq_chore_assignment_slot"),
        UniqueConstraint(
            "meeting_id", "participant_id", "chore_id", name="uq_chore_assignment_person"
        ),
        CheckConstraint("slot_no >= 1", name="slot_no_positive"),
    )


class ChoreChange(db.Model):
    """A hand change of an assignment: who changed what, from whom to whom, and when."""

    __tablename__ = "netvaerk_chore_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_network.id"), index=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("netvaerk_chore_assignment.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(20))
    from_participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("netvaerk_participant.id", ondelete="SET NULL")
    )
    to_participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("netvaerk_participant.id", ondelete="SET NULL")
    )
    changed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("netvaerk_user.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    assignment: Mapped[ChoreAssignment] = relationship()
    from_participant: Mapped[Participant | None] = relationship(foreign_keys=[from_participant_id])
    to_participant: Mapped[Participant | None] = relationship(foreign_keys=[to_participant_id])
    changed_by: Mapped[User | None] = relationship()

    __table_args__ = (
        CheckConstraint(
            "action IN ('swap', 'reassign', 'done', 'undone', 'assign')", name="action_known"
        ),
    )
