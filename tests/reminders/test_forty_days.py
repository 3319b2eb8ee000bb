"""Forty days on a fake clock, across the end of summer time (25 October 2026), with the real
queue (Huey on SQLite storage, its tasks taken off the queue and executed as a consumer does)
and a real SMTP server: every reminder and notice, and the monthly summary and its revision
notice, is delivered once, to the right people, in their language, and none to anyone who
opted out or left."""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from email.header import decode_header, make_header
from email.utils import parsedate_to_datetime

import pytest

from netvaerk import timeutil
from netvaerk.activities import services as activities
from netvaerk.core.models import Membership
from netvaerk.extensions import db
from netvaerk.followup import conversations
from netvaerk.meetings.models import Closure
from netvaerk.reminders import notices, residents, rules
from netvaerk.reminders.services import daily_reminders
from netvaerk.stats import summary
from netvaerk.tasks import outbox, queue
from netvaerk.tasks.preferences import set_wanted
from tests.factories import make_activity, make_meeting, make_participant, make_signup, make_user
from tests.tasks.smtpserver import SmtpServer

START = datetime(2026, 10, 12, 0, 0)  # a Monday, UTC
DAYS = 40


class FakeClock:
    """The app's clock, moved by the test: every `utcnow` and `local_today` the queue, the
    outbox and the reminders read."""

    def __init__(self, monkeypatch, now: datetime) -> None:
        self.now = now
        for module in (timeutil, queue, outbox):
            monkeypatch.setattr(module, "utcnow", lambda: self.now)
        monkeypatch.setattr(timeutil, "local_now", lambda: timeutil.to_local(self.now))
        monkeypatch.setattr(notices, "local_today", lambda: timeutil.to_local(self.now).date())


@pytest.fixture
def smtp(app):
    server = SmtpServer()
    server.start()
    app.config.update(
        NETVAERK_SMTP_HOST="127.0.0.1",
        NETVAERK_SMTP_PORT=server.port,
        NETVAERK_MAIL_SENDER="netvaerk@example.org",
        NETVAERK_BASE_URL="https://netvaerk.example.org",
        NETVAERK_PURGE_NIGHTLY="0",
    )
    yield server
    server.stop()


@pytest.fixture
def sqlite_queue(app, tmp_path):
    """The app's Huey on a SQLite file, as a worker without Redis uses it."""
    app.config["NETVAERK_QUEUE_URL"] = f"sqlite:///{tmp_path / 'queue.sqlite'}"
    state = app.extensions["netvaerk"]
    before = state.huey
    state.huey = queue.build_huey(app)
    yield state.huey
    state.huey.flush()
    state.huey = before
    app.config.pop("NETVAERK_QUEUE_URL")


def drain(huey) -> int:
    """Take every task off the queue and execute it (a consumer's loop, in this process)."""
    done = 0
    while (task := huey.dequeue()) is not None:
        huey.execute(task)
        done += 1
    return done


