"""Wishes sent from a resident's own page, unlinkable to the resident even with the whole
database (as the anonymous evaluation answers, `evaluations/answers.py`):

- at sending, nothing about the person or the time is written: no one-time form receipt (a
  double submit is recognised inside the pool instead), no time, a random key; the wish waits
  in `PendingWish`, encrypted with a key that is not in the database and padded to one size;
- when the waiting wishes of a network come from at least `WISH_K` different residents, all
  of them are released in one transaction into the staff's list of wishes (`Wish`), in random
  order, dated with the day of the release only, by nobody. Who sent a wish is known only inside
  the seal, as a keyed tag, and is dropped at release.

So a released wish shares its transaction, its day and its place in the id sequence with the
wishes of at least `WISH_K - 1` other residents: the visits in the residents' access logs, the
times of other forms and the order of ids cannot tell whose it is.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from datetime import date, datetime, time

from flask import current_app
from sqlalchemy import delete, func, select

from ..activities import services as activities
from ..core.locks import advisory_lock
from ..evaluations.answers import clean_text, seal, unseal
from ..evaluations.models import random_id
from ..extensions import db
from ..participants.models import Participant
from .models import PendingWish

WISH_K = 3
WISH_CAP = 1000  # characters (the form's limit)
_LOCK_CLASS = 0x6E77  # "nw": one release of a network's wishes at a time (PostgreSQL)


def _pool_key() -> bytes:
    """The key waiting wishes are sealed with: from the app's secret, never stored."""
    secret = current_app.config.get("NETVAERK_POOL_KEY") or current_app.config["SECRET_KEY"]
    return hashlib.sha256(b"netvaerk-wish-pool:" + str(secret).encode()).digest()


def _size() -> int:
    """Every sealed wish is this many bytes before encryption: the largest wish (an emoji takes
    as many bytes as any character clean_text lets through) with a resident's tag, encoded as
    `seal` encodes it."""
    largest = {"text": "\U0001f600" * WISH_CAP, "resident": "f" * 64}
    return len(json.dumps(largest, ensure_ascii=False, separators=(",", ":")).encode())


def _tag(key: bytes, participant: Participant) -> str:
    """Who sent it, as only the seal holds it (to count people and drop a double submit)."""
    message = f"wish:{participant.network_id}:{participant.id}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def send_wish(participant: Participant, wish: str, today: date) -> int:
    """Seal a resident's wish into the network's pool, then release the pool when it is ready.
    Returns how many wishes were released (0 while fewer than `WISH_K` residents wait)."""
    wish = clean_text(wish)[:WISH_CAP]
    if not wish:
        return 0
    key = _pool_key()
    payload = {"text": wish, "resident": _tag(key, participant)}
    db.session.add(
        PendingWish(
            id=random_id(),
            network_id=participant.network_id,
            sealed=seal(payload, key, participant.network_id, _size()),
        )
    )
    db.session.flush()
    return release_ready(participant.network_id, today)


def release_ready(network_id: int, today: date, k: int = WISH_K) -> int:
    """Release the network's waiting wishes when they come from at least k different
    residents: all of them (a resident's same wish sent twice counts once), shuffled, into the
    staff's list, dated with the day only and recorded by nobody."""
    advisory_lock(_LOCK_CLASS, network_id)
    waiting = db.session.scalars(
        select(PendingWish).where(PendingWish.network_id == network_id)
    ).all()
    key = _pool_key()
    opened = [unseal(row.sealed, key, network_id) for row in waiting]
    if len({entry["resident"] for entry in opened}) < k:
        return 0
    db.session.execute(delete(PendingWish).where(PendingWish.id.in_([r.id for r in waiting])))
    unique = list({(entry["resident"], entry["text"]): entry["text"] for entry in opened}.values())
    secrets.SystemRandom().shuffle(unique)
    released_at = datetime.combine(today, time())
    for wish in unique:
        # One at a time, in the shuffled order, so that ids and physical order are the random one.
        row = activities.add_wish(network_id, wish, None, None)
        row.created_at = released_at
        db.session.flush()
    return len(unique)


def waiting_count(network_id: int) -> int:
    """How many wishes from residents' pages wait to be released (for the staff's list)."""
    return db.session.scalar(
        select(func.count()).select_from(PendingWish).where(PendingWish.network_id == network_id)
    )
