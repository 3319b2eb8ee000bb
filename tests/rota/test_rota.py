"""The rota in use: chores, generating, absence, swaps, done marks, parts of other pages."""

import threading
from collections import Counter
from datetime import datetime, timedelta

import pytest
from flask import g
from sqlalchemy import event, func, select

from netvaerk.core.registry import current_registry, parts_for
from netvaerk.extensions import db
from netvaerk.rota import services
from netvaerk.rota.models import Chore, ChoreAssignment, ChoreChange

from ..conftest import csrf_token_from, log_in
from ..factories import make_attendance, make_meeting, make_network, make_participant, make_user
from .conftest import MONDAY, make_chore


def rota_parts(slot: str, **kwargs):
    """The rota's own parts of a slot (other capabilities add theirs to the same slots)."""
    return [(t, c) for t, c in parts_for(slot, **kwargs) if t.startswith("netvaerk/rota/")]


def _assignments(meeting=None):
    db.session.expire_all()
    query = select(ChoreAssignment).order_by(ChoreAssignment.id)
    if meeting is not None:
        query = query.where(ChoreAssignment.meeting_id == meeting.id)
    return list(db.session.execute(query).scalars())


def _generate(network, days=6):
    outcome = services.generate_rota(network.id, MONDAY, MONDAY + timedelta(days=days))
    db.session.commit()  # services only flush; the request (here: the test) commits
    return outcome


# ------------------------------------------------------------------ chores


def test_coordinator_adds_and_edits_chores(login_as, browser, network):
    login_as("coordinator")
    page = browser.get("/rota/chores")
    assert page.status_code == 200
    response = browser.post(
        "/rota/chores",
        {"name": "Opvask", "people_needed": "2", "weekdays": ["0", "2"]},
        token_from="/rota/chores",
        follow_redirects=True,
    )
    assert "Opvask" in response.get_data(as_text=True)
    chore = db.session.execute(select(Chore)).scalar_one()
    assert (chore.people_needed, chore.weekday_list, chore.is_active) == (2, [0, 2], True)
    again = browser.post(
        "/rota/chores",
        {"name": "opvask", "people_needed": "1", "weekdays": ["0"]},
        token_from="/rota/chores",
    )
    assert again.status_code == 200
    assert "findes allerede" in again.get_data(as_text=True)
    bad = browser.post(
        "/rota/chores",
        {"name": "Have", "people_needed": "0"},
        token_from="/rota/chores",
    )
    assert bad.status_code == 200
    assert db.session.execute(select(func.count(Chore.id))).scalar_one() == 1
    edit = browser.post(
        f"/rota/chores/{chore.id}",
        {"name": "Opvask og tørring", "people_needed": "3", "weekdays": ["0", "2", "3"]},
        token_from=f"/rota/chores/{chore.id}",
    )
    assert edit.status_code == 302
    db.session.refresh(chore)
    assert (chore.name, chore.people_needed, chore.weekday_list) == (
        "Opvask og tørring",
        3,
        [0, 2, 3],
    )


def test_chores_are_for_coordinators_and_per_network(app, login_as, client, network):
    other = make_chore(make_network(), "Kaffe")
    login_as("facilitator")
    assert client.get("/rota/chores").status_code == 403
    assert client.get("/rota/").status_code == 200
    coordinator = app.test_client()
    log_in(coordinator, make_user("coordinator", network).email)
    assert coordinator.get(f"/rota/chores/{other.id}").status_code == 404
    assert coordinator.get("/rota/chores/999999").status_code == 404


def test_deactivating_a_chore_with_coming_assignments_asks_first(
    login_as, browser, network, people, week_meetings, chores, clock
):
    _generate(network)
    coffee = chores[0]
    before = len([a for a in _assignments() if a.chore_id == coffee.id])
    assert before == 3
    login_as("coordinator")
    response = browser.post(
        f"/rota/chores/{coffee.id}/deactivate",
        {},
        token_from=f"/rota/chores/{coffee.id}",
        follow_redirects=True,
    )
    assert "3 opgaver på kommende møder" in response.get_data(as_text=True)
    db.session.refresh(coffee)
    assert coffee.is_active
    assert len([a for a in _assignments() if a.chore_id == coffee.id]) == 3
    browser.post(
        f"/rota/chores/{coffee.id}/deactivate",
        {"confirm": "1"},
        token_from=f"/rota/chores/{coffee.id}",
    )
    db.session.refresh(coffee)
    assert not coffee.is_active
    assert [a for a in _assignments() if a.chore_id == coffee.id] == []