def _scenario(network):
    """The people and the programme (see the expectations in the test)."""
    people = {
        "f1": make_user("facilitator", network, email="f1@example.org"),
        "f2": make_user("facilitator", network, email="f2@example.org"),
        "f3": make_user("facilitator", network, email="f3@example.org"),
        "f4": make_user("facilitator", network, email="f4@example.org"),
        "c": make_user("coordinator", network, email="c@example.org"),
        "s1": make_user("steering", network, email="s1@example.org"),
        "s2": make_user("steering", network, email="s2@example.org"),
        "s3": make_user("steering", network, email="s3@example.org"),
    }
    people["f2"].locale = "en"
    people["s2"].locale = "en"
    set_wanted(people["s3"].id, summary.SUMMARY, False)  # but keeps the revision notices
    set_wanted(people["f1"].id, rules.OPEN_SLOTS, True)
    set_wanted(people["f3"].id, rules.FACILITATOR_TOMORROW, False)
    conversations.save_settings(network.id, 30, [1, 3, 6, 12], people["c"].id)

    m1 = make_meeting(network, date(2026, 10, 22))
    m2 = make_meeting(network, date(2026, 10, 26))  # the Monday after summer time ends
    m3 = make_meeting(network, date(2026, 11, 4), is_cancelled=True)
    m4 = make_meeting(network, date(2026, 11, 12))  # in a closure
    m5 = make_meeting(network, date(2026, 11, 16))
    db.session.add(
        Closure(network_id=network.id, start_date=date(2026, 11, 12), end_date=date(2026, 11, 13))
    )
    a1 = make_activity(network, m1.date, meeting=m1, needed=3, title="CV-værksted")
    a2 = make_activity(network, m2.date, meeting=m2, title="Gåtur")
    a3 = make_activity(network, m3.date, meeting=m3, title="Aflyst møde")
    a4 = make_activity(network, m4.date, meeting=m4, title="Lukket dag")
    a5 = make_activity(network, m5.date, meeting=m5, needed=2, title="Jobcafé")
    a6 = make_activity(network, date(2026, 11, 18), title="Flyttes")
    a7 = make_activity(network, m5.date, meeting=m5, title="Aflyses", start_time=time(9, 0))
    a8 = make_activity(network, date(2026, 10, 28), needed=2, title="Ledig plads")
    a9 = make_activity(network, date(2026, 11, 5), title="Koordinatorens værksted")
    for activity, who in (
        (a1, "f1"),
        (a1, "f2"),
        (a1, "f4"),
        (a2, "f1"),
        (a3, "f1"),
        (a4, "f2"),
        (a5, "f1"),
        (a5, "f3"),
        (a6, "f2"),
        (a7, "f2"),
        (a8, "f2"),
        (a9, "c"),
    ):
        make_signup(activity, people[who])
    db.session.execute(db.delete(Membership).where(Membership.user_id == people["f4"].id))

    r1 = make_participant(network, "Rikke", email="r1@example.org", start=date(2026, 10, 1))
    r2 = make_participant(
        network, "Robert", email="r2@example.org", preferred_locale="en", start=date(2026, 10, 25)
    )
    make_participant(network, "Rasmus", email="r3@example.org", start=date(2026, 10, 25))
    r4 = make_participant(network, "Rita", status="left", email="r4@example.org")
    r5 = make_participant(network, "Rune", email="r5@example.org", start=date(2026, 10, 25))
    for resident in (r1, r2, r4, r5):
        residents.set_consent(resident, True, date(2026, 10, 1), None)
    db.session.commit()
    return people, {"a6": a6, "a7": a7, "r1": r1, "r5": r5}


def _changes(clock: FakeClock, network, people, things):
    """What staff and residents do during the forty days, at 13:00 in Copenhagen."""
    local = timeutil.to_local(clock.now)
    if local.hour != 13:
        return
    if local.date() == date(2026, 11, 1):  # a Sunday: the activity moves a day later
        a6 = things["a6"]
        data = activities.ActivityInput(
            type_id=None,
            meeting_id=None,
            date=date(2026, 11, 19),
            start_time=a6.start_time,
            end_time=a6.end_time,
            title=a6.title,
            description="",
            place=a6.place,
            facilitators_needed=1,
            has_waitlist=False,
        )
        activities.save_activity(network.id, data, people["c"].id, a6)
        db.session.commit()
    elif local.date() == date(2026, 11, 2):  # the overdue conversation is held
        conversations.log_conversation(
            things["r1"], local.date(), "", "", None, [], people["c"].id, local.date()
        )
        db.session.commit()
    elif local.date() == date(2026, 11, 5):
        activities.cancel_activity(things["a7"])
        db.session.commit()
    elif local.date() == date(2026, 11, 8):  # Rune clicks the link in his mail
        residents.stop(things["r5"], local.date())
        db.session.commit()
    elif local.date() == date(2026, 11, 4):  # the day October is ready: the coordinator closes it
        summary.close_and_tell(network, 2026, 10, people["c"], local.date())
        db.session.commit()
    elif local.date() == date(2026, 11, 10):  # a late registration: October is revised
        summary.reopen_and_tell(
            network, 2026, 10, people["c"], "late_registration", "", local.date()
        )
        db.session.commit()


