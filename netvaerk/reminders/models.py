"""The reminders' rows: a network's settings and the reminders already written (a resident's
consent is a column of the participant, `reminders_agreed_on`)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import utcnow


class ReminderSettings(db.Model):
    """Which reminders a network sends (a network without a row sends all of them)."""

    __tablename__ = "netvaerk_reminder_settings"

    network_id: Mapped[int] = mapped_column(
        ForeignKey("netvaerk_network.id", ondelete="CASCADE"), primary_key=True
    )
    facilitator_tomorrow: Mapped[bool] = mapped_column(default=True)
    open_slots: Mapped[bool] = mapped_column(default=True)
    coordinator_morning: Mapped[bool] = mapped_column(default=True)
    changes: Mapped[bool] = mapped_column(default=True)
    residents: Mapped[bool] = mapped_column(default=True)


class SentReminder(db.Model):
    """A day's message to one address, written with it: a job that runs again (a retry after a
    crash, a second worker) finds the key and writes no second message."""

    __tablename__ = "netvaerk_reminder_sent"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    day: Mapped[date] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ErasureForecast(db.Model):
    """A resident the nightly clean-up will erase within 14 days, and why: worked out each
    night after the clean-up, so the coordinator's start page reads it in its one statement."""

    __tablename__ = "netvaerk_erasure_forecast"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(
        ForeignKey("netvaerk_network.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("netvaerk_participant.id", ondelete="CASCADE"), unique=True
    )
    erase_on: Mapped[date]
    reason: Mapped[str] = mapped_column(String(20))
