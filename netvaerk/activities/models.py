"""Activity types, activities, facilitator sign-ups, wait lists, invitations and feeds."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import User
from ..extensions import db
from ..meetings.models import Meeting
from ..timeutil import utcnow


class ActivityType(db.Model):
    """A kind of activity on a network's programme, named in Danish and English."""

    __tablename__ = "netvaerk_activity_type"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_network.id"), index=True)
    # The key of a default type ("cv", "walk_and_talk" …); None for types a coordinator added.
    key: Mapped[str | None] = mapped_column(String(40))
    name_da: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    is_active: Mapped[bool] = mapped_column(default=True)
    sort_order: Mapped[int] = mapped_column(default=100)

    __table_args__ = (
        UniqueConstraint("network_id", "key", name="uq_activity_type_key"),
        UniqueConstraint("network_id", "name_da", name="uq_activity_type_name_da"),
        UniqueConstraint("network_id", "name_en", name="uq_activity_type_name_en"),
    )

    def name_for(self, locale: str) -> str:
        """The type's name in the given language (Danish unless English is asked for)."""
        return self.name_en if str(locale).startswith("en") else self.name_da


class Activity(db.Model):
    """An activity on a meeting or on its own date, needing a number of facilitators.

    The date and times are kept on the activity also when it sits on a meeting, so that the
    programme, the sign-ups and the calendar feed read one table.
    """

    __tablename__ = "netvaerk_activity"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_network.id"))
    type_id: Mapped[int | None] = mapped_column(
        ForeignKey("netvaerk_activity_type.id", ondelete="SET NULL"), index=True
    )
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("netvaerk_meeting.id", ondelete="SET NULL"), index=True
    )
    date: Mapped[date]
    start_time: Mapped[time]
    end_time: Mapped[time]
    title: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    place: Mapped[str] = mapped_column(String(160), default="")
    facilitators_needed: Mapped[int] = mapped_column(default=1)
    has_waitlist: Mapped[bool] = mapped_column(default=False)
    is_cancelled: Mapped[bool] = mapped_column(default=False)
    # None until someone confirms afterwards whether it was held.
    was_held: Mapped[bool | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("netvaerk_user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    type: Mapped[ActivityType | None] = relationship()
    meeting: Mapped[Meeting | None] = relationship()
    signups: Mapped[list[SignUp]] = relationship(
        back_populates="activity",
        order_by="SignUp.seat",
        cascade="all, delete-orphan",
        foreign_keys="SignUp.activity_id",
    )
    waitlist: Mapped[list[WaitlistEntry]] = relationship(
        back_populates="activity",
        order_by="WaitlistEntry.id",
        cascade="all, delete-orphan",
    )

    __table_args__ = (
        CheckConstraint("end_time > start_time", name="end_after_start"),
        CheckConstraint("facilitators_needed >= 1", name="needed_positive"),
        Index("ix_netvaerk_activity_network_date", "network_id", "date"),
        # The target of the sign-ups' (activity, places) key: lowering the places cascades to
        # every sign-up, where `seat <= places` refuses it while a higher seat is taken.
        UniqueConstraint("id", "facilitators_needed", name="uq_activity_id_places"),
    )

    @property
    def starts_at(self) -> datetime:
        """Local (Copenhagen) start as a naive datetime."""
        return datetime.combine(self.date, self.start_time)

    @property
    def ends_at(self) -> datetime:
        """Local (Copenhagen) end as a naive datetime."""
        return datetime.combine(self.date, self.end_time)

    @property
    def is_off(self) -> bool:
        """Cancelled itself, or its meeting is cancelled."""
        return self.is_cancelled or bool(self.meeting is not None and self.meeting.is_cancelled)

    @property
    def open_places(self) -> int:
        """Places still free (never negative)."""
        return max(self.facilitators_needed - len(self.signups), 0)

    @property
    def duration_hours(self) -> Decimal:
        """The planned length in hours, the default for confirmed hours."""
        minutes = (self.ends_at - self.starts_at).total_seconds() / 60
        return (Decimal(int(minutes)) / Decimal(60)).quantize(Decimal("0.25"))


def _current_places(context) -> int | None:
    """The activity's number of places when a sign-up is inserted without it."""
    activity_id = context.get_current_parameters()["activity_id"]
    return context.connection.execute(
        select(Activity.facilitators_needed).where(Activity.id == activity_id)
    ).scalar()


class SignUp(db.Model):
    """A facilitator's place on an activity.

    Each place is a numbered seat: unique (activity, seat) and 1 <= seat <= places in the
    database, where `places` follows the activity's number needed through an ON UPDATE CASCADE
    key; so two people can never take the same place, and the places can never be lowered
    below a seat that is taken, even by two requests at once.
    """

    __tablename__ = "netvaerk_activity_signup"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_network.id"), index=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_activity.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_user.id"), index=True)
    seat: Mapped[int]
    places: Mapped[int] = mapped_column(default=_current_places)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    hours: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    hours_confirmed_at: Mapped[datetime | None]
    hours_confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("netvaerk_user.id"))

    activity: Mapped[Activity] = relationship(back_populates="signups", foreign_keys=[activity_id])
    user: Mapped[User] = relationship(foreign_keys=[user_id])

    __table_args__ = (
        UniqueConstraint("activity_id", "seat", name="uq_activity_signup_seat"),
        UniqueConstraint("activity_id", "user_id", name="uq_activity_signup_user"),
        CheckConstraint("seat >= 1", name="seat_positive"),
        CheckConstraint("seat <= places", name="seat_within_places"),
        ForeignKeyConstraint(
            ["activity_id", "places"],
            ["netvaerk_activity.id", "netvaerk_activity.facilitators_needed"],
            onupdate="CASCADE",
            ondelete="CASCADE",
            name="fk_activity_signup_places",
        ),
        CheckConstraint("hours IS NULL OR (hours > 0 AND hours <= 24)", name="hours_range"),
    )


