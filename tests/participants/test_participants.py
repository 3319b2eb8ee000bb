"""Participants: registration, the status flow, the capacity warning, the list and the page."""

import re
from datetime import date, datetime

import pytest

from netvaerk.audit.models import AuditEvent
from netvaerk.core.registry import current_registry
from netvaerk.extensions import db
from netvaerk.participants.models import Participant, StatusChange

from ..conftest import csrf_token_from
from ..factories import make_attendance, make_meeting, make_network, make_participant
from ..meetings.util import freeze_local_now, post_form

NOW = datetime(2026, 3, 4, 10, 0)  # a Wednesday


@pytest.fixture
def coordinator(app, login_as, monkeypatch):
    freeze_local_now(monkeypatch, NOW)
    return login_as("coordinator")


def _register(client, network, **overrides):
    data = {
        "first_name": "Amina",
        "last_name": "Hassan",
        "housing_area_id": str(network.housing_areas[0].id),
        "birth_year": "1984",
        "readiness_group": "1",
        "phone": "20 30 40 50",
        "email": "",
        "intake_date": "",
        "intake_note": "",
        "consent_date": "2026-03-01",
        "consent_text": "Samtykke til opbevaring",
    }
    data.update(overrides)
    return post_form(client, "/participants/new", "/participants/new", data)


def test_register_a_resident(client, network, coordinator):
    response = _register(client, network)
    assert response.status_code == 302
    participant = db.session.execute(db.select(Participant)).scalar_one()
    assert participant.full_name == "Amina Hassan"
    assert participant.status == "interested"
    assert participant.consent_recorded_by_id == coordinator.id
    assert [c.status for c in participant.status_changes] == ["interested"]
    page = client.get(response.location).get_data(as_text=True)
    assert "40-49" in page and "1984" not in page  # only the age band is shown
    actions = db.session.execute(db.select(AuditEvent.action)).scalars().all()
    assert "participant.create" in actions and "participant.view" in actions


def test_registration_with_an_intake_date_starts_at_intake_held(client, network, coordinator):
    _register(client, network, intake_date="2026-02-20", intake_note="God samtale")
    participant = db.session.execute(db.select(Participant)).scalar_one()
    assert participant.status == "intake"
    assert [(c.status, c.changed_on) for c in participant.status_changes] == [
        ("interested", date(2026, 2, 20)),
        ("intake", date(2026, 2, 20)),
    ]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("first_name", "", "Udfyld dette felt."),
        ("birth_year", "1820", "Skriv et fødselsår mellem"),
        ("birth_year", "abc", "Ikke et gyldigt heltal."),
        ("email", "not-an-email", "Skriv en gyldig e-mailadresse"),
        ("phone", "ring mig", "Skriv telefonnummeret med cifre"),
        ("consent_date", "", "Skriv datoen, hvor deltageren gav samtykke."),
        ("consent_date", "2027-01-01", "Datoen kan ikke ligge i fremtiden."),
        ("readiness_group", "2", "Ikke et gyldigt valg."),
        ("housing_area_id", "999999", "Ikke et gyldigt valg."),
    ],
)
def test_bad_registration_is_refused_in_danish_and_nothing_is_saved(
    client, network, coordinator, field, value, message
):
    response = _register(client, network, **{field: value})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in html
    assert "Ret venligst de markerede felter" in html
    assert db.session.query(Participant).count() == 0


def test_there_is_no_cpr_or_health_field(client, coordinator):
    import re

    html = client.get("/participants/new").get_data(as_text=True).lower()
    names = set(re.findall(r'name="([^"]+)"', html))
    assert "first_name" in names
    assert not any(word in name for name in names for word in ("cpr", "health", "helbred"))
    assert not any("cpr" in c.name or "health" in c.name for c in Participant.__table__.columns)


