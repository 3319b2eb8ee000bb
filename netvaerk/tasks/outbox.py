"""The mail outbox: messages written in the transaction of the change they report, and their
delivery by a worker, with retries, once.

What "exactly once" means here. SMTP has no way to ask a server whether it already holds a
message, so no sender can promise exactly-once delivery in every failure. The outbox promises:
* a rolled-back change sends nothing (the row goes with it);
* one worker at a time sends a message: it claims the row (queued -> sending) in a committed
  update that only one worker can win;
* a failure before the message's end reached the server (refused connection, timeout while
  connecting or sending) is retried with back-off, for NETVAERK_MAIL_RETRY_HOURS (48 h);
* once the message's end may have reached the server (`handed_over_at`), it is never sent again
  by itself: a lost answer or a worker killed at that moment marks it failed, "perhaps
  delivered", and the admin decides whether to resend;
* every attempt carries the same Message-ID, so a copy that does arrive twice (after a resend)
  is recognisable as one message to the recipient's mail program and filters.
"""

from __future__ import annotations

import json
import smtplib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import policy as email_policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import update

from ..extensions import db
from ..timeutil import utcnow
from . import smtp
from .models import OutboxAttachment, OutboxMessage

# Set on a session that wrote mail; `queue` wakes a worker after its commit.
NEW_MAIL = "netvaerk_outbox_new_mail"
BATCH = 50


@dataclass(frozen=True)
class MadeAtSending:
    """An attachment the worker makes when it sends the message (`registry.attachment_maker`):
    a slow file, such as the monthly summary's PDF, never holds up the request that wrote the
    message. `args` must be JSON."""

    maker: str
    args: dict = field(default_factory=dict)


def mail_configured() -> bool:
    """True when an SMTP host is set (without one, netvaerk writes no mail)."""
    return bool(current_app.config.get("NETVAERK_SMTP_HOST"))


def queue_mail(
    kind: str,
    recipients: list[str],
    subject: str,
    body: str,
    *,
    network_id: int | None = None,
    headers: dict[str, str] | None = None,
    attachments: list[tuple[str, str, bytes]] | None = None,
    html: str | None = None,
) -> OutboxMessage | None:
    """Write a message to the outbox in the current transaction (services only flush); None
    when mail is off or nobody is to receive it. A worker sends it after the commit.

    `headers`: extra headers (List-Unsubscribe …); `attachments`: (filename, MIME type, bytes
    or `MadeAtSending`); `html`: an HTML alternative to the plain-text body. All are stored with
    the message (a file made at sending once it is made), so every attempt sends the same."""
    recipients = list(dict.fromkeys(r.strip() for r in recipients if r and r.strip()))
    if not mail_configured() or not recipients:
        return None
    sender = current_app.config["NETVAERK_MAIL_SENDER"]
    now = utcnow()
    message = OutboxMessage(
        kind=kind,
        network_id=network_id,
        message_id=make_msgid("netvaerk", domain=sender.rpartition("@")[2] or "localhost"),
        sender=sender,
        recipients="\n".join(recipients),
        subject=" ".join(subject.split())[:300],  # one line: a header holds no line breaks
        body=body,
        headers=json.dumps(_one_line_headers(headers)) if headers else None,
        html=html,
        status="queued",
        attempts=0,
        created_at=now,
        queued_at=now,
        next_attempt_at=now,
    )
    for filename, content_type, data in attachments or ():
        later = isinstance(data, MadeAtSending)
        message.attachments.append(
            OutboxAttachment(
                filename=filename,
                content_type=content_type,
                data=None if later else data,
                maker=json.dumps({"name": data.maker, "args": data.args}) if later else None,
            )
        )
    db.session.add(message)
    db.session.flush()
    db.session().info[NEW_MAIL] = True
    return message


# Headers the outbox sets itself; a caller cannot replace them.
OWN_HEADERS = {"from", "to", "subject", "date", "message-id", "auto-submitted"}


def _one_line_headers(headers: dict[str, str]) -> dict[str, str]:
    """The caller's extra headers, each on one line (a header holds no line breaks)."""
    clean = {}
    for name, value in headers.items():
        if name.lower() in OWN_HEADERS or not name.replace("-", "").isalnum():
            raise ValueError(f"queue_mail cannot set the header {name!r}")
        clean[name] = " ".join(str(value).split())
    return clean


