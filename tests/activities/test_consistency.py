"""Issue #17: activities stay consistent when people lose their role, when places are lowered
(also while someone signs up), with Danish decimals and the network's own notice period."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from netvaerk import timeutil
from netvaerk.activities import services
from netvaerk.activities.models import Activity, SignUp, WaitlistEntry
from netvaerk.admin import services as accounts
from netvaerk.core.models import Membership
from netvaerk.extensions import db

from ..conftest import csrf_token_from, log_in
from ..factories import make_activity, make_signup, make_user


def soon(days: int = 7):
    return timeutil.local_today() + timedelta(days=days)


def _holders(activity) -> list[int]:
    db.session.expire_all()
    return list(
        db.session.execute(
            select(SignUp.user_id).where(SignUp.activity_id == activity.id).order_by(SignUp.seat)
        ).scalars()
    )


def _waiting(activity) -> list[int]:
    return list(
        db.session.execute(
            select(WaitlistEntry.user_id).where(WaitlistEntry.activity_id == activity.id)
        ).scalars()
    )


@pytest.mark.parametrize("how", ["disable", "remove_role", "steering_role"])
def test_a_facilitator_who_loses_the_role_frees_their_places(app, network, how):
    leaving, waiting = make_user("facilitator", network), make_user("facilitator", network)
    activity = make_activity(network, soon(), needed=1, has_waitlist=True)
    other = make_activity(network, soon(3), needed=2, has_waitlist=True)
    past = make_activity(network, timeutil.local_today() - timedelta(days=3))
    now = timeutil.local_now()
    services.sign_up(activity.id, leaving.id, now)
    services.sign_up(activity.id, waiting.id, now)
    services.sign_up(other.id, leaving.id, now)
    make_signup(past, leaving)
    db.session.commit()
    admin = make_user("admin")
    membership = db.session.execute(
        select(Membership).where(Membership.user_id == leaving.id)
    ).scalar_one()
    if how == "disable":
        accounts.set_enabled(leaving, False, admin.id)
    elif how == "remove_role":
        accounts.remove_role(membership)
    else:
        accounts.set_role(leaving, network, "steering")
    db.session.commit()
    assert _holders(activity) == [waiting.id]  # the wait list moved up
    assert _waiting(activity) == []
    assert _holders(other) == []
    assert _holders(past) == [leaving.id]  # what happened stays


def test_a_coordinator_who_becomes_facilitator_keeps_their_places(app, network):
    person = make_user("coordinator", network)
    activity = make_activity(network, soon())
    services.sign_up(activity.id, person.id, timeutil.local_now())
    db.session.commit()
    accounts.set_role(person, network, "facilitator")
    assert _holders(activity) == [person.id]


def test_hours_accept_a_decimal_comma(app, client, login_as, network):
    user = login_as("facilitator")
    activity = make_activity(network, timeutil.local_today() - timedelta(days=1))
    signup = make_signup(activity, user)
    page = client.get(f"/activities/{activity.id}").get_data(as_text=True)
    response = client.post(
        f"/activities/{activity.id}/hours/{signup.id}",
        data={"csrf_token": csrf_token_from(page), f"s{signup.id}-hours": "1,5"},
        follow_redirects=True,
    )
    assert "Timerne er bekræftet." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(SignUp, signup.id).hours == Decimal("1.50")


def test_lowering_places_below_the_seats_taken_is_refused(app, network):
    activity = make_activity(network, soon(), needed=3)
    people = [make_user("facilitator", network) for _ in range(3)]
    for person in people:
        make_signup(activity, person)
    data = services.ActivityInput(
        type_id=None,
        meeting_id=None,
        date=activity.date,
        start_time=activity.start_time,
        end_time=activity.end_time,
        title=activity.title,
        description="",
        place="",
        facilitators_needed=2,
        has_waitlist=False,
    )
    with pytest.raises(services.ActivityProblem):
        services.save_activity(network.id, data, people[0].id, activity)
    db.session.rollback()
    assert db.session.get(Activity, activity.id).facilitators_needed == 3


def test_lowering_places_moves_the_seats_down(app, network):
    activity = make_activity(network, soon(), needed=3)
    first, third = make_user("facilitator", network), make_user("facilitator", network)
    make_signup(activity, first, seat=1)
    make_signup(activity, third, seat=3)
    data = services.ActivityInput(
        type_id=None,
        meeting_id=None,
        date=activity.date,
        start_time=activity.start_time,
        end_time=activity.end_time,
        title=activity.title,
        description="",
        place="",
        facilitators_needed=2,
        has_waitlist=False,
    )
    services.save_activity(network.id, data, first.id, activity)
    db.session.commit()
    db.session.expire_all()
    seats = db.session.execute(
        select(SignUp.seat, SignUp.places).where(SignUp.activity_id == activity.id)
    ).all()
    assert sorted(seats) == [(1, 2), (2, 2)]


def test_the_database_refuses_places_below_a_taken_seat(app, network):
    activity = make_activity(network, soon(), needed=3)
    make_signup(activity, make_user("facilitator", network), seat=3)
    with pytest.raises(IntegrityError):
        db.session.execute(
            update(Activity).where(Activity.id == activity.id).values(facilitators_needed=2)
        )
        db.session.commit()
    db.session.rollback()
    with pytest.raises(IntegrityError):
        db.session.add(
            SignUp(
                network_id=network.id,
                activity_id=activity.id,
                user_id=make_user("facilitator", network).id,
                seat=4,
            )
        )
        db.session.commit()
    db.session.rollback()


@pytest.mark.commits
def test_lowering_places_while_someone_signs_up_never_leaves_a_seat_above(app, network):
    coordinator = make_user("coordinator", network)
    facilitator = make_user("facilitator", network)
    activity = make_activity(network, soon(), needed=3)
    make_signup(activity, make_user("facilitator", network), seat=1)
    make_signup(activity, make_user("facilitator", network), seat=2)
    clients = []
    for person, page in (
        (coordinator, f"/activities/{activity.id}/edit"),
        (facilitator, "/activities/"),
    ):
        client = app.test_client()
        log_in(client, person.email)
        clients.append((client, csrf_token_from(client.get(page).get_data(as_text=True))))
    start = threading.Barrier(2, timeout=10)
    answers = [None, None]
    edit = {
        "title": activity.title,
        "date": activity.date.isoformat(),
        "start_time": "10:00",
        "end_time": "12:00",
        "facilitators_needed": "2",
        "place": "",
        "description": "",
        "meeting_id": "",
        "type_id": "",
    }

    def lower():
        client, token = clients[0]
        start.wait()
        answers[0] = client.post(
            f"/activities/{activity.id}/edit", data={"csrf_token": token, **edit}
        )

    def sign():
        client, token = clients[1]
        start.wait()
        answers[1] = client.post(f"/activities/{activity.id}/signup", data={"csrf_token": token})

    threads = [threading.Thread(target=lower), threading.Thread(target=sign)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert all(answer is not None and answer.status_code < 500 for answer in answers)
    db.session.expire_all()
    places = db.session.get(Activity, activity.id).facilitators_needed
    top = db.session.execute(
        select(func.max(SignUp.seat)).where(SignUp.activity_id == activity.id)
    ).scalar()
    assert top <= places
    assert len(_holders(activity)) <= places


def test_the_notice_period_is_a_network_setting(app, client, login_as, network):
    login_as("coordinator")
    page = client.get("/activities/settings").get_data(as_text=True)
    response = client.post(
        "/activities/settings", data={"csrf_token": csrf_token_from(page), "hours": "24"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert services.notice_hours(network) == 24
    bad = client.post(
        "/activities/settings", data={"csrf_token": csrf_token_from(page), "hours": "9999"}
    )
    assert bad.status_code == 200 and "0 til 720" in bad.get_data(as_text=True)


def test_a_disabled_account_cannot_be_given_a_place(app, network):
    """Found by the month-of-use state machine: a coordinator could still assign a place to
    a facilitator whose account was disabled."""
    person = make_user("facilitator", network)
    accounts.set_enabled(person, False, make_user("admin").id)
    db.session.commit()
    activity = make_activity(network, soon())
    with pytest.raises(services.ActivityProblem):
        services.sign_up(activity.id, person.id, timeutil.local_now())
    db.session.rollback()
    assert _holders(activity) == []
