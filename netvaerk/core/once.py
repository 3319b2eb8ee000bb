"""Forms that create something are saved once: a one-time key in the form, unique in the database.

A double click, two tabs sending the same page, or the browser's "send again" post the same
form twice (or ten times) at the same moment. Each create form carries a hidden random key,
made when the page is shown (`OnceField`); saving the form first stores a receipt for that key
(`saved_once`). The receipt's unique constraint lets exactly one request through, on SQLite
and PostgreSQL alike; every other request with the same key is refused with "already saved"
and creates nothing. A form sent again after a mistake keeps its key, so correcting and
sending it still works: a refused request rolls back its receipt with everything else.

A request without a well-formed key (a client that does not send the page's hidden fields)
gets a fresh one, so it is saved as before, without the protection.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, false, update
from sqlalchemy.orm import Mapped, mapped_column
from wtforms import HiddenField

from ..extensions import db
from ..timeutil import utcnow
from .errors import UserError
from .locks import refused_as

T = TypeVar("T")
KEY_LENGTH = 64
KEY_FORMAT = re.compile(rf"[A-Za-z0-9_-]{{1,{KEY_LENGTH}}}")


class FormReceipt(db.Model):
    """The one-time key of a create form that was saved."""

    __tablename__ = "netvaerk_form_receipt"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(KEY_LENGTH), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AlreadySaved(UserError):
    """The same form (the same one-time key) was saved already."""

    def __init__(self) -> None:
        super().__init__(
            _l("This form was already saved (it was sent twice). Nothing new was added.")
        )


def new_key() -> str:
    """A fresh random one-time key."""
    return secrets.token_urlsafe(32)


def _well_formed(key: str | None) -> str | None:
    """The key sent, or None when it is not one this app makes (too long, odd characters such
    as a NUL byte that PostgreSQL refuses): such a request gets a fresh key, as without one."""
    return key if key and KEY_FORMAT.fullmatch(key) else None


def OnceField() -> HiddenField:  # noqa: N802 - reads like a field class in a form
    """The hidden one-time key of a create form, made when the page is shown."""
    return HiddenField(default=new_key, filters=[_well_formed])


def saved_once(key: str | None, change: Callable[[], T]) -> T:
    """Store the receipt of `key` (refused with AlreadySaved when another request stored it),
    then run `change()` and return what it returns."""
    _begin_writing()
    with refused_as(AlreadySaved()):
        db.session.add(FormReceipt(token=key or new_key()))
        db.session.flush()
    return change()


def _begin_writing() -> None:
    """Open the transaction with a write before the receipt's savepoint.

    On SQLite, pysqlite begins a transaction only before a write; a savepoint opening the
    transaction is committed by its release, so a change refused after it (a date outside the
    window) could no longer undo the key. A write that matches no row makes pysqlite begin the
    transaction and takes the database's write lock, as `lock_row` does. PostgreSQL needs none.
    """
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(
            update(FormReceipt)
            .where(false())
            .values(token=FormReceipt.token)
            .execution_options(synchronize_session=False)
        )