# ------------------------------------------------------------------ generating


def test_generate_fills_every_slot_with_expected_people(
    login_as, browser, network, people, week_meetings, chores, clock
):
    away = people[3]
    make_attendance(week_meetings[1], away, status="notified", absence_reason="personal")
    login_as("coordinator")
    response = browser.post(
        "/rota/generate",
        {"start": MONDAY.isoformat(), "end": (MONDAY + timedelta(days=6)).isoformat()},
        token_from="/rota/generate",
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "Rotaen er klar for 3 møder" in html
    rows = _assignments()
    # Monday: coffee 1 + dishes 2 + garden 1; Wednesday and Thursday: coffee 1 + dishes 2.
    assert len(rows) == 4 + 3 + 3
    per_meeting = Counter(a.meeting_id for a in rows)
    assert per_meeting == {week_meetings[0].id: 4, week_meetings[1].id: 3, week_meetings[2].id: 3}
    assert all(a.participant_id != away.id for a in rows if a.meeting_id == week_meetings[1].id)
    # Four people, four chores on Monday: one each.
    monday = [a.participant_id for a in rows if a.meeting_id == week_meetings[0].id]
    assert sorted(monday) == sorted(p.id for p in people)


def test_generate_with_no_meetings_or_too_few_people_changes_nothing(
    login_as, browser, network, people, week_meetings, chores, clock
):
    login_as("coordinator")
    far = MONDAY + timedelta(days=60)
    response = browser.post(
        "/rota/generate",
        {"start": far.isoformat(), "end": (far + timedelta(days=6)).isoformat()},
        token_from="/rota/generate",
    )
    assert response.status_code == 200
    assert "Der er ingen møder" in response.get_data(as_text=True)
    _generate(network)
    before = [(a.id, a.participant_id) for a in _assignments()]
    make_chore(network, "Rengøring", 5)
    response = browser.post(
        "/rota/generate",
        {"start": MONDAY.isoformat(), "end": (MONDAY + timedelta(days=6)).isoformat()},
        token_from="/rota/generate",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Rengøring skal bruge 5 personer" in html and "kun 4 forventes" in html
    assert [(a.id, a.participant_id) for a in _assignments()] == before
    bad = browser.post(
        "/rota/generate",
        {"start": MONDAY.isoformat(), "end": (MONDAY - timedelta(days=1)).isoformat()},
        token_from="/rota/generate",
    )
    assert bad.status_code == 200
    assert [(a.id, a.participant_id) for a in _assignments()] == before


def test_regenerating_keeps_done_and_swapped_assignments(
    network, people, week_meetings, chores, clock
):
    _generate(network)
    monday, wednesday, thursday = week_meetings
    clock(datetime(2026, 3, 2, 10, 0))  # Monday's meeting has started
    done = _assignments(monday)[0]
    services.set_done(done, True, None)
    first, second = _assignments(wednesday)[0], _assignments(thursday)[0]
    if first.participant_id == second.participant_id:
        second = _assignments(thursday)[1]
    services.swap(first, second, None)
    kept = {
        (a.id, a.participant_id)
        for a in _assignments()
        if a.is_done or a.is_manual or a.meeting_id == monday.id
    }
    outcome = _generate(network)
    after = {(a.id, a.participant_id) for a in _assignments()}
    assert kept <= after
    assert outcome.kept == len(kept)
    assert len(_assignments()) == 10


# ------------------------------------------------------------------ absence and re-assigning


def _setup_today(network, people, chores, clock):
    today = make_meeting(network, MONDAY)
    services.generate_rota(network.id, MONDAY, MONDAY)
    clock(datetime(2026, 3, 2, 9, 5))
    return today


def test_notified_absence_opens_the_chore_and_one_click_reassigns_it(
    app, login_as, browser, network, people, chores, clock
):
    today = _setup_today(network, people, chores, clock)
    rows = _assignments(today)
    holder_of = {a.participant_id: a for a in rows}
    away = people[0]
    make_attendance(today, away, status="notified", absence_reason="personal")
    for person in people[1:]:
        make_attendance(today, person)
    opened = holder_of[away.id]
    with app.test_request_context():
        g.role = "facilitator"
        [(template, ctx)] = rota_parts("meeting.today", meeting=today)
        open_rows = [r for r in ctx["rows"] if r.is_open]
        assert [r.assignment.id for r in open_rows] == [opened.id]
    user = login_as("facilitator")
    page = browser.get(f"/rota/meeting/{today.id}").get_data(as_text=True)
    assert "Åben" in page and "Meldt afbud" in page
    response = browser.post(
        f"/rota/assignment/{opened.id}/reassign",
        {"next": f"/rota/meeting/{today.id}"},
        token_from=f"/rota/meeting/{today.id}",
    )
    assert response.status_code == 302 and response.location.endswith(f"/rota/meeting/{today.id}")
    db.session.expire_all()
    db.session.refresh(opened)
    assert opened.participant_id in {p.id for p in people[1:]}
    assert opened.is_manual
    # Four chores, three present: the new holder had exactly one before, so now two; nobody
    # present ends with none.
    load = Counter(a.participant_id for a in _assignments(today))
    assert all(load[p.id] >= 1 for p in people[1:])
    change = db.session.execute(select(ChoreChange)).scalar_one()
    assert (change.action, change.from_participant_id, change.to_participant_id) == (
        "reassign",
        away.id,
        opened.participant_id,
    )
    assert change.changed_by_id == user.id
    again = browser.post(
        f"/rota/assignment/{opened.id}/reassign",
        {},
        token_from=f"/rota/meeting/{today.id}",
        follow_redirects=True,
    )
    assert "ikke længere åben" in again.get_data(as_text=True)


def test_reassign_goes_to_the_present_person_with_the_lowest_load(network, people, clock):
    today = make_meeting(network, MONDAY)
    coffee = make_chore(network, "Kaffe og te")
    services.generate_rota(network.id, MONDAY, MONDAY)
    holder = _assignments(today)[0]
    for person in people:
        if person.id != holder.participant_id:
            make_attendance(today, person)
    clock(datetime(2026, 3, 2, 9, 14))
    rows = services.meeting_rota(today)
    assert not rows[0].is_open  # less than 15 minutes after the start
    clock(datetime(2026, 3, 2, 9, 15))
    assert services.meeting_rota(today)[0].is_open
    away_id = holder.participant_id
    person = services.reassign(holder, None)
    assert person.id != away_id
    assert coffee.id == holder.chore_id


@pytest.mark.commits
def test_two_facilitators_clicking_reassign_at_once_change_it_once(
    app, network, people, chores, clock
):
    today = _setup_today(network, people, chores, clock)
    away = people[0]
    make_attendance(today, away, status="notified", absence_reason="personal")
    for person in people[1:]:
        make_attendance(today, person)
    opened = next(a for a in _assignments(today) if a.participant_id == away.id)
    emails = [make_user("facilitator", network).email for _ in range(2)]
    opened_id, meeting_id = opened.id, today.id
    results = []

    def click(email):
        client = app.test_client()
        log_in(client, email)
        html = client.get(f"/rota/meeting/{meeting_id}").get_data(as_text=True)
        token = csrf_token_from(html)
        barrier.wait()
        response = client.post(f"/rota/assignment/{opened_id}/reassign", data={"csrf_token": token})
        results.append(response.status_code)

    barrier = threading.Barrier(2)
    threads = [threading.Thread(target=click, args=(e,)) for e in emails]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [302, 302]
    db.session.expire_all()
    changes = db.session.execute(select(ChoreChange)).scalars().all()
    assert len(changes) == 1
    db.session.refresh(opened)
    assert opened.participant_id == changes[0].to_participant_id != away.id


# ------------------------------------------------------------------ swaps and done marks


def test_swap_through_the_form_records_who_changed_what(
    login_as, browser, network, people, week_meetings, chores, clock
):
    _generate(network)
    first = _assignments(week_meetings[1])[0]
    second = next(
        a for a in _assignments(week_meetings[2]) if a.participant_id != first.participant_id
    )
    a, b = first.participant_id, second.participant_id
    user = login_as("facilitator")
    page = browser.get(f"/rota/assignment/{first.id}/swap")
    assert page.status_code == 200
    response = browser.post(
        f"/rota/assignment/{first.id}/swap",
        {"other": str(second.id)},
        token_from=f"/rota/assignment/{first.id}/swap",
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "De to opgaver blev byttet" in html
    db.session.expire_all()
    assert db.session.get(ChoreAssignment, first.id).participant_id == b
    assert db.session.get(ChoreAssignment, second.id).participant_id == a
    changes = db.session.execute(select(ChoreChange).order_by(ChoreChange.id)).scalars().all()
    assert [(c.action, c.from_participant_id, c.to_participant_id) for c in changes] == [
        ("swap", a, b),
        ("swap", b, a),
    ]
    assert {c.changed_by_id for c in changes} == {user.id}
    assert "byttet fra" in html and user.name in html


def test_swap_that_would_double_a_chore_is_refused(network, people, chores, clock):
    today = make_meeting(network, MONDAY)
    services.generate_rota(network.id, MONDAY, MONDAY)
    rows = _assignments(today)
    dishes = [a for a in rows if a.chore_id == chores[1].id]
    coffee = next(a for a in rows if a.chore_id == chores[0].id)
    # Giving coffee's holder a dishes slot held by the other dishes person is fine, but
    # swapping the two dishes slots would change nothing: refused with a message.
    try:
        services.swap(dishes[0], dishes[1], None)
    except services.RotaError:
        raise AssertionError("two people on the same chore may swap slots") from None
    other = Chore(network_id=network.id, name="x", people_needed=1, weekdays="0")
    db.session.add(other)
    db.session.commit()
    before = [(a.id, a.participant_id) for a in _assignments()]
    clash = ChoreAssignment(
        network_id=network.id,
        meeting_id=today.id,
        chore_id=chores[1].id,
        slot_no=3,
        participant_id=coffee.participant_id,
    )
    db.session.add(clash)
    db.session.commit()
    try:
        services.swap(coffee, dishes[0], None)
    except services.RotaError as error:
        assert "allerede" in str(error) or "already" in str(error)
    else:
        raise AssertionError("the swap should have been refused")
    assert [(a.id, a.participant_id) for a in _assignments() if a.id != clash.id] == before


def test_marking_done_from_the_start_and_double_clicks(
    login_as, browser, network, people, chores, clock
):
    today = make_meeting(network, MONDAY)
    services.generate_rota(network.id, MONDAY, MONDAY)
    chore = _assignments(today)[0]
    login_as("facilitator")
    early = browser.post(
        f"/rota/assignment/{chore.id}/done",
        {"done": "1"},
        token_from="/rota/",
        follow_redirects=True,
    )
    assert "fra mødets start" in early.get_data(as_text=True)
    db.session.refresh(chore)
    assert not chore.is_done
    clock(datetime(2026, 3, 2, 11, 30))
    for _ in range(2):
        browser.post(f"/rota/assignment/{chore.id}/done", {"done": "1"}, token_from="/rota/")
    db.session.expire_all()
    chore = db.session.get(ChoreAssignment, chore.id)
    assert chore.is_done and chore.done_at is not None
    assert db.session.execute(select(func.count(ChoreChange.id))).scalar_one() == 1
    clock(datetime(2026, 3, 3, 9, 0))  # the day after: still possible
    browser.post(f"/rota/assignment/{chore.id}/done", {"done": "0"}, token_from="/rota/")
    db.session.expire_all()
    assert not db.session.get(ChoreAssignment, chore.id).is_done


# ------------------------------------------------------------------ other pages' parts


def test_kiosk_confirmation_says_your_task_today_in_the_residents_language(
    app, network, people, chores, clock
):
    today = make_meeting(network, MONDAY)
    services.generate_rota(network.id, MONDAY, MONDAY)
    holder = next(p for p in people if p.id in {a.participant_id for a in _assignments(today)})
    names = services.tasks_of(holder.id, today.id)
    with app.test_request_context():
        [(template, ctx)] = rota_parts("kiosk.confirmation", participant=holder, meeting=today)
        html = app.jinja_env.get_template(template).render(ctx=ctx)
        assert f"Din opgave i dag: {', '.join(names)}" in html
    holder.preferred_locale = "en"
    db.session.commit()
    with app.test_request_context():
        [(template, ctx)] = rota_parts("kiosk.confirmation", participant=holder, meeting=today)
        html = app.jinja_env.get_template(template).render(ctx=ctx)
        assert f"Your task today: {', '.join(names)}" in html and 'lang="en"' in html
    nobody = make_participant(network, "Eva", "Berg")
    with app.test_request_context():
        assert rota_parts("kiosk.confirmation", participant=nobody, meeting=today) == []


def test_participant_page_part_lists_coming_chores(
    app, network, people, week_meetings, chores, clock
):
    _generate(network)
    person = people[0]
    with app.test_request_context():
        g.role = "coordinator"
        g.network = network
        [(template, ctx)] = rota_parts("participant.page", participant=person)
        html = app.jinja_env.get_template(template).render(ctx=ctx)
    mine = [a for a in _assignments() if a.participant_id == person.id]
    assert len(ctx["coming"]) == len(mine) > 0
    assert "Kaffe og te" in html or "Opvask" in html or "Have" in html
    with app.test_request_context():
        g.role = "kiosk"
        g.network = network
        assert rota_parts("participant.page", participant=person) == []


def test_week_page_print_page_and_home_panel(
    login_as, client, network, people, week_meetings, chores, clock
):
    _generate(network)
    login_as("coordinator")
    html = client.get(f"/rota/?week={MONDAY.isoformat()}").get_data(as_text=True)
    assert "Kaffe og te" in html and "Amina" in html
    printed = client.get(f"/rota/print?week={MONDAY.isoformat()}").get_data(as_text=True)
    assert "<table" in printed and "Opvask" in printed and "Hassan" not in printed
    assert client.get("/rota/?week=nonsense").status_code == 200
    home = client.get("/").get_data(as_text=True)
    assert "Opgaver i dag" in home


def _count_queries(func_):
    statements = []

    def before(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        func_()
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    return len(statements)


@pytest.mark.commits
def test_rota_pages_issue_a_fixed_number_of_queries(
    app, login_as, client, network, people, week_meetings, chores, clock
):
    login_as("coordinator")
    _generate(network)
    clock(datetime(2026, 3, 2, 9, 30))
    monday = week_meetings[0]

    def load_pages():
        client.get(f"/rota/?week={MONDAY.isoformat()}")
        client.get(f"/rota/print?week={MONDAY.isoformat()}")
        client.get(f"/rota/meeting/{monday.id}")
        with app.test_request_context():
            g.role = "facilitator"
            for template, ctx in parts_for("meeting.today", meeting=monday):
                app.jinja_env.get_template(template).render(ctx=ctx)

    small = _count_queries(load_pages)
    for i in range(12):
        make_participant(network, f"Person{i}", "Test")
    for i in range(5):
        make_chore(network, f"Opgave {i}")
    make_meeting(network, MONDAY + timedelta(days=4))
    _generate(network)
    for person in people:
        make_attendance(monday, person)
    large = _count_queries(load_pages)
    assert small == large


def test_personal_data_export_and_erase(network, people, week_meetings, chores, clock):
    _generate(network)
    person = people[0]
    clock(datetime(2026, 3, 2, 12, 30))
    mine = [a for a in _assignments() if a.participant_id == person.id]
    monday_one = next(a for a in mine if a.meeting_id == week_meetings[0].id)
    services.set_done(monday_one, True, None)
    exported = current_registry().exporters["rota"](person)
    assert len(exported["assignments"]) == len(mine)
    assert any(row["done"] for row in exported["assignments"])
    current_registry().erasers["rota"](person)
    db.session.commit()
    rows = _assignments()
    assert all(a.participant_id != person.id for a in rows)
    kept = db.session.get(ChoreAssignment, monday_one.id)
    assert kept.is_done and kept.participant_id is None  # the count per chore and meeting stays
    assert (
        db.session.execute(
            select(func.count(ChoreChange.id)).where(
                (ChoreChange.from_participant_id == person.id)
                | (ChoreChange.to_participant_id == person.id)
            )
        ).scalar_one()
        == 0
    )
    assert current_registry().exporters["rota"](person)["assignments"] == []