def test_edit_records_the_changed_fields_in_the_audit_trail(client, network, coordinator):
    participant = make_participant(network, status="interested", consent_date=date(2026, 1, 5))
    url = f"/participants/{participant.id}/edit"
    response = post_form(
        client,
        url,
        url,
        {
            "first_name": "Amina",
            "last_name": "Hassan-Ali",
            "housing_area_id": str(network.housing_areas[1].id),
            "birth_year": "1985",
            "readiness_group": "1",
            "consent_date": "2026-01-05",
        },
    )
    assert response.status_code == 302
    db.session.refresh(participant)
    assert participant.last_name == "Hassan-Ali"
    assert participant.housing_area_id == network.housing_areas[1].id
    event = db.session.execute(
        db.select(AuditEvent).where(AuditEvent.action == "participant.update")
    ).scalar_one()
    assert event.subject_id == participant.id and "last_name" in event.detail
    assert "Hassan" not in event.detail  # names of fields, never values


def _step(client, participant, action, data):
    page = f"/participants/{participant.id}"
    return post_form(client, page, f"{page}/{action}", data)


def test_the_whole_status_flow_with_dates(client, network, coordinator):
    participant = make_participant(network, status="interested")
    assert _step(client, participant, "intake", {"intake_on": "2026-01-10"}).status_code == 302
    assert _step(client, participant, "start", {"start_on": "2026-01-12"}).status_code == 302
    db.session.expire_all()
    assert participant.status == "active" and participant.current_period is not None
    response = _step(
        client, participant, "leave", {"end_on": "2026-02-27", "outcome": "internship"}
    )
    assert response.status_code == 302 and response.location.endswith(
        f"/participants/{participant.id}/left"
    )
    left_page = client.get(response.location).get_data(as_text=True)
    assert "Virksomhedspraktik" in left_page
    db.session.expire_all()
    assert participant.status == "left" and participant.current_period is None
    assert participant.periods[0].end_date == date(2026, 2, 27)
    assert participant.periods[0].outcome == "internship"
    # Coming back: a new period, the old one kept.
    assert _step(client, participant, "return", {"start_on": "2026-03-02"}).status_code == 302
    db.session.expire_all()
    assert participant.status == "active"
    assert [(p.start_date, p.end_date) for p in participant.periods] == [
        (date(2026, 1, 12), date(2026, 2, 27)),
        (date(2026, 3, 2), None),
    ]
    assert [(c.status, c.changed_on) for c in participant.status_changes] == [
        ("intake", date(2026, 1, 10)),
        ("active", date(2026, 1, 12)),
        ("left", date(2026, 2, 27)),
        ("active", date(2026, 3, 2)),
    ]