# (Copenhagen day the message was written, a text it holds) per address.
EXPECTED = {
    "f1@example.org": [
        (date(2026, 10, 19), "Ledig plads"),  # open places, Monday
        (date(2026, 10, 21), "CV-værksted"),
        (date(2026, 10, 25), "Gåtur"),  # the day summer time ends
        (date(2026, 10, 26), "Ledig plads"),
        (date(2026, 11, 15), "Jobcafé"),
    ],
    "f2@example.org": [
        (date(2026, 10, 21), "Tomorrow, 22 October 2026"),
        (date(2026, 10, 27), "Ledig plads"),
        (date(2026, 11, 1), "Flyttes is now on 19 November 2026"),
        (date(2026, 11, 5), "Aflyses on 16 November 2026 has been cancelled"),
        (date(2026, 11, 18), "Flyttes"),
    ],
    "c@example.org": [
        (date(2026, 11, 2), "1 opfølgningssamtale skal holdes (1 forsinket)."),
        (date(2026, 11, 4), "Måneden oktober 2026 er klar til at blive lukket"),
    ],
    "r1@example.org": [
        (date(2026, 10, 21), "Vi ses i morgen, 22. oktober 2026, kl. 09.00."),
        (date(2026, 10, 25), "Vi ses i morgen, 26. oktober 2026"),
        (date(2026, 11, 5), "Aflyses 16. november 2026 er aflyst. Mødet holdes stadig."),
        (date(2026, 11, 15), "Jobcafé"),
    ],
    "r2@example.org": [
        (date(2026, 10, 21), "We meet tomorrow, 22 October 2026, at 09:00."),
        (date(2026, 10, 25), "We meet tomorrow, 26 October 2026"),
        (date(2026, 11, 5), "Aflyses on 16 November 2026 is cancelled."),
        (date(2026, 11, 15), "Jobcafé"),
    ],
    # The summary when October is closed (not to s3, who turned it off), then the revision.
    "s1@example.org": [
        (date(2026, 11, 4), "Månedsrapporten for oktober 2026 er klar"),
        (date(2026, 11, 10), "Årsag: Sen registrering"),
    ],
    "s2@example.org": [
        (date(2026, 11, 4), "The monthly report for October 2026 is ready"),
        (date(2026, 11, 10), "Reason: Late registration"),
    ],
    "s3@example.org": [(date(2026, 11, 10), "Årsag: Sen registrering")],
    "r5@example.org": [
        (date(2026, 10, 21), "CV-værksted"),
        (date(2026, 10, 25), "Gåtur"),
        (date(2026, 11, 5), "Aflyses"),
    ],
}


def _body(message) -> str:
    """The subject and the plain-text part (the summary is multipart, with its PDF)."""
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            subject = str(make_header(decode_header(message["Subject"])))
            return subject + "\n" + part.get_payload(decode=True).decode()
    raise AssertionError("no text part")


def test_forty_days_of_reminders_each_sent_once_to_the_right_people(
    app, network, smtp, sqlite_queue, monkeypatch
):
    clock = FakeClock(monkeypatch, START)
    people, things = _scenario(network)
    for hour in range(DAYS * 24):
        clock.now = START + timedelta(hours=hour)
        _changes(clock, network, people, things)
        sqlite_queue.netvaerk["tick"]()
        sqlite_queue.netvaerk["tick"]()  # two ticks at once: each occurrence still runs once
        drain(sqlite_queue)
        if hour == 24 * 9 + 9:  # 21 October 11:00: the day's job once more, as after a crash
            assert daily_reminders(clock.now) == 0

    received = defaultdict(list)
    for message in smtp.mailbox.messages:
        (address,) = [a.strip() for a in message["To"].split(",")]
        written = parsedate_to_datetime(message["Date"]).replace(tzinfo=None)
        received[address].append((timeutil.to_local(written).date(), message))
    # Nobody else: f3 opted out, f4 and r4 left.
    assert sorted(received) == sorted(EXPECTED)
    for address, expected in EXPECTED.items():
        got = sorted(received[address], key=lambda pair: pair[0])
        assert [day for day, _ in got] == [day for day, _ in expected], address
        for (day, message), (_, text) in zip(got, expected, strict=True):
            assert text in _body(message), (address, day, _body(message))
            assert message["List-Unsubscribe"], (address, day)
    # The coordinator's 4 November: two reminders folded into one message.
    (_, folded) = received["c@example.org"][1]
    assert "Koordinatorens værksted" in _body(folded)
    # Every message was delivered once: the mailbox holds no Message-ID twice.
    ids = [m["Message-ID"] for m in smtp.mailbox.messages]
    assert len(ids) == len(set(ids)) == sum(len(e) for e in EXPECTED.values())
    # The summary carries its PDF; the revision notice names no person.
    (_, first) = received["s1@example.org"][0]
    assert [p.get_content_type() for p in first.walk()].count("application/pdf") == 1
