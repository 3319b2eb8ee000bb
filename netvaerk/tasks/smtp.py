"""One SMTP transaction, step by step, so that the outbox knows how far a message got.

smtplib's `send_message` does everything in one call; here the steps are separate because of
one moment: once the final "." of the message has left, the server may have accepted it even
if its answer never arrives (a timeout, a dropped connection). Before that moment a failure
means the server has nothing and the message can safely be tried again; after it, a second
attempt could deliver a second copy. `on_handover()` is called just before the "." is sent.
"""

from __future__ import annotations

import re
import smtplib
from collections.abc import Callable
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY


class Uncertain(Exception):
    """The message's end was sent but the server's answer did not come: it may be delivered."""


class Refused(Exception):
    """The server refused the message; `permanent` for a 5xx answer, else it may be retried."""

    def __init__(self, code: int, reply: str) -> None:
        super().__init__(f"{code} {reply}")
        self.code = code
        self.permanent = 500 <= code < 600


def _reply_text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def send(
    message: EmailMessage,
    sender: str,
    recipients: list[str],
    *,
    host: str,
    port: int,
    timeout: float,
    on_handover: Callable[[], None],
    starttls: bool = False,
    username: str | None = None,
    password: str | None = None,
) -> dict[str, str]:
    """Send `message`; returns the recipients the server refused (the others got it).

    Raises `Refused` (the server said no), `Uncertain` (see above) or `OSError` /
    `smtplib.SMTPException` for a failure before the message's end was sent."""
    smtp = smtplib.SMTP(timeout=timeout)
    try:
        smtp.connect(host, port)
        smtp.ehlo_or_helo_if_needed()
        if starttls:
            smtp.starttls()
            smtp.ehlo()
        if username:
            smtp.login(username, password or "")
        code, reply = smtp.mail(sender)
        if code != 250:
            raise Refused(code, _reply_text(reply))
        refused = {}
        for recipient in recipients:
            code, reply = smtp.rcpt(recipient)
            if code not in (250, 251):
                refused[recipient] = f"{code} {_reply_text(reply)}"
        if len(refused) == len(recipients):
            first = next(iter(refused.values()))
            raise Refused(int(first[:3]), "; ".join(f"{r}: {t}" for r, t in refused.items()))
        code, reply = smtp.docmd("DATA")
        if code != 354:
            raise Refused(code, _reply_text(reply))
        data = message.as_bytes(policy=SMTP_POLICY.clone(max_line_length=998))
        data = re.sub(rb"(?m)^\.", b"..", data)
        if not data.endswith(b"\r\n"):
            data += b"\r\n"
        smtp.send(data)
        on_handover()
        try:
            smtp.send(b".\r\n")
            code, reply = smtp.getreply()
        except (OSError, smtplib.SMTPException) as lost:
            raise Uncertain(str(lost) or type(lost).__name__) from lost
        if code != 250:
            raise Refused(code, _reply_text(reply))
        return refused
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()
