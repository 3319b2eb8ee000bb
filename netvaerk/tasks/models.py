"""The rows of background work: a periodic job's run per occurrence, and the mail outbox."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow


class JobRun(db.Model):
    """One occurrence of a periodic job that ran: written in the job's own transaction, so its
    unique key lets only one worker do an occurrence, and a job that failed can run again."""

    __tablename__ = "netvaerk_job_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(80))
    occurrence: Mapped[date]
    started_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("job", "occurrence"),)


# Outbox states: queued (waiting for its next attempt), sending (claimed by a worker), sent,
# failed (given up, or the server may have it already: the admin decides whether to resend).
OUTBOX_STATES = ("queued", "sending", "sent", "failed")


class OutboxMessage(db.Model):
    """One e-mail, written in the transaction of the change it tells about, delivered later."""

    __tablename__ = "netvaerk_outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(60))
    network_id: Mapped[int | None] = mapped_column(
        ForeignKey("netvaerk_network.id", ondelete="SET NULL")
    )
    # The Message-ID header: the same on every attempt, so a copy is recognisable.
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    sender: Mapped[str] = mapped_column(String(254))
    recipients: Mapped[str] = mapped_column(Text)  # one address per line
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    # Extra headers as JSON (List-Unsubscribe ...) and an HTML alternative, if any.
    headers: Mapped[str | None] = mapped_column(Text)
    html: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When it was last queued (written, or resent by the admin): retries go on for
    # NETVAERK_MAIL_RETRY_HOURS from here.
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]
    # Set just before the message's last line goes to the server: from then on the server may
    # have it, so a worker that dies there leaves it for the admin instead of sending it again.
    handed_over_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (
        CheckConstraint(
            "status IN ('queued', 'sending', 'sent', 'failed')",
            name="status",
        ),
        Index("ix_netvaerk_outbox_message_status_next", "status", "next_attempt_at"),
    )

    attachments: Mapped[list[OutboxAttachment]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="OutboxAttachment.id"
    )

    @property
    def recipient_list(self) -> list[str]:
        """The recipients' addresses."""
        return [line for line in self.recipients.splitlines() if line]


class OutboxAttachment(db.Model):
    """A file sent with an outbox message (the monthly summary's PDF). A file made at sending
    has its `maker` (JSON: the registered maker's name and arguments) and no `data` until the
    worker has made it; then the same bytes go with every attempt."""

    __tablename__ = "netvaerk_outbox_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("netvaerk_outbox_message.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    data: Mapped[bytes | None] = mapped_column(LargeBinary)
    maker: Mapped[str | None] = mapped_column(Text)


class MailPreference(db.Model):
    """A staff account's own choice for one kind of mail (no row: the kind's default)."""

    __tablename__ = "netvaerk_mail_preference"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("netvaerk_user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(60))
    wanted: Mapped[bool]
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("user_id", "kind"),)


class WorkerHeartbeat(db.Model):
    """The last tick of a worker (one row): written every minute, whether or not a job is
    due, so the start page can tell when no worker runs."""

    __tablename__ = "netvaerk_worker_heartbeat"

    id: Mapped[int] = mapped_column(primary_key=True)
    beat_at: Mapped[datetime]