@pytest.mark.parametrize(
    ("status", "action", "data", "message"),
    [
        ("interested", "start", {"start_on": "2026-03-01"}, "Kun en, der har haft"),
        ("active", "intake", {"intake_on": "2026-03-01"}, "kun registreres for en, der er"),
        ("intake", "leave", {"end_on": "2026-03-01", "outcome": "stopped"}, "Kun en aktiv"),
        ("active", "leave", {"end_on": "2025-12-01", "outcome": "stopped"}, "før starten"),
        ("active", "leave", {"end_on": "2026-03-01", "outcome": ""}, "Vælg et resultat"),
        ("active", "leave", {"end_on": "2026-03-09", "outcome": "stopped"}, "fremtiden"),
        ("interested", "intake", {"intake_on": "03/01/2026"}, "Ikke en gyldig dato."),
    ],
)
def test_steps_the_flow_does_not_allow_change_nothing(
    client, network, coordinator, status, action, data, message
):
    participant = make_participant(network, status=status)
    response = _step(client, participant, action, data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert participant.status == status
    assert db.session.query(StatusChange).count() == 0


def test_capacity_warning_before_exceeding_the_places(client, network, coordinator):
    network.places_group3 = 1
    db.session.commit()
    make_participant(network, "Nadia", "El-Sayed", readiness_group=3)
    newcomer = make_participant(network, "Mustafa", "Demir", status="intake", readiness_group=3)
    response = _step(client, newcomer, "start", {"start_on": "2026-03-02"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Gruppe 3 har 1 pladser, og 1 er optaget" in html
    assert 'name="confirm_over_capacity" value="1"' in html
    db.session.expire_all()
    assert newcomer.status == "intake" and newcomer.periods == []
    confirmed = _step(
        client, newcomer, "start", {"start_on": "2026-03-02", "confirm_over_capacity": "1"}
    )
    assert confirmed.status_code == 302
    db.session.expire_all()
    assert newcomer.status == "active"
    listing = client.get("/participants/").get_data(as_text=True)
    assert "2 af 1 pladser optaget" in listing


def test_no_warning_while_there_are_places(client, network, coordinator):
    make_participant(network, "Nadia", "El-Sayed", readiness_group=1)
    newcomer = make_participant(network, "Mustafa", "Demir", status="intake")
    assert _step(client, newcomer, "start", {"start_on": "2026-03-02"}).status_code == 302


def test_changing_the_group_of_an_active_participant_warns_too(client, network, coordinator):
    make_participant(network, "Nadia", "El-Sayed", readiness_group=3)
    mover = make_participant(network, "Bo", "Rasmussen", readiness_group=1)
    url = f"/participants/{mover.id}/edit"
    data = {
        "first_name": "Bo",
        "last_name": "Rasmussen",
        "housing_area_id": str(network.housing_areas[0].id),
        "readiness_group": "3",
        "consent_date": "2026-01-01",
    }
    response = post_form(client, url, url, data)
    assert response.status_code == 200 and "Gruppe 3 har 1 pladser" in response.get_data(
        as_text=True
    )
    db.session.refresh(mover)
    assert mover.readiness_group == 1
    assert post_form(client, url, url, {**data, "confirm_over_capacity": "1"}).status_code == 302
    db.session.refresh(mover)
    assert mover.readiness_group == 3


def test_list_search_and_filters(client, network, coordinator):
    make_participant(network, "Amina", "Hassan", readiness_group=1)
    make_participant(
        network, "Lone", "Kristensen", status="left", housing_area_id=network.housing_areas[1].id
    )
    make_participant(network, "Mustafa", "Demir", status="interested", readiness_group=3)

    def names(query):
        html = client.get("/participants/" + query).get_data(as_text=True)
        return {n for n in ("Amina", "Lone", "Mustafa") if f">{n} " in html}

    # By default who is in the network now; former participants have a tab of their own.
    assert names("") == {"Amina", "Mustafa"}
    assert names("?status=left") == {"Lone"}
    assert names("?status=all") == {"Amina", "Lone", "Mustafa"}
    assert names("?q=kris") == {"Amina", "Mustafa"}  # a name in the URL is ignored
    token = csrf_token_from(client.get("/participants/").get_data(as_text=True))

    def search(**data):
        searched = client.post("/participants/", data={**data, "csrf_token": token})
        assert searched.status_code == 200
        html = searched.get_data(as_text=True)
        return {n for n in ("Amina", "Lone", "Mustafa") if f">{n} " in html}

    assert search(q="kris") == {"Lone"}  # a name search finds former participants too
    assert search(q="kris", status="active") == set()  # unless a status is chosen
    assert names("?status=interested") == {"Mustafa"}
    assert names("?group=3") == {"Mustafa"}
    assert names(f"?area={network.housing_areas[1].id}") == set()
    assert names(f"?area={network.housing_areas[1].id}&status=all") == {"Lone"}
    assert names("?status=nonsense") == {"Amina", "Mustafa"}  # bad filter: ignored
    tabs = client.get("/participants/").get_data(as_text=True)
    assert 'href="/participants/" aria-current="page">I netværket nu (2)</a>' in tabs
    assert 'href="/participants/?status=left">Tidligere deltagere i alt (1)</a>' in tabs


def test_list_is_paginated_with_a_count(app, client, network, coordinator):
    app.config["NETVAERK_PARTICIPANTS_PAGE_SIZE"] = 2
    for name in ("Anna", "Bent", "Carl", "Dorte", "Emil"):
        make_participant(network, name, "Holm")
    make_participant(network, "Frida", "Holm", status="left")

    def shown(query):
        html = client.get("/participants/" + query).get_data(as_text=True)
        return [n for n in ("Anna", "Bent", "Carl", "Dorte", "Emil", "Frida") if f">{n} " in html]

    first = client.get("/participants/").get_data(as_text=True)
    assert "Deltagere 1–2 af 5" in first and "Side 1 af 3" in first
    assert 'href="/participants/?page=2">Næste</a>' in first
    assert shown("") == ["Anna", "Bent"]
    assert shown("?page=2") == ["Carl", "Dorte"]
    assert shown("?page=3") == ["Emil"]
    assert shown("?page=99") == ["Emil"]  # past the last page: the last page
    for bad in ("0", "-1", "abc", "99999999999999999999"):
        assert client.get(f"/participants/?page={bad}").status_code == 200
    assert shown("?page=abc") == ["Anna", "Bent"]
    assert shown("?status=left") == ["Frida"]
    # A name search's pages are buttons sending the search again: no name in a link.
    token = csrf_token_from(first)
    searched = client.post("/participants/", data={"q": "holm", "page": "2", "csrf_token": token})
    html = searched.get_data(as_text=True)
    assert "Deltagere 3–4 af 6" in html
    assert [n for n in ("Carl", "Dorte") if f">{n} " in html] == ["Carl", "Dorte"]
    assert 'name="page" value="3"' in html
    assert not [link for link in re.findall(r'href="([^"]*)"', html) if "holm" in link.lower()]


def test_unknown_and_other_networks_participants_answer_404(client, network, coordinator):
    other = make_participant(make_network("Andet netværk"))
    for url in (f"/participants/{other.id}", f"/participants/{other.id}/edit", "/participants/999"):
        assert client.get(url).status_code == 404
    response = _step(client, other, "intake", {"intake_on": "2026-03-01"})
    assert response.status_code == 404
    db.session.refresh(other)
    assert other.status == "active"


@pytest.mark.parametrize("role", ["facilitator", "steering", "kiosk"])
def test_only_coordinators_reach_participants(client, network, login_as, role):
    participant = make_participant(network)
    login_as(role)
    assert client.get("/participants/").status_code == 403
    assert client.get(f"/participants/{participant.id}").status_code == 403


def test_kiosk_code_is_stored_hashed_and_validated(client, network, coordinator):
    participant = make_participant(network)
    page = f"/participants/{participant.id}"
    bad = post_form(client, page, f"{page}/code", {"code": "12a4", "repeat": "12a4"})
    assert bad.status_code == 200 and "præcis fire cifre" in bad.get_data(as_text=True)
    differ = post_form(client, page, f"{page}/code", {"code": "1234", "repeat": "4321"})
    assert "De to koder er forskellige" in differ.get_data(as_text=True)
    db.session.refresh(participant)
    assert participant.checkin_code_hash is None
    assert post_form(client, page, f"{page}/code", {"code": "2580", "repeat": "2580"}).status_code
    db.session.refresh(participant)
    assert participant.checkin_code_hash and "2580" not in participant.checkin_code_hash
    post_form(client, page, f"{page}/code/remove", {})
    db.session.refresh(participant)
    assert participant.checkin_code_hash is None


def test_places_settings_validate(client, network, coordinator):
    bad = post_form(
        client,
        "/participants/places",
        "/participants/places",
        {"places_group1": "-1", "places_group3": "1"},
    )
    assert bad.status_code == 200 and "Skriv et tal fra 0 til 200" in bad.get_data(as_text=True)
    ok = post_form(
        client,
        "/participants/places",
        "/participants/places",
        {"places_group1": "8", "places_group3": "2", "group1_label": "Jobparat"},
    )
    assert ok.status_code == 302
    db.session.refresh(network)
    assert (network.places_group1, network.places_group3, network.group1_label) == (
        8,
        2,
        "Jobparat",
    )
    assert "Jobparat" in client.get("/participants/").get_data(as_text=True)


def test_page_and_leaving_show_other_capabilities_parts(client, network, coordinator, slot_part):
    participant = make_participant(network)
    slot_part(
        "participant.page",
        "PART ON THE PAGE {{ ctx.name }}",
        lambda participant: {"name": participant.first_name},
    )
    slot_part("participant.left", "EXIT EVALUATION OFFER", lambda participant: {})
    assert "PART ON THE PAGE Amina" in client.get(f"/participants/{participant.id}").get_data(
        as_text=True
    )
    _step(client, participant, "leave", {"end_on": "2026-03-02", "outcome": "ordinary_job"})
    left = client.get(f"/participants/{participant.id}/left").get_data(as_text=True)
    assert "EXIT EVALUATION OFFER" in left and "Ordinært job" in left


def test_personal_data_hooks_export_and_erase(app, network):
    participant = make_participant(
        network, phone="20304050", email="amina@example.org", intake_note="Noter"
    )
    meeting = make_meeting(network, date(2026, 3, 2))
    make_attendance(meeting, participant)
    exported = current_registry().exporters["participants"](participant)
    assert exported["first_name"] == "Amina" and exported["phone"] == "20304050"
    attendance = current_registry().exporters["meetings"](participant)["attendance"]
    assert attendance[0]["meeting_date"] == "2026-03-02"
    assert exported["periods"][0]["start"] == "2026-01-01"
    import json

    json.dumps(exported)
    current_registry().erasers["participants"](participant)
    db.session.commit()
    db.session.refresh(participant)
    assert "Amina" not in (participant.first_name + participant.last_name)
    assert participant.phone is None and participant.email is None
    assert participant.intake_note is None and participant.birth_year is None
    assert len(participant.periods) == 1  # anonymous figures stay


def test_the_period_table_heads_its_start_column_start_not_the_home_page(
    client, network, coordinator
):
    """msgid "Start" also names the home page ("Forside"): the period column has its own context."""
    participant = make_participant(network)
    html = client.get(f"/participants/{participant.id}").get_data(as_text=True)
    heads = re.findall(r'<th scope="col">([^<]*)</th>', html.split('id="periods-heading"')[1])
    assert heads[:3] == ["Start", "Slut", "Resultat"], heads
    assert "Forside" not in heads


def test_the_code_box_offers_a_code_field_only_when_the_network_uses_codes(
    client, network, coordinator
):
    """'The network does not ask for codes' beside a required code field read as a contradiction."""
    participant = make_participant(network)
    network.checkin_code_required = False
    db.session.commit()
    box = client.get(f"/participants/{participant.id}").get_data(as_text=True)
    box = box.split('id="code-heading"')[1].split("</section>")[0]
    assert "beder ikke om koder" in box
    assert 'name="code"' not in box and 'name="repeat"' not in box
    assert "mødeindstillingerne" in box  # where to turn codes on
    network.checkin_code_required = True
    db.session.commit()
    box = client.get(f"/participants/{participant.id}").get_data(as_text=True)
    box = box.split('id="code-heading"')[1].split("</section>")[0]
    assert 'name="code"' in box and 'name="repeat"' in box


def test_a_name_over_80_characters_is_refused_with_the_limit_and_kept(client, network, coordinator):
    """The browser's maxlength cut long names without a word: the server names the limit."""
    long_name = "Anne-Marie " + "x" * 75  # 86 characters
    page = client.get("/participants/new").get_data(as_text=True)
    assert not re.search(r'<input[^>]*name="first_name"[^>]*maxlength', page)
    response = _register(client, network, first_name=long_name)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Feltet må højst være 80 tegn." in html
    assert f'value="{long_name}"' in html  # the typed text is kept
    assert db.session.query(Participant).count() == 0
