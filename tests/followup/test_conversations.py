"""Conversations every 14 days, the resident's commitments and options, and the due list."""

from datetime import date, timedelta

from sqlalchemy import select

from netvaerk.extensions import db
from netvaerk.followup import conversations, followers
from netvaerk.followup.models import Commitment, Conversation, Option

from ..factories import make_participant
from .util import TODAY, freeze_today, post_form


def _log(client, person, **data):
    url = f"/followup/participants/{person.id}/conversations/new"
    return post_form(client, url, url, data)


def _follows(person, user) -> None:
    """The facilitator is named to follow the resident (need to know, issue 27)."""
    followers.name_follower(person, user.id, "mentor", None)
    db.session.commit()


def test_a_conversation_with_a_commitment_falls_due_again_14_days_later(
    app, client, network, login_as, monkeypatch
):
    freeze_today(monkeypatch)
    user = login_as("facilitator")
    person = make_participant(network, start=date(2026, 2, 2))
    _follows(person, user)
    response = _log(
        client,
        person,
        held_on="2026-03-02",
        present="Amina, Lone (koordinator)",
        agreed="Søge job i lager",
        commitment_1="Sende tre ansøgninger",
        due_1="2026-03-09",
    )
    assert response.status_code == 302
    (talk,) = db.session.execute(select(Conversation)).scalars()
    assert talk.next_due_on == date(2026, 3, 16)
    (commitment,) = talk.commitments
    assert (commitment.text, commitment.due_on, commitment.done) == (
        "Sende tre ansøgninger",
        date(2026, 3, 9),
        False,
    )
    page = client.get(f"/followup/participants/{person.id}").get_data(as_text=True)
    assert "Sende tre ansøgninger" in page and "Søge job i lager" in page


def test_the_interval_is_a_network_setting(app, client, network, login_as, monkeypatch):
    freeze_today(monkeypatch)
    login_as("coordinator")
    response = post_form(
        client,
        "/followup/settings",
        "/followup/settings",
        {"interval_days": "21", "check_months": "1, 6, 12"},
    )
    assert response.status_code == 302
    settings = conversations.settings_for(network.id)
    assert (settings.interval_days, settings.months) == (21, [1, 6, 12])
    person = make_participant(network, start=date(2026, 2, 2))
    _log(client, person, held_on="2026-03-02")
    talk = db.session.execute(select(Conversation)).scalar_one()
    assert talk.next_due_on == date(2026, 3, 23)


def test_bad_settings_are_refused_in_danish(app, client, network, login_as):
    login_as("coordinator")
    response = post_form(
        client,
        "/followup/settings",
        "/followup/settings",
        {"interval_days": "14", "check_months": "1, tre"},
    )
    assert response.status_code == 200
    assert "Angiv månederne som tal" in response.get_data(as_text=True)
    assert conversations.settings_for(network.id).id is None


def test_a_commitment_needs_a_due_date_and_dates_cannot_be_in_the_future(
    app, client, network, login_as, monkeypatch
):
    freeze_today(monkeypatch)
    login_as("coordinator")
    person = make_participant(network, start=date(2026, 2, 2))
    page = _log(client, person, held_on="2026-03-02", commitment_1="Ringe til bageren")
    assert "Angiv datoen, hvor aftalen skal være udført." in page.get_data(as_text=True)
    page = _log(client, person, held_on="2026-03-05")
    assert "Datoen kan ikke ligge i fremtiden." in page.get_data(as_text=True)
    page = _log(client, person, held_on="2026-01-05")
    assert "Datoen kan ikke ligge før personen startede" in page.get_data(as_text=True)
    assert db.session.execute(select(Conversation)).first() is None


def test_due_list_shows_due_and_overdue_conversations_on_the_coordinators_start_page(
    app, client, network, login_as, monkeypatch
):
    freeze_today(monkeypatch)
    user = login_as("coordinator")
    late = make_participant(network, first_name="Sent", start=date(2026, 1, 5))
    soon = make_participant(network, first_name="Snart", start=date(2026, 2, 2))
    later = make_participant(network, first_name="Senere", start=date(2026, 2, 2))
    for person, held in ((late, date(2026, 2, 9)), (soon, date(2026, 2, 23)), (later, TODAY)):
        conversations.log_conversation(person, held, "", "", None, [], user.id, TODAY)
    db.session.commit()
    due = conversations.due_conversations(network.id, TODAY)
    assert [(d.participant.first_name, d.due_on, d.overdue) for d in due] == [
        ("Sent", date(2026, 2, 23), True),
        ("Snart", date(2026, 3, 9), False),
    ]
    home = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "Opfølgning" in home
    assert "Sent Hassan" in home and "Snart Hassan" in home and "Senere" not in home
    assert home.count("Overskredet") == 1
    assert 'class="overdue"' in home


