"""Planning activities, activity types, the overview and the fixed number of queries."""

from datetime import time, timedelta

import pytest
from sqlalchemy import event

from netvaerk import timeutil
from netvaerk.activities import services
from netvaerk.activities.models import Activity, ActivityType
from netvaerk.extensions import db

from ..conftest import csrf_token_from
from ..factories import make_activity, make_meeting, make_network, make_signup, make_user


def soon(days: int = 7):
    return timeutil.local_today() + timedelta(days=days)


def activities() -> list[Activity]:
    db.session.expire_all()
    return list(db.session.execute(db.select(Activity)).scalars())


def test_coordinator_plans_an_activity_on_a_meeting(app, client, login_as, network):
    login_as("coordinator")
    meeting = make_meeting(network, soon())
    page = client.get(f"/activities/new?meeting_id={meeting.id}").get_data(as_text=True)
    assert "Danskundervisning" in page  # the default types exist
    cv = db.session.execute(
        db.select(ActivityType).where(
            ActivityType.network_id == network.id, ActivityType.key == "cv"
        )
    ).scalar_one()
    response = client.post(
        "/activities/new",
        data={
            "csrf_token": csrf_token_from(page),
            "type_id": cv.id,
            "meeting_id": meeting.id,
            "title": "",
            "place": "Pavillonen",
            "facilitators_needed": "2",
        },
        follow_redirects=True,
    )
    assert "Aktiviteten er kommet på programmet." in response.get_data(as_text=True)
    (activity,) = activities()
    assert activity.title == "CV" and activity.meeting_id == meeting.id
    assert (activity.date, activity.start_time, activity.end_time) == (
        meeting.date,
        time(9, 0),
        time(12, 0),
    )


