"""Helpers of the follow-up tests: people who left into work, and posting forms as a browser."""

from datetime import date, datetime

from netvaerk import timeutil
from netvaerk.extensions import db
from netvaerk.participants import services as participants

from ..conftest import csrf_token_from
from ..factories import make_participant

TODAY = date(2026, 3, 4)


def freeze_today(monkeypatch, day: date = TODAY) -> None:
    """Make `timeutil.local_now()` (and so today) fall on `day` at noon."""
    monkeypatch.setattr(timeutil, "local_now", lambda: datetime.combine(day, datetime.min.time()))


def left_into(network, outcome: str, on: date, user_id=None, **fields):
    """An active participant who leaves through the participants' own service."""
    person = make_participant(network, start=fields.pop("start", date(2025, 1, 6)), **fields)
    participants.leave(person, on, outcome, user_id, today=max(on, TODAY))
    db.session.commit()
    return person


def post_form(client, page_url: str, url: str, data: dict):
    """POST `data` to `url` with the CSRF token of `page_url`, as a browser would."""
    token = csrf_token_from(client.get(page_url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})