def test_someone_without_a_conversation_is_due_14_days_after_starting(app, network):
    person = make_participant(network, start=date(2026, 2, 16))
    assert conversations.next_due(person, TODAY) == date(2026, 3, 2)
    (due,) = conversations.due_conversations(network.id, TODAY)
    assert due.overdue


def test_marking_commitments_done_and_not_done(app, client, network, login_as, monkeypatch):
    freeze_today(monkeypatch)
    user = login_as("facilitator")
    person = make_participant(network, start=date(2026, 2, 2))
    _follows(person, user)
    conversations.log_conversation(
        person, date(2026, 3, 2), "", "", None, [("Cv", date(2026, 3, 3))], user.id, TODAY
    )
    db.session.commit()
    item = db.session.execute(select(Commitment)).scalar_one()
    page = f"/followup/participants/{person.id}"
    assert "Overskredet" in client.get(page).get_data(as_text=True)
    post_form(client, page, f"/followup/commitments/{item.id}", {})
    db.session.refresh(item)
    assert item.done and item.done_on == TODAY
    post_form(client, page, f"/followup/commitments/{item.id}", {})
    db.session.refresh(item)
    assert not item.done and item.done_on is None


def test_options_narrowed_down_to_plans_a_b_and_c(app, client, network, login_as):
    login_as("coordinator")
    person = make_participant(network)
    page = f"/followup/participants/{person.id}"
    for idea in ("Lager", "Butik", "Chauffør", "Køkken"):
        assert post_form(client, page, f"{page}/options", {"text": idea}).status_code == 302
    ideas = {o.text: o for o in db.session.execute(select(Option)).scalars()}
    post_form(client, page, f"/followup/options/{ideas['Butik'].id}/choose", {"plan": "A"})
    post_form(client, page, f"/followup/options/{ideas['Lager'].id}/choose", {"plan": "A"})
    post_form(client, page, f"/followup/options/{ideas['Køkken'].id}/choose", {"plan": "B"})
    db.session.expire_all()
    chosen = [(o.text, o.plan) for o in conversations.options_of(person.id)]
    assert chosen == [("Lager", "A"), ("Køkken", "B"), ("Butik", None), ("Chauffør", None)]
    post_form(client, page, f"/followup/options/{ideas['Chauffør'].id}/remove", {})
    html = client.get(page).get_data(as_text=True)
    assert "Plan A:" in html and "Chauffør" not in html


def test_an_empty_idea_is_refused(app, client, network, login_as):
    login_as("coordinator")
    person = make_participant(network)
    page = f"/followup/participants/{person.id}"
    response = post_form(client, page, f"{page}/options", {"text": "   "})
    assert response.status_code == 400
    assert "Udfyld venligst feltet." in response.get_data(as_text=True)
    assert db.session.execute(select(Option)).first() is None


def test_the_participant_page_shows_the_next_conversation(app, client, network, login_as):
    login_as("coordinator")
    person = make_participant(network, start=date.today() - timedelta(days=3))
    html = client.get(f"/participants/{person.id}").get_data(as_text=True)
    assert "Næste samtale" in html
    assert f"/followup/participants/{person.id}" in html


def test_chosen_options_are_shown_beside_the_wheels_goal_and_plans(app, client, network, login_as):
    from netvaerk.wheel import services as wheel

    user = login_as("coordinator")
    person = make_participant(network)
    areas = wheel.active_areas(network.id)
    wheel.record_scoring(
        person,
        date(2026, 2, 2),
        {area.id: 5 for area in areas},
        goal="Fast job",
        plan_a="Lagerjob",
        today=date(2026, 2, 2),
        user_id=user.id,
        consent_now=True,
    )
    option = conversations.add_option(person, "Butik", user.id)
    conversations.choose_option(option, "A", user.id)
    db.session.commit()
    html = client.get(f"/followup/participants/{person.id}").get_data(as_text=True)
    assert "Fast job" in html and "Lagerjob" in html and "Butik" in html
    assert f"/wheel/participants/{person.id}" in html


def test_a_resident_at_intake_who_is_overdue_is_on_the_due_list_too(
    app, client, network, login_as, monkeypatch
):
    """Conversations are held from the intake on (IN_COURSE): the page's 'Overdue' and the due
    list agree, both counting the interval from the intake date when there is no start yet."""
    freeze_today(monkeypatch)
    login_as("coordinator")
    person = make_participant(
        network, first_name="Indslus", status="intake", intake_date=date(2026, 2, 2)
    )
    assert conversations.next_due(person, TODAY) == date(2026, 2, 16)
    (due,) = conversations.due_conversations(network.id, TODAY)
    assert (due.participant.id, due.due_on, due.overdue) == (person.id, date(2026, 2, 16), True)
    assert "Indslus Hassan" in client.get("/followup/").get_data(as_text=True)
    assert "Overskredet" in client.get(f"/participants/{person.id}").get_data(as_text=True)
