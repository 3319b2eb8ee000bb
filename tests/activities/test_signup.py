"""Sign-up, cancellation and the wait list; no place is ever taken twice, even at once."""

import re
import threading
from datetime import datetime, time, timedelta

import pytest

from netvaerk import timeutil
from netvaerk.activities import services, signups
from netvaerk.activities.models import Cancellation, SignUp, WaitlistEntry
from netvaerk.core.registry import current_registry
from netvaerk.extensions import db
from netvaerk.tasks.models import OutboxMessage

from ..conftest import csrf_token_from, log_in
from ..factories import make_activity, make_meeting, make_signup, make_user


def soon(days: int = 7):
    return timeutil.local_today() + timedelta(days=days)


def signups_of(activity) -> list[SignUp]:
    db.session.expire_all()
    return list(
        db.session.execute(db.select(SignUp).where(SignUp.activity_id == activity.id)).scalars()
    )


def test_facilitator_signs_up_from_the_programme(app, client, login_as, network):
    user = login_as("facilitator")
    activity = make_activity(network, soon(), needed=2)
    page = client.get("/activities/").get_data(as_text=True)
    assert "CV-værksted" in page and "Meld mig til" in page
    response = client.post(
        f"/activities/{activity.id}/signup",
        data={"csrf_token": csrf_token_from(page), "back": "programme"},
        follow_redirects=True,
    )
    assert "Du er tilmeldt. Tak!" in response.get_data(as_text=True)
    assert [s.user_id for s in signups_of(activity)] == [user.id]
    # a double click changes nothing, and its answer reads as the success it is
    again = client.post(
        f"/activities/{activity.id}/signup",
        data={"csrf_token": csrf_token_from(page)},
        follow_redirects=True,
    )
    html = again.get_data(as_text=True)
    assert "Du er tilmeldt." in html and "allerede" not in html
    assert "flash--success" in html
    assert len(signups_of(activity)) == 1


def test_the_sign_up_button_disables_itself_after_the_first_tap(app, client, login_as, network):
    """The form asks netvaerk.js to send once; without the script the server copes (above)."""
    login_as("facilitator")
    make_activity(network, soon(), needed=2)
    page = client.get("/activities/").get_data(as_text=True)
    forms = re.findall(r"<form[^>]*/signup\"[^>]*>", page)
    assert forms and all("data-submit-once" in form for form in forms)
    src = re.search(r'src="([^"]*/netvaerk\.js)"', page).group(1)
    with client.get(src) as response:
        script = response.get_data(as_text=True)
    assert "data-submit-once" in script and "button.disabled = true" in script


def test_full_activity_gets_a_clear_message(app, client, login_as, network):
    login_as("facilitator")
    activity = make_activity(network, soon(), needed=1)
    make_signup(activity, make_user("facilitator", network))
    page = client.get("/activities/").get_data(as_text=True)
    response = client.post(
        f"/activities/{activity.id}/signup",
        data={"csrf_token": csrf_token_from(page)},
        follow_redirects=True,
    )
    assert "en anden har lige taget den sidste plads" in response.get_data(as_text=True)
    assert len(signups_of(activity)) == 1


