"""Moved and cancelled activities and meetings: facilitators with a place and residents who
agreed are told once, in their language, in the transaction of the change; under the rules."""

from datetime import date, time

import pytest

from netvaerk.activities import services as activities
from netvaerk.core.models import Membership
from netvaerk.extensions import db
from netvaerk.meetings import calendar
from netvaerk.reminders import residents, rules
from netvaerk.tasks.models import OutboxMessage
from netvaerk.tasks.preferences import set_wanted
from tests.factories import make_activity, make_meeting, make_participant, make_signup, make_user

from .test_daily import lix

TODAY = date(2026, 12, 7)
LATER = date(2027, 1, 14)  # a Thursday after TODAY


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    """The notices ask the clock for today (nothing is told about the past): a fixed day."""
    from netvaerk.reminders import notices

    monkeypatch.setattr(notices, "local_today", lambda: TODAY)


def _mail_on(app):
    app.config.update(NETVAERK_SMTP_HOST="smtp.example.org", NETVAERK_MAIL_SENDER="n@example.org")


def _messages():
    return db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)).all()


def _change(network, activity, day: date, start: time):
    data = activities.ActivityInput(
        title=activity.title,
        type_id=None,
        meeting_id=None,
        date=day,
        start_time=start,
        end_time=time(15, 0),
        facilitators_needed=activity.facilitators_needed,
        description="",
        place=activity.place,
        has_waitlist=False,
    )
    activities.save_activity(network.id, data, None, activity)


def test_a_moved_activity_tells_its_facilitators(app, network):
    _mail_on(app)
    helper = make_user("facilitator", network, email="helper@example.org")
    off = make_user("facilitator", network, email="off@example.org")
    activity = make_activity(network, LATER, needed=2, title="Jobcafé")
    make_signup(activity, helper)
    make_signup(activity, off)
    set_wanted(off.id, rules.ACTIVITY_MOVED, False)
    _change(network, activity, date(2027, 1, 15), time(13, 0))
    db.session.commit()
    (message,) = _messages()
    assert message.kind == rules.ACTIVITY_MOVED and message.recipient_list == ["helper@example.org"]
    assert "Jobcafé" in message.body and "15. januar 2027" in message.body
    assert "14. januar 2027" in message.body  # where it was
    # The same times again: not a move, no message.
    _change(network, activity, date(2027, 1, 15), time(13, 0))
    db.session.commit()
    assert len(_messages()) == 1


def test_a_cancelled_meeting_tells_facilitators_and_residents_once_each(app, network):
    _mail_on(app)
    meeting = make_meeting(network, LATER)
    helper = make_user("facilitator", network, email="helper@example.org")
    gone = make_user("facilitator", network, email="gone@example.org")
    first = make_activity(network, LATER, meeting=meeting, title="CV-værksted", needed=2)
    second = make_activity(network, LATER, meeting=meeting, title="Gåtur")
    make_signup(first, helper)
    make_signup(second, helper)
    make_signup(first, gone)
    db.session.execute(db.delete(Membership).where(Membership.user_id == gone.id))
    amina = make_participant(network, email="amina@example.org")
    residents.set_consent(amina, True, date(2026, 12, 1), None)
    make_participant(network, "Uden", email="uden@example.org")
    db.session.commit()
    calendar.cancel_meeting(meeting, "Vandskade")
    db.session.commit()
    by_address = {m.recipient_list[0]: m for m in _messages()}
    assert sorted(by_address) == ["amina@example.org", "helper@example.org"]
    staff_mail = by_address["helper@example.org"]
    assert "CV-værksted" in staff_mail.body and "Gåtur" in staff_mail.body
    resident_mail = by_address["amina@example.org"]
    assert resident_mail.kind == rules.RESIDENT_CHANGE
    assert "Mødet 14. januar 2027 er aflyst." in resident_mail.body
    assert lix(resident_mail.body.split("-- ")[0]) <= 30


def test_a_moved_meeting_tells_residents_in_their_language(app, network):
    _mail_on(app)
    meeting = make_meeting(network, LATER)
    john = make_participant(network, "John", email="john@example.org", preferred_locale="en")
    residents.set_consent(john, True, date(2026, 12, 1), None)
    db.session.commit()
    calendar.move_meeting(meeting, date(2027, 1, 18), time(10, 0), time(12, 0), TODAY)
    db.session.commit()
    (message,) = _messages()
    assert message.recipient_list == ["john@example.org"]
    assert "The meeting has moved. It is now on 18 January 2027 at 10:00." in message.body


def test_nothing_is_told_when_the_network_turned_it_off_or_the_day_is_past(app, network):
    _mail_on(app)
    helper = make_user("facilitator", network, email="helper@example.org")
    past = make_activity(network, date(2026, 1, 8))
    make_signup(past, helper)
    activities.cancel_activity(past)
    rules.save_settings(network.id, {"changes": False}, helper.id)
    later = make_activity(network, LATER)
    make_signup(later, helper)
    activities.cancel_activity(later)
    db.session.commit()
    assert _messages() == []


def test_a_rolled_back_cancellation_sends_nothing(app, network):
    _mail_on(app)
    helper = make_user("facilitator", network, email="helper@example.org")
    activity = make_activity(network, LATER)
    make_signup(activity, helper)
    activities.cancel_activity(activity)
    assert len(_messages()) == 1
    db.session.rollback()
    assert _messages() == []