def test_company_visit_on_its_own_date(app, client, login_as, network):
    login_as("facilitator")
    page = client.get("/activities/new").get_data(as_text=True)
    response = client.post(
        "/activities/new",
        data={
            "csrf_token": csrf_token_from(page),
            "title": "Virksomhedsbesøg",
            "date": soon(9).isoformat(),
            "start_time": "10:00",
            "end_time": "12:30",
            "facilitators_needed": "1",
            "has_waitlist": "y",
        },
        follow_redirects=True,
    )
    assert response.status_code == 200
    (activity,) = activities()
    assert activity.meeting_id is None and activity.end_time == time(12, 30)
    assert activity.has_waitlist


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"start_time": "12:00", "end_time": "10:00"}, "Sluttidspunktet skal være efter"),
        ({"facilitators_needed": "0"}, "Skriv et tal fra 1 til 50."),
        ({"facilitators_needed": "-2"}, "Skriv et tal fra 1 til 50."),
        ({"facilitators_needed": "x"}, "Skriv et helt tal"),
        ({"date": ""}, "Vælg et møde, eller angiv en dato"),
        ({"meeting_id": "999999"}, "Vælg et møde på listen."),
    ],
)
def test_bad_input_gets_a_message_and_saves_nothing(
    app, client, login_as, network, changes, message
):
    login_as("coordinator")
    page = client.get("/activities/new").get_data(as_text=True)
    data = {
        "csrf_token": csrf_token_from(page),
        "title": "Walk and talk",
        "date": soon().isoformat(),
        "start_time": "10:00",
        "end_time": "11:00",
        "facilitators_needed": "1",
    }
    data.update(changes)
    response = client.post("/activities/new", data=data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert activities() == []


def test_database_refuses_zero_places_and_end_before_start(app, network):
    from sqlalchemy.exc import IntegrityError

    for fields in ({"needed": 0}, {"start_time": time(12), "end_time": time(10)}):
        with pytest.raises(IntegrityError):
            make_activity(network, soon(), **fields)
        db.session.rollback()


def test_places_cannot_drop_below_those_signed_up(app, client, login_as, network):
    login_as("coordinator")
    activity = make_activity(network, soon(), needed=2)
    make_signup(activity, make_user("facilitator", network))
    make_signup(activity, make_user("facilitator", network))
    page = client.get(f"/activities/{activity.id}/edit").get_data(as_text=True)
    response = client.post(
        f"/activities/{activity.id}/edit",
        data={
            "csrf_token": csrf_token_from(page),
            "title": "CV",
            "date": activity.date.isoformat(),
            "start_time": "10:00",
            "end_time": "12:00",
            "facilitators_needed": "1",
        },
    )
    assert "Der er allerede flere facilitatorer tilmeldt." in response.get_data(as_text=True)
    assert activities()[0].facilitators_needed == 2


def test_coordinator_cancels_an_activity(app, client, login_as, network):
    login_as("coordinator")
    activity = make_activity(network, soon())
    page = client.get(f"/activities/{activity.id}").get_data(as_text=True)
    response = client.post(
        f"/activities/{activity.id}/cancel",
        data={"csrf_token": csrf_token_from(page)},
        follow_redirects=True,
    )
    assert "Aktiviteten er aflyst." in response.get_data(as_text=True)
    assert activities()[0].is_cancelled


def test_facilitator_cannot_cancel_or_see_the_overview(app, client, login_as, network):
    login_as("facilitator")
    activity = make_activity(network, soon())
    page = client.get("/activities/").get_data(as_text=True)
    assert (
        client.post(
            f"/activities/{activity.id}/cancel", data={"csrf_token": csrf_token_from(page)}
        ).status_code
        == 403
    )
    assert client.get("/activities/overview").status_code == 403
    assert client.get("/activities/types").status_code == 403


def test_types_are_editable_in_both_languages(app, client, login_as, network):
    login_as("coordinator")
    page = client.get("/activities/types").get_data(as_text=True)
    assert "Morgengymnastik" in page and "Morning exercise" in page
    assert len(services.activity_types(network.id)) == len(services.DEFAULT_TYPES)
    response = client.post(
        "/activities/types",
        data={"csrf_token": csrf_token_from(page), "name_da": "Madlavning", "name_en": "Cooking"},
        follow_redirects=True,
    )
    assert "Aktivitetstypen er tilføjet." in response.get_data(as_text=True)
    duplicate = client.post(
        "/activities/types",
        data={"csrf_token": csrf_token_from(page), "name_da": "CV", "name_en": "Resumé"},
    )
    assert "En anden aktivitetstype hedder det samme." in duplicate.get_data(as_text=True)
    cooking = db.session.execute(
        db.select(ActivityType).where(ActivityType.name_en == "Cooking")
    ).scalar_one()
    client.post(
        f"/activities/types/{cooking.id}",
        data={
            "csrf_token": csrf_token_from(page),
            "name_da": "Fælles madlavning",
            "name_en": "Cooking",
        },
    )
    db.session.refresh(cooking)
    assert cooking.name_da == "Fælles madlavning" and cooking.is_active is False
    english = client.get("/activities/new", headers={"Accept-Language": "en"})
    assert english.status_code == 200


def test_overview_shows_filled_and_unfilled_slots(app, client, login_as, network):
    login_as("coordinator")
    full = make_activity(network, soon(2), title="Fuld aktivitet")
    make_signup(full, make_user("facilitator", network))
    make_activity(network, soon(3), title="Mangler en", needed=2)
    html = client.get("/activities/overview").get_data(as_text=True)
    needing = html.split("Mangler stadig en facilitator", 1)[1].split("</section>", 1)[0]
    assert "Mangler en" in needing and "Fuld aktivitet" not in needing
    assert "2 ledige pladser" in html and "Fuldt besat" in html


def _count_queries(client, url: str) -> int:
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


@pytest.mark.commits
@pytest.mark.parametrize("url", ["/activities/", "/activities/overview", "/"])
def test_pages_issue_a_fixed_number_of_queries(app, client, login_as, network, url):
    login_as("coordinator")
    helpers = [make_user("facilitator", network) for _ in range(3)]

    def add(n: int, offset: int) -> None:
        for i in range(n):
            activity = make_activity(
                network, soon(1 + (offset + i) % 20), needed=2, has_waitlist=True
            )
            make_signup(activity, helpers[i % 3])

    add(1, 0)
    client.get(url)  # warm up (default types, caches)
    few = _count_queries(client, url)
    add(12, 1)
    many = _count_queries(client, url)
    assert few == many


def test_other_networks_rows_are_404(app, client, login_as, network):
    login_as("coordinator")
    other = make_network()
    activity = make_activity(other, soon())
    assert client.get(f"/activities/{activity.id}/edit").status_code == 404
    other_type = services.activity_types(other.id)[0]
    assert client.get(f"/activities/types/{other_type.id}").status_code == 404


def _edit_form(client, activity, title: str):
    """Open the edit page and send it back with a new title: (page status, POST response)."""
    page = client.get(f"/activities/{activity.id}/edit")
    token = csrf_token_from(client.get("/activities/").get_data(as_text=True))
    response = client.post(
        f"/activities/{activity.id}/edit",
        data={
            "csrf_token": token,
            "title": title,
            "date": activity.date.isoformat(),
            "start_time": "10:00",
            "end_time": "12:00",
            "facilitators_needed": "1",
        },
    )
    return page.status_code, response


@pytest.mark.parametrize("how", ["planned", "runs"])
def test_a_facilitator_edits_the_activities_they_planned_or_run(
    app, client, login_as, network, how
):
    me = login_as("facilitator")
    if how == "planned":
        activity = make_activity(network, soon(), created_by_id=me.id)
    else:
        activity = make_activity(
            network, soon(), created_by_id=make_user("coordinator", network).id
        )
        make_signup(activity, me)
    assert "/edit" in client.get(f"/activities/{activity.id}").get_data(as_text=True)
    status, response = _edit_form(client, activity, "Mit værksted")
    assert status == 200 and response.status_code == 302
    db.session.expire_all()
    assert activities()[0].title == "Mit værksted"


def test_a_facilitator_cannot_edit_other_peoples_activities(app, client, login_as, network):
    login_as("facilitator")
    other = make_user("facilitator", network)
    activity = make_activity(network, soon(), created_by_id=other.id, title="Andres")
    make_signup(activity, other)
    assert "/edit" not in client.get(f"/activities/{activity.id}").get_data(as_text=True)
    status, response = _edit_form(client, activity, "Overtaget")
    assert status == 403 and response.status_code == 403
    db.session.expire_all()
    assert activities()[0].title == "Andres"


def test_a_coordinator_edits_every_activity(app, client, login_as, network):
    login_as("coordinator")
    activity = make_activity(network, soon(), created_by_id=make_user("facilitator", network).id)
    status, response = _edit_form(client, activity, "Rettet")
    assert status == 200 and response.status_code == 302
    db.session.expire_all()
    assert activities()[0].title == "Rettet"