class WaitlistEntry(db.Model):
    """A facilitator waiting for a place on a full activity; the first one moves up."""

    __tablename__ = "netvaerk_activity_waitlist"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_network.id"), index=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_activity.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    activity: Mapped[Activity] = relationship(back_populates="waitlist")
    user: Mapped[User] = relationship()

    __table_args__ = (UniqueConstraint("activity_id", "user_id", name="uq_activity_waitlist_user"),)


class Cancellation(db.Model):
    """A facilitator withdrawing from an activity; late ones alert the coordinator."""

    __tablename__ = "netvaerk_activity_cancellation"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_network.id"), index=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("netvaerk_activity.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_user.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    is_late: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when a coordinator has seen the notice.
    acknowledged_at: Mapped[datetime | None]

    activity: Mapped[Activity] = relationship()
    user: Mapped[User] = relationship()


class Invitation(db.Model):
    """A one-time, expiring invitation to become a facilitator; only the token's hash is kept."""

    __tablename__ = "netvaerk_facilitator_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_network.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(120), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("netvaerk_user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("netvaerk_user.id"))


class CalendarFeed(db.Model):
    """A facilitator's secret calendar feed of one network; only the token's hash is kept."""

    __tablename__ = "netvaerk_calendar_feed"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_network.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_user.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()

    __table_args__ = (UniqueConstraint("user_id", "network_id", name="uq_calendar_feed_user"),)


class Wish(db.Model):
    """A wish for an activity or a talk, put forward by participants (recorded anonymously)."""

    __tablename__ = "netvaerk_activity_wish"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_network.id"), index=True)
    type_id: Mapped[int | None] = mapped_column(
        ForeignKey("netvaerk_activity_type.id", ondelete="SET NULL")
    )
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="open")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("netvaerk_user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    type: Mapped[ActivityType | None] = relationship()

    __table_args__ = (
        CheckConstraint("status IN ('open', 'planned', 'declined')", name="status_known"),
    )
