"""Making the rota for a period that has begun asks first, as a single past date does; without
the confirmation nothing changes (issue 29)."""

from datetime import datetime, timedelta

from sqlalchemy import select

from netvaerk.extensions import db
from netvaerk.rota.models import ChoreAssignment

from .conftest import MONDAY


def _assignments():
    db.session.expire_all()
    return db.session.scalars(select(ChoreAssignment)).all()


def test_a_past_period_asks_first_and_changes_nothing_until_confirmed(
    login_as, browser, network, people, week_meetings, chores, clock
):
    clock(datetime(2026, 3, 9, 8, 0))  # a week later: the whole period has passed
    login_as("coordinator")
    period = {"start": MONDAY.isoformat(), "end": (MONDAY + timedelta(days=6)).isoformat()}
    first = browser.post("/rota/generate", period, token_from="/rota/generate")
    html = first.get_data(as_text=True)
    assert first.status_code == 200
    assert "Perioden begynder mandag den 2. marts 2026, som er overstået" in html
    assert "møder, der er holdt" in html
    assert 'name="confirm_past_date" value="1"' in html
    assert _assignments() == []

    confirmed = browser.post(
        "/rota/generate", {**period, "confirm_past_date": "1"}, token_from="/rota/generate"
    )
    assert confirmed.status_code == 302
    assert len(_assignments()) == 10


def test_a_period_from_today_is_not_asked_about(
    login_as, browser, network, people, week_meetings, chores, clock
):
    login_as("coordinator")
    period = {"start": MONDAY.isoformat(), "end": (MONDAY + timedelta(days=6)).isoformat()}
    answer = browser.post("/rota/generate", period, token_from="/rota/generate")
    assert answer.status_code == 302 and _assignments()
