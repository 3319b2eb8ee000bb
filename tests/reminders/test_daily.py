"""The daily reminders: who gets what, one message per address and day, once, in the reader's
language; nothing for a closed day, a cancelled meeting or someone who left."""

import re
from datetime import date, datetime, time

from netvaerk.core.models import Membership
from netvaerk.extensions import db
from netvaerk.meetings.models import Closure
from netvaerk.reminders import residents, rules
from netvaerk.reminders.services import daily_reminders
from netvaerk.tasks.models import OutboxMessage
from netvaerk.tasks.preferences import set_wanted
from tests.factories import make_activity, make_meeting, make_participant, make_signup, make_user

WEDNESDAY = date(2026, 11, 4)
THURSDAY = date(2026, 11, 5)
AT_TEN = datetime(2026, 11, 4, 9, 0)  # 10:00 in Copenhagen (winter time)


def _mail_on(app):
    app.config.update(NETVAERK_SMTP_HOST="smtp.example.org", NETVAERK_MAIL_SENDER="n@example.org")


def _sent(kind=None):
    query = db.select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return db.session.scalars(query).all()


def _to(address):
    return [m for m in _sent() if m.recipient_list == [address]]


def lix(text: str) -> float:
    """LIX: words per sentence + the percentage of words longer than six letters. A sentence
    ends at . : ! or ? before a capital letter or the line's end ("5. november" and "kl. 9" go
    on); a line without such an end (a list item) counts as one."""
    words = re.findall(r"[A-Za-zÆØÅæøå]+", text)
    sentences = 0
    for line in filter(None, (line.strip() for line in text.splitlines())):
        sentences += max(len(re.findall(r"[.:!?](?=\s+[A-ZÆØÅ]|$)", line)), 1)
    long_words = [w for w in words if len(w) > 6]
    return len(words) / sentences + 100 * len(long_words) / len(words)


def test_a_facilitator_gets_tomorrows_activities_once(app, network):
    _mail_on(app)
    helper = make_user("facilitator", network, email="helper@example.org")
    activity = make_activity(network, THURSDAY, title="CV-værksted", place="Pavillonen")
    make_signup(activity, helper)
    make_activity(network, THURSDAY, title="Gåtur")  # not hers
    assert daily_reminders(AT_TEN) == 1
    assert daily_reminders(AT_TEN) == 0  # the job again: no second message
    (message,) = _to("helper@example.org")
    assert message.kind == rules.FACILITATOR_TOMORROW
    assert "CV-værksted" in message.body and "Gåtur" not in message.body
    assert "5. november 2026" in message.body  # Danish: her account has no other language


def test_nothing_for_a_closed_day_a_cancelled_meeting_or_someone_who_left(app, network):
    _mail_on(app)
    gone = make_user("facilitator", network, email="gone@example.org")
    staying = make_user("facilitator", network, email="staying@example.org")
    meeting = make_meeting(network, THURSDAY, is_cancelled=True)
    on_cancelled = make_activity(network, THURSDAY, meeting=meeting)
    make_signup(on_cancelled, staying)
    own = make_activity(network, THURSDAY, title="Jobsøgning")
    make_signup(own, gone)
    db.session.execute(db.delete(Membership).where(Membership.user_id == gone.id))
    db.session.commit()
    assert daily_reminders(AT_TEN) == 0
    later = make_activity(network, date(2026, 11, 12), title="Jobsøgning")
    make_signup(later, staying)
    db.session.add(
        Closure(network_id=network.id, start_date=date(2026, 11, 12), end_date=date(2026, 11, 12))
    )
    db.session.commit()
    assert daily_reminders(datetime(2026, 11, 11, 9, 0)) == 0
    assert _sent() == []


def test_a_network_can_turn_a_reminder_off_and_a_person_can_opt_out(app, network):
    _mail_on(app)
    one = make_user("facilitator", network, email="one@example.org")
    two = make_user("facilitator", network, email="two@example.org")
    activity = make_activity(network, THURSDAY, needed=2)
    make_signup(activity, one)
    make_signup(activity, two)
    set_wanted(two.id, rules.FACILITATOR_TOMORROW, False)
    db.session.commit()
    assert daily_reminders(AT_TEN) == 1
    assert [m.recipient_list for m in _sent()] == [["one@example.org"]]
    rules.save_settings(network.id, {"facilitator_tomorrow": False}, one.id)
    db.session.commit()
    assert daily_reminders(datetime(2026, 11, 5, 9, 0)) == 0


def test_several_reminders_for_one_person_on_one_day_are_one_message(app, network):
    _mail_on(app)
    boss = make_user("coordinator", network, email="boss@example.org")
    mine = make_activity(network, date(2026, 12, 4), title="Mit værksted")
    make_signup(mine, boss)
    # 3 December 2026: November is ready to close, and the coordinator helps tomorrow.
    assert daily_reminders(datetime(2026, 12, 3, 9, 0)) == 1
    (message,) = _to("boss@example.org")
    assert "Mit værksted" in message.body and "november 2026" in message.body
    assert message.kind == rules.FACILITATOR_TOMORROW


