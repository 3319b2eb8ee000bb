"""Plain-text e-mail through `smtplib`, sent only when NETVAERK_SMTP_HOST is configured, and
only after the change it tells about is committed."""

import smtplib
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..extensions import db


def mail_configured() -> bool:
    """True when an SMTP host is set."""
    return bool(current_app.config.get("NETVAERK_SMTP_HOST"))


def send_mail(recipients: list[str], subject: str, body: str) -> bool:
    """Send one message; returns False (and logs) when mail is off or the server fails.

    A mail server that is down must never break the page: the caller has already saved the
    change and shows the same information on screen.
    """
    recipients = [r for r in recipients if r]
    if not mail_configured() or not recipients:
        return False
    message = EmailMessage()
    message["From"] = current_app.config["NETVAERK_MAIL_SENDER"]
    message["To"] = ", ".join(recipients)
    message["Subject"] = subject
    message.set_content(body)
    try:
        with smtplib.SMTP(
            current_app.config["NETVAERK_SMTP_HOST"],
            int(current_app.config.get("NETVAERK_SMTP_PORT") or 25),
            timeout=10,
        ) as smtp:
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        current_app.logger.exception(
            "Sending mail %r to %d recipients failed", subject, len(recipients)
        )
        return False
    return True


_PENDING = "netvaerk_mail_after_commit"


def send_after_commit(recipients: list[str], subject: str, body: str) -> None:
    """Send a message once the current transaction is committed (never for a rolled-back one).

    Services that change something people must be told about queue the message here, so the
    mail goes out only if the change is saved.
    """
    if recipients:
        db.session().info.setdefault(_PENDING, []).append((list(recipients), subject, body))


@event.listens_for(Session, "after_commit")
def _send_pending(session) -> None:
    for recipients, subject, body in session.info.pop(_PENDING, []):
        send_mail(recipients, subject, body)


@event.listens_for(Session, "after_rollback")
def _drop_pending(session) -> None:
    session.info.pop(_PENDING, None)