@pytest.mark.parametrize("case", ["past", "cancelled", "meeting_cancelled"])
def test_past_or_cancelled_activities_refuse_sign_up(app, client, login_as, network, case):
    user = login_as("facilitator")
    if case == "past":
        activity = make_activity(network, timeutil.local_today() - timedelta(days=1))
        expected = "allerede begyndt"
    elif case == "cancelled":
        activity = make_activity(network, soon(), is_cancelled=True)
        expected = "Aktiviteten er aflyst"
    else:
        meeting = make_meeting(network, soon(), is_cancelled=True)
        activity = make_activity(network, meeting.date, meeting=meeting)
        expected = "Aktiviteten er aflyst"
    page = client.get(f"/activities/{activity.id}").get_data(as_text=True)
    response = client.post(
        f"/activities/{activity.id}/signup",
        data={"csrf_token": csrf_token_from(page)},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert expected in response.get_data(as_text=True)
    assert signups_of(activity) == []
    assert user.id  # nothing else changed


def test_another_networks_activity_is_404(app, client, login_as, network):
    from ..factories import make_network

    login_as("facilitator")
    other = make_activity(make_network(), soon())
    page = client.get("/activities/").get_data(as_text=True)
    assert client.get(f"/activities/{other.id}").status_code == 404
    response = client.post(
        f"/activities/{other.id}/signup", data={"csrf_token": csrf_token_from(page)}
    )
    assert response.status_code == 404
    assert signups_of(other) == []


@pytest.mark.parametrize("role", ["steering", "kiosk"])
def test_steering_and_kiosk_cannot_sign_up(app, client, login_as, network, role):
    login_as(role)
    activity = make_activity(network, soon())
    assert client.get("/activities/").status_code == 403
    response = client.post(f"/activities/{activity.id}/signup", data={})
    assert response.status_code in (400, 403)
    assert signups_of(activity) == []


def _race(app, network, activity, seats_seen_together: bool, monkeypatch):
    """Two facilitators click the last place at the same moment, each in their own client."""
    people = [make_user("facilitator", network) for _ in range(2)]
    clients = []
    for person in people:
        client = app.test_client()
        assert log_in(client, person.email).status_code == 200
        token = csrf_token_from(client.get("/activities/").get_data(as_text=True))
        clients.append((client, token))
    reads: list[int] = []
    if seats_seen_together:
        # Both requests reach the activity's lock at the same moment: the database decides
        # who goes first, and the second reads the seats only after the first has committed.
        gate = threading.Barrier(2, timeout=10)
        real_lock, real_free = signups.lock_row, signups.free_seats

        def lock_in_step(*args):
            gate.wait()
            return real_lock(*args)

        def counted_free_seats(activity):
            reads.append(activity.id)
            return real_free(activity)

        monkeypatch.setattr(signups, "lock_row", lock_in_step)
        monkeypatch.setattr(signups, "free_seats", counted_free_seats)
    start = threading.Barrier(2, timeout=10)
    answers: list = [None, None]
    url = f"/activities/{activity.id}/signup"

    def click(i: int) -> None:
        client, token = clients[i]
        start.wait()
        answers[i] = client.post(
            url,
            data={"csrf_token": token},
            follow_redirects=True,
        )

    threads = [threading.Thread(target=click, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    texts = [answer.get_data(as_text=True) for answer in answers]
    if seats_seen_together:
        assert len(reads) == 2  # each read the seats once, one after the other: no retry
    return people, texts


@pytest.mark.commits
@pytest.mark.parametrize("seats_seen_together", [True, False])
def test_two_facilitators_clicking_the_last_place_at_once(
    app, network, monkeypatch, seats_seen_together
):
    activity = make_activity(network, soon(), needed=2)
    make_signup(activity, make_user("facilitator", network))
    people, texts = _race(app, network, activity, seats_seen_together, monkeypatch)
    holders = {s.user_id for s in signups_of(activity)}
    assert len(holders) == 2  # never over-filled
    winners = [p for p in people if p.id in holders]
    assert len(winners) == 1
    assert sum("Du er tilmeldt. Tak!" in t for t in texts) == 1
    assert sum("en anden har lige taget den sidste plads" in t for t in texts) == 1
    assert sorted(s.seat for s in signups_of(activity)) == [1, 2]


@pytest.mark.commits
def test_last_place_race_with_a_wait_list_puts_the_loser_on_it(app, network, monkeypatch):
    activity = make_activity(network, soon(), needed=1, has_waitlist=True)
    people, texts = _race(app, network, activity, True, monkeypatch)
    assert len(signups_of(activity)) == 1
    waiting = db.session.execute(db.select(WaitlistEntry)).scalars().all()
    assert len(waiting) == 1
    assert sum("Du står på ventelisten" in t for t in texts) == 1


def test_seat_is_unique_in_the_database(app, network):
    from sqlalchemy.exc import IntegrityError

    activity = make_activity(network, soon(), needed=2)
    make_signup(activity, make_user("facilitator", network), seat=1)
    db.session.add(
        SignUp(
            network_id=network.id,
            activity_id=activity.id,
            user_id=make_user("facilitator", network).id,
            seat=1,
        )
    )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_wait_list_moves_the_next_person_up(app, client, login_as, network):
    first = login_as("facilitator")
    activity = make_activity(network, soon(days=10), needed=1, has_waitlist=True)
    second, third = make_user("facilitator", network), make_user("facilitator", network)
    now = timeutil.local_now()
    assert services.sign_up(activity.id, first.id, now) == "signed_up"
    assert services.sign_up(activity.id, second.id, now) == "waitlisted"
    assert services.sign_up(activity.id, third.id, now) == "waitlisted"
    assert services.sign_up(activity.id, third.id, now) == "waitlisted"  # no duplicate
    db.session.commit()  # services only flush; the request (here: the test) commits
    page = client.get(f"/activities/{activity.id}").get_data(as_text=True)
    assert "Venteliste" in page
    response = client.post(
        f"/activities/{activity.id}/withdraw",
        data={"csrf_token": csrf_token_from(page)},
        follow_redirects=True,
    )
    text = response.get_data(as_text=True)
    assert "Du er meldt fra." in text and "er rykket op fra ventelisten" in text
    assert [s.user_id for s in signups_of(activity)] == [second.id]
    waiting = db.session.execute(db.select(WaitlistEntry.user_id)).scalars().all()
    assert waiting == [third.id]


def test_raising_the_places_promotes_waiting_people(app, network):
    coordinator = make_user("coordinator", network)
    activity = make_activity(network, soon(), needed=1, has_waitlist=True)
    a, b = make_user("facilitator", network), make_user("facilitator", network)
    now = timeutil.local_now()
    services.sign_up(activity.id, a.id, now)
    services.sign_up(activity.id, b.id, now)
    data = services.ActivityInput(
        None,
        None,
        activity.date,
        activity.start_time,
        activity.end_time,
        activity.title,
        "",
        "",
        2,
        True,
    )
    services.save_activity(network.id, data, coordinator.id, activity)
    assert {s.user_id for s in signups_of(activity)} == {a.id, b.id}
    assert db.session.execute(db.select(WaitlistEntry)).first() is None


def test_early_cancellation_needs_no_reason(app, client, login_as, network):
    user = login_as("facilitator")
    activity = make_activity(network, soon(days=10))
    make_signup(activity, user)
    page = client.get("/activities/").get_data(as_text=True)
    response = client.post(
        f"/activities/{activity.id}/withdraw",
        data={"csrf_token": csrf_token_from(page), "back": "programme"},
        follow_redirects=True,
    )
    assert "Du er meldt fra." in response.get_data(as_text=True)
    assert signups_of(activity) == []
    cancellation = db.session.execute(db.select(Cancellation)).scalar_one()
    assert cancellation.is_late is False


def test_late_cancellation_asks_for_a_reason_and_alerts_the_coordinator(
    app, client, login_as, network, monkeypatch
):
    day = soon(days=3)
    monkeypatch.setattr(
        timeutil, "local_now", lambda: datetime.combine(day, time(9, 0)) - timedelta(hours=24)
    )
    user = login_as("facilitator")
    activity = make_activity(network, day, title="Træn jobsamtalen")
    make_signup(activity, user)
    page = client.get(f"/activities/{activity.id}").get_data(as_text=True)
    token = csrf_token_from(page)
    refused = client.post(f"/activities/{activity.id}/withdraw", data={"csrf_token": token})
    assert refused.status_code == 200
    assert "Skriv til koordinatoren, hvorfor du melder fra." in refused.get_data(as_text=True)
    assert len(signups_of(activity)) == 1  # nothing changed
    app.config["NETVAERK_SMTP_HOST"] = "mail.example.org"
    coordinator = make_user("coordinator", network)
    accepted = client.post(
        f"/activities/{activity.id}/withdraw",
        data={"csrf_token": token, "reason": "Min datter er syg."},
        follow_redirects=True,
    )
    assert "Du er meldt fra." in accepted.get_data(as_text=True)
    assert signups_of(activity) == []
    sent = db.session.scalars(db.select(OutboxMessage)).all()  # delivered later by the worker
    assert [(m.kind, m.recipient_list) for m in sent] == [
        ("activities.late_cancellation", [coordinator.email])
    ]
    assert "Min datter er syg." in sent[0].body
    # the coordinator sees it on the start page and can dismiss it
    coord_client = app.test_client()
    log_in(coord_client, coordinator.email)
    home = coord_client.get("/").get_data(as_text=True)
    assert "Sene afmeldinger" in home and "Min datter er syg." in home
    cancellation = db.session.execute(db.select(Cancellation)).scalar_one()
    assert cancellation.is_late
    coord_client.post(
        f"/activities/cancellations/{cancellation.id}/seen",
        data={"csrf_token": csrf_token_from(home)},
    )
    assert "Min datter er syg." not in coord_client.get("/").get_data(as_text=True)


def test_notice_period_is_configurable(app, network):
    activity = make_activity(network, soon(days=3))
    now = datetime.combine(activity.date, activity.start_time) - timedelta(hours=30)
    assert services.is_late(activity, now, 48)
    assert not services.is_late(activity, now, 24)
    assert services.notice_hours(network) == 48
    services.set_notice_hours(network, 24)
    assert services.notice_hours(network) == 24


def test_facilitator_panel_shows_next_activities_and_open_slots(app, client, login_as, network):
    user = login_as("facilitator")
    mine = make_activity(network, soon(days=2), title="Min aktivitet", needed=2)
    make_signup(mine, user)
    make_activity(network, soon(days=3), title="Mangler nogen")
    home = client.get("/").get_data(as_text=True)
    assert "Mine næste aktiviteter" in home
    assert "Min aktivitet" in home and "Mangler nogen" in home
    assert any(
        p.template.endswith("_panel_facilitator.html") for p in current_registry().home_panels
    )