def test_open_places_go_weekly_only_to_facilitators_who_asked(app, network):
    _mail_on(app)
    keen = make_user("facilitator", network, email="keen@example.org")
    make_user("facilitator", network, email="quiet@example.org")
    set_wanted(keen.id, rules.OPEN_SLOTS, True)
    db.session.commit()
    make_activity(network, date(2026, 11, 10), title="Ledig plads")
    make_activity(network, date(2026, 11, 20), title="For sent")  # beyond two weeks
    assert daily_reminders(datetime(2026, 11, 3, 9, 0)) == 0  # a Tuesday
    assert daily_reminders(datetime(2026, 11, 2, 9, 0)) == 1  # Monday
    (message,) = _sent(rules.OPEN_SLOTS)
    assert message.recipient_list == ["keen@example.org"]
    assert "Ledig plads" in message.body and "For sent" not in message.body


def test_coordinators_hear_of_a_month_ready_to_close_on_its_third_working_day(app, network):
    _mail_on(app)
    make_user("coordinator", network, email="boss@example.org")
    # November 2026 ends on a Monday: 1, 2 and 3 December are the first working days.
    assert rules.third_working_day_after(2026, 11) == date(2026, 12, 3)
    assert daily_reminders(datetime(2026, 12, 2, 9, 0)) == 0
    assert daily_reminders(datetime(2026, 12, 3, 9, 0)) == 1
    (message,) = _sent(rules.COORDINATOR_MORNING)
    assert "november 2026" in message.body
    # Easter 2026: 2, 3 and 6 April are holidays, so April's first working days are 1, 7, 8.
    assert rules.third_working_day_after(2026, 3) == date(2026, 4, 8)


def test_a_resident_who_agreed_gets_the_next_meeting_in_plain_danish(app, network):
    _mail_on(app)
    meeting = make_meeting(network, THURSDAY, start=time(9, 0))
    make_activity(network, THURSDAY, meeting=meeting, title="CV-værksted", start_time=time(9, 30))
    amina = make_participant(network, email="amina@example.org")
    john = make_participant(network, "John", email="john@example.org", preferred_locale="en")
    make_participant(network, "Uden", email="uden@example.org")  # did not agree
    left = make_participant(network, "Gået", status="left", email="gaaet@example.org")
    for person in (amina, john, left):
        residents.set_consent(person, True, WEDNESDAY, None)
    db.session.commit()
    assert daily_reminders(AT_TEN) == 2
    (danish,) = _to("amina@example.org")
    assert "Hej Amina." in danish.body and "CV-værksted" in danish.body
    assert "i morgen" in danish.body and "5. november 2026" in danish.body
    text = danish.body.split("-- ")[0]
    assert lix(text) <= 30, (lix(text), text)
    (english,) = _to("john@example.org")
    assert "Hello John." in english.body and "tomorrow" in english.body
    assert _to("uden@example.org") == [] and _to("gaaet@example.org") == []


def test_the_lix_measure_counts_sentences_not_dates():
    assert lix("Vi ses i morgen, 5. november, kl. 9.") == 6 / 1 + 100 * 1 / 6  # six words, one long


def test_staff_choose_the_reminders_on_their_page_and_stop_one_with_its_link(app, client, network):
    import json
    from urllib.parse import urlsplit

    from tests.conftest import log_in

    _mail_on(app)
    helper = make_user("facilitator", network, email="helper@example.org")
    make_signup(make_activity(network, THURSDAY, title="CV-værksted"), helper)
    make_signup(make_activity(network, date(2026, 11, 6), title="Gåtur"), helper)
    log_in(client, helper.email)
    page = client.get("/account/mail").get_data(as_text=True)
    assert "Dine aktiviteter i morgen" in page and "Ledige pladser de næste to uger" in page
    assert "Opfølgning, der skal laves" not in page  # the coordinators' kind
    assert daily_reminders(AT_TEN) == 1
    db.session.commit()
    (message,) = _sent()
    headers = json.loads(message.headers)
    link = headers["List-Unsubscribe"].strip("<>")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in message.body
    anonymous = app.test_client()
    assert anonymous.post(urlsplit(link).path).status_code == 200  # the mail program's POST
    db.session.expire_all()
    assert daily_reminders(datetime(2026, 11, 5, 9, 0)) == 0  # Gåtur: turned off


def test_coordinators_hear_of_status_checks_due_and_overdue_on_working_days(app, network):
    from netvaerk.followup.models import StatusCheck

    _mail_on(app)
    make_user("coordinator", network, email="boss@example.org")
    make_user("facilitator", network, email="helper@example.org")
    gone = make_participant(network, "Gået", status="left")
    for due_on in (date(2026, 11, 2), date(2026, 11, 4), date(2026, 11, 20)):
        db.session.add(
            StatusCheck(
                network_id=network.id,
                participant_id=gone.id,
                left_on=date(2026, 10, 1),
                exit_outcome="ordinary_job",
                months_after=1,
                due_on=due_on,
            )
        )
    db.session.commit()
    assert daily_reminders(datetime(2026, 11, 1, 9, 0)) == 0  # a Sunday
    assert daily_reminders(AT_TEN) == 1  # Wednesday 4 November
    (message,) = _sent()
    assert message.recipient_list == ["boss@example.org"]
    assert "2 statusopfølgninger skal laves (1 forsinket)." in message.body
