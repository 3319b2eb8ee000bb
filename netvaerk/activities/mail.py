"""Plain-text e-mail through `smtplib`, sent only when NETVAERK_SMTP_HOST is configured."""

import smtplib
from email.message import EmailMessage

from flask import current_app


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