def backoff(attempts: int) -> timedelta:
    """The wait after the n-th failed attempt: 1, 2, 4 … minutes, at most an hour."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def lease() -> timedelta:
    """How long a claimed message may stay "sending" before its worker counts as dead."""
    return timedelta(seconds=4 * int(current_app.config["NETVAERK_SMTP_TIMEOUT"]) + 60)


def deliver_due(now: datetime) -> dict[str, int]:
    """The delivery task: recover messages of dead workers, then send every due message.
    Returns how many ended in each state this time."""
    _recover_abandoned(now)
    ids = db.session.scalars(
        db.select(OutboxMessage.id)
        .where(OutboxMessage.status == "queued", OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(BATCH)
    ).all()
    db.session.commit()
    counts: dict[str, int] = {}
    for message_id in ids:
        outcome = deliver(message_id, now)
        if outcome is not None:
            counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def _recover_abandoned(now: datetime) -> None:
    """Messages claimed longer than the lease ago: a worker died with them. Before the hand-over
    they go back to the queue; after it the server may have them, so they fail for the admin."""
    stale = (OutboxMessage.status == "sending") & (OutboxMessage.claimed_at < now - lease())
    db.session.execute(
        update(OutboxMessage)
        .where(stale, OutboxMessage.handed_over_at.is_(None))
        .values(status="queued", next_attempt_at=now)
    )
    db.session.execute(
        update(OutboxMessage)
        .where(stale, OutboxMessage.handed_over_at.is_not(None))
        .values(status="failed", last_error=PERHAPS_DELIVERED)
    )
    db.session.commit()


PERHAPS_DELIVERED = (
    "The server did not confirm the message after receiving it; it may have been delivered. "
    "Not sent again automatically."
)


def claim(message_id: int, now: datetime) -> bool:
    """Take a queued message for this worker (one committed update; only one worker wins)."""
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.status == "queued",
            OutboxMessage.next_attempt_at <= now,
        )
        .values(
            status="sending",
            claimed_at=now,
            handed_over_at=None,
            attempts=OutboxMessage.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return claimed.rowcount == 1


def deliver(message_id: int, now: datetime) -> str | None:
    """Claim and send one message; returns its new state, or None when another worker has it."""
    if not claim(message_id, now):
        return None
    message = db.session.get(OutboxMessage, message_id)
    db.session.refresh(message)
    try:
        _make_attachments(message)
    except Exception as failure:  # noqa: BLE001 - a maker's bug must not stop the other mail
        db.session.rollback()
        message = db.session.get(OutboxMessage, message_id)
        current_app.logger.exception("An attachment of mail %s could not be made", message_id)
        return _retry_or_fail(message, now, f"The attachment could not be made: {failure}")
    recipients, invalid = _valid_recipients(message.recipient_list)
    config = current_app.config
    try:
        if not recipients:
            raise smtp.Refused(553, "no valid address: " + "; ".join(invalid))
        refused = smtp.send(
            as_email(message),
            message.sender,
            recipients,
            host=config["NETVAERK_SMTP_HOST"],
            port=int(config.get("NETVAERK_SMTP_PORT") or 25),
            timeout=float(config["NETVAERK_SMTP_TIMEOUT"]),
            on_handover=lambda: _mark_handed_over(message),
            starttls=_flag(config.get("NETVAERK_SMTP_STARTTLS")),
            username=config.get("NETVAERK_SMTP_USERNAME"),
            password=config.get("NETVAERK_SMTP_PASSWORD"),
        )
    except smtp.Uncertain as lost:
        return _finish(message, "failed", f"{PERHAPS_DELIVERED} ({lost})")
    except smtp.Refused as refusal:
        if refusal.permanent:
            return _finish(message, "failed", f"Refused by the server: {refusal}")
        return _retry_or_fail(message, now, f"Refused for now by the server: {refusal}")
    except (OSError, smtplib.SMTPException) as failure:
        return _retry_or_fail(message, now, f"{type(failure).__name__}: {failure}")
    problems = [f"{r}: {t}" for r, t in refused.items()] + invalid
    return _finish(
        message, "sent", ("Not delivered to " + "; ".join(problems)) if problems else None
    )


def _make_attachments(message: OutboxMessage) -> None:
    """Make the message's files that are made at sending, once: they are stored (committed)
    before the first attempt, so every attempt sends the same bytes."""
    from ..core.registry import current_registry

    waiting = [a for a in message.attachments if a.data is None and a.maker]
    if not waiting:
        return
    makers = current_registry().attachment_makers
    base_url = current_app.config.get("NETVAERK_BASE_URL") or "http://localhost/"
    for attachment in waiting:
        made = json.loads(attachment.maker)
        with current_app.test_request_context("/", base_url=base_url):
            attachment.data = makers[made["name"]](**made["args"])
    db.session.commit()


def _flag(value) -> bool:
    return str(value or "").lower() in ("1", "true", "yes", "on")


def _valid_recipients(addresses: list[str]) -> tuple[list[str], list[str]]:
    valid, invalid = [], []
    for address in addresses:
        try:
            valid.append(validate_email(address, check_deliverability=False).normalized)
        except EmailNotValidError as problem:
            invalid.append(f"{address}: {problem}")
    return valid, invalid


# Lines up to SMTP's limit (RFC 5322: 998): a long List-Unsubscribe link stays one plain line
# instead of becoming encoded words that mail programs would not read as a link.
MAIL_POLICY = email_policy.SMTP.clone(max_line_length=998)


def as_email(message: OutboxMessage) -> EmailMessage:
    """The message as sent: the same headers (and Message-ID) on every attempt."""
    email = EmailMessage(policy=MAIL_POLICY)
    email["From"] = message.sender
    email["To"] = ", ".join(message.recipient_list)
    email["Subject"] = message.subject
    email["Date"] = format_datetime(message.created_at.replace(tzinfo=UTC))
    email["Message-ID"] = message.message_id
    email["Auto-Submitted"] = "auto-generated"
    for name, value in json.loads(message.headers or "{}").items():
        email[name] = value
    email.set_content(message.body)
    if message.html:
        email.add_alternative(message.html, subtype="html")
    for attachment in message.attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        email.add_attachment(
            attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename
        )
    return email


def _mark_handed_over(message: OutboxMessage) -> None:
    message.handed_over_at = utcnow()
    db.session.commit()


def _finish(message: OutboxMessage, status: str, error: str | None) -> str:
    message.status = status
    message.last_error = error[:500] if error else None
    if status == "sent":
        message.sent_at = utcnow()
    db.session.commit()
    if status == "failed":
        current_app.logger.warning("Mail %s failed: %s", message.id, error)
    return status


def _retry_or_fail(message: OutboxMessage, now: datetime, error: str) -> str:
    """A failure before the hand-over: try again later, until the retry period is over."""
    window = timedelta(hours=int(current_app.config["NETVAERK_MAIL_RETRY_HOURS"]))
    if now - message.queued_at >= window:
        return _finish(message, "failed", f"Gave up after {message.attempts} attempts: {error}")
    message.status = "queued"
    message.next_attempt_at = now + backoff(message.attempts)
    message.last_error = error[:500]
    db.session.commit()
    return "queued"


def resend(message: OutboxMessage, now: datetime) -> None:
    """Queue a failed message again (the admin's button), with the same Message-ID."""
    from flask_babel import lazy_gettext as _l

    from ..core.errors import UserError

    if message.status != "failed":
        raise UserError(_l("Only a message that failed can be sent again."))
    message.status = "queued"
    message.queued_at = now
    message.next_attempt_at = now
    message.handed_over_at = None
    db.session.flush()
    db.session().info[NEW_MAIL] = True


def outbox_page(status: str | None, limit: int = 100) -> tuple[list[OutboxMessage], dict]:
    """The admin's view: the latest messages (of one state, if given) and the count per state."""
    query = db.select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    if status:
        query = query.where(OutboxMessage.status == status)
    counts = dict(
        db.session.execute(
            db.select(OutboxMessage.status, db.func.count()).group_by(OutboxMessage.status)
        ).all()
    )
    return db.session.scalars(query).all(), counts


def clean_up(now: datetime) -> int:
    """The nightly job: forget sent messages and job runs older than NETVAERK_OUTBOX_DAYS (the
    addresses and texts in them are personal data); failed ones stay until resent or old too."""
    cutoff = now - timedelta(days=int(current_app.config["NETVAERK_OUTBOX_DAYS"]))
    old = db.select(OutboxMessage.id).where(
        OutboxMessage.status.in_(("sent", "failed")), OutboxMessage.created_at < cutoff
    )
    db.session.execute(
        db.delete(OutboxAttachment).where(OutboxAttachment.message_id.in_(old.scalar_subquery()))
    )
    gone = db.session.execute(db.delete(OutboxMessage).where(OutboxMessage.id.in_(old))).rowcount
    from .models import JobRun

    db.session.execute(db.delete(JobRun).where(JobRun.started_at < cutoff))
    db.session.flush()
    return gone
