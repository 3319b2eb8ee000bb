"""Each resident's own wheel (issue 14, seed 001: "Antallet af dele og valget af områder er op
til den enkelte"): which of the network's areas are on it, areas of their own, scoring only
those, old scorings kept readable, and the own areas as personal data."""

import threading
from datetime import date, datetime
from html import unescape

import pytest
from sqlalchemy import func, select

from netvaerk.audit.models import AuditEvent
from netvaerk.extensions import db
from netvaerk.wheel import services
from netvaerk.wheel.models import WheelConsent, WheelPersonalArea, WheelScore, WheelScoring

from ..conftest import csrf_token_from, log_in
from ..evaluations.helpers import post_with_page_token
from ..factories import make_network, make_participant, make_user


def _areas(network):
    return {a.name_da: a for a in services.active_areas(network.id)}


def _choose(person, names, new=None, own_ids=(), consent_now=True):
    """Save the resident's areas through the service, as the page does; commits."""
    areas = _areas_of(person)
    added = services.save_wheel_areas(
        person,
        [areas[name].id for name in names],
        list(own_ids),
        new,
        today=date(2026, 1, 5),
        consent_now=consent_now,
    )
    db.session.commit()
    return added


def _areas_of(person):
    return {a.name_da: a for a in services.active_areas(person.network_id)}


def _rows(person):
    db.session.expire_all()
    return list(
        db.session.execute(
            select(WheelPersonalArea).where(WheelPersonalArea.participant_id == person.id)
        ).scalars()
    )


def _in_english(client):
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    client.post("/language", data={"lang": "en", "csrf_token": token})


def _current_names(person):
    db.session.expire_all()
    return [a.name("da") for a in services.personal_wheel(person).current()]


# --- choosing ----------------------------------------------------------------------------------


def test_until_a_choice_is_made_the_wheel_has_the_networks_active_areas(app, network):
    person = make_participant(network)
    names = [a.name_da for a in services.active_areas(network.id)]
    assert _current_names(person) == names and "Sundhed" in names
    services.set_area_active(_areas(network)["Kultur"], False)
    db.session.commit()
    assert "Kultur" not in _current_names(person)
    assert _rows(person) == []  # nothing is stored about the person by default


def test_choosing_areas_and_adding_an_own_area_on_the_page(app, client, login_as, network):
    user = login_as("facilitator")
    person = make_participant(network)
    areas = _areas(network)
    url = f"/wheel/participants/{person.id}/areas"
    page = client.get(url).get_data(as_text=True)
    # Every area of the list is ticked until the resident chooses, with the English name beside
    # it for a resident who reads English better.
    assert page.count('type="checkbox"') == 11 and page.count("checked") == 10
    assert '<span class="muted" lang="en">(Health)</span>' in page
    chosen = [areas[name].id for name in ("Sprog", "Sundhed", "Familie")]
    response = post_with_page_token(
        client, url, {"areas": chosen, "new_area": "  Min   cykel ", "consent": "y"}
    )
    # An own area added: back to the areas, to add another.
    assert response.status_code == 302 and response.headers["Location"].endswith(url)
    assert "“Min cykel” er føjet til livshjulet." in client.get(url).get_data(as_text=True)
    assert _current_names(person) == ["Familie", "Sprog", "Sundhed", "Min cykel"]
    assert db.session.scalar(select(func.count()).select_from(WheelConsent)) == 1
    event = db.session.execute(
        select(AuditEvent).where(AuditEvent.action == "wheel.areas")
    ).scalar_one()
    assert event.subject_id == person.id and event.user_id == user.id

    # Taking the own area off and a list area on, without a new one: to the wheel's page.
    own = next(row for row in _rows(person) if row.is_own)
    response = post_with_page_token(client, url, {"areas": [*chosen, areas["Vaner"].id]})
    assert response.headers["Location"].endswith(f"/wheel/participants/{person.id}")
    assert _current_names(person) == ["Familie", "Sprog", "Sundhed", "Vaner"]
    page = client.get(url).get_data(as_text=True)
    assert "Min cykel" in page  # still listed, unticked, to put back on
    assert f'value="{own.id}">' in page and f'value="{own.id}" checked' not in page
    # Writing its name again puts it back on the wheel, not a second one.
    post_with_page_token(client, url, {"areas": chosen, "new_area": "min cykel"})
    assert _current_names(person) == ["Familie", "Sprog", "Sundhed", "Min cykel"]
    assert len([row for row in _rows(person) if row.is_own]) == 1


def test_adding_an_own_area_first_keeps_the_lists_areas(app, network):
    """The first own area does not empty the wheel: the areas in use so far stay chosen."""
    person = make_participant(network)
    everything = [a.name_da for a in services.active_areas(network.id)]
    _choose(person, everything, new="Troen")
    assert _current_names(person) == [*everything, "Troen"]


def test_the_wheel_page_lists_the_areas_and_links_to_choosing(app, client, login_as, network):
    login_as("coordinator")
    person = make_participant(network)
    html = client.get(f"/wheel/participants/{person.id}").get_data(as_text=True)
    assert "Netværkets områder, indtil deltageren vælger sine egne." in html
    assert f"/wheel/participants/{person.id}/areas" in html
    _choose(person, ["Sprog"], new="Fodbold")
    html = client.get(f"/wheel/participants/{person.id}").get_data(as_text=True)
    assert "<p>Sprog, Fodbold</p>" in html


# --- validation --------------------------------------------------------------------------------

MESSAGES = {
    "none": (
        "Vælg mindst ét område til livshjulet.",
        "Choose at least one area for the wheel.",
    ),
    "listed": (
        "“sundhed” står på netværkets liste: sæt flueben ved det dér i stedet.",
        "“sundhed” is on the network's list: tick it there instead.",
    ),
    "twice": (
        "“Min Cykel” er allerede på deltagerens livshjul.",
        "“Min Cykel” is on the participant's wheel already.",
    ),
    "long": (
        "Et områdes navn kan højst være på 80 tegn.",
        "The name of an area can be at most 80 characters.",
    ),
}


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize("mistake", list(MESSAGES))
def test_mistakes_are_explained_and_change_nothing(
    app, client, login_as, network, language, mistake
):
    login_as("coordinator")
    person = make_participant(network)
    _choose(person, ["Familie", "Sprog"], new="Min cykel")
    before = [(r.area_id, r.own_name, r.in_use) for r in _rows(person)]
    saved = select(func.count()).where(AuditEvent.action == "wheel.areas")
    audit_before = db.session.scalar(saved)
    if language == "en":
        _in_english(client)
    areas = _areas(network)
    own = next(r for r in _rows(person) if r.is_own)
    keep = {"areas": [areas["Familie"].id], "own": [own.id]}
    data = {
        "none": {"areas": [], "own": []},
        "listed": {**keep, "new_area": "sundhed"},
        "twice": {**keep, "new_area": "Min Cykel"},
        "long": {**keep, "new_area": "x" * 81},
    }[mistake]
    url = f"/wheel/participants/{person.id}/areas"
    response = post_with_page_token(client, url, data)
    assert response.status_code == 200
    html = unescape(response.get_data(as_text=True))
    assert MESSAGES[mistake][language == "en"] in html
    assert [(r.area_id, r.own_name, r.in_use) for r in _rows(person)] == before
    assert db.session.scalar(saved) == audit_before


def test_areas_are_stored_only_with_the_consent_to_store_the_wheel(app, client, login_as, network):
    login_as("coordinator")
    person = make_participant(network)
    url = f"/wheel/participants/{person.id}/areas"
    page = client.get(url).get_data(as_text=True)
    assert "udtrykkelige samtykke" in page  # the consent box, as on the scoring form
    areas = _areas(network)
    response = post_with_page_token(
        client, url, {"areas": [areas["Sprog"].id], "new_area": "Min ryg"}
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Spørg deltageren om samtykke, før livshjulet gemmes." in page
    assert _rows(person) == []
    assert db.session.scalar(select(func.count()).select_from(WheelConsent)) == 0


def test_an_area_from_another_network_or_an_unknown_own_area_is_refused(app, network):
    person = make_participant(network)
    foreign = services.active_areas(make_network().id)[0]
    with pytest.raises(services.WheelError) as refused:
        services.save_wheel_areas(person, [foreign.id], [], None, today=date(2026, 1, 5))
    assert refused.value.field == "areas"
    with pytest.raises(services.WheelError) as refused:
        services.save_wheel_areas(person, [], [12345], None, today=date(2026, 1, 5))
    assert refused.value.field == "own"
    db.session.rollback()
    assert _rows(person) == []


def test_at_most_ten_own_areas(app, network):
    person = make_participant(network)
    for i in range(10):
        own_ids = [r.id for r in _rows(person) if r.is_own]
        _choose(person, ["Sprog"], new=f"Eget {i}", own_ids=own_ids)
    own_ids = [r.id for r in _rows(person) if r.is_own]
    with pytest.raises(services.WheelError, match="højst have 10"):
        services.save_wheel_areas(
            person, [], own_ids, "Eget 10", today=date(2026, 1, 5), consent_now=True
        )


@pytest.mark.commits
def test_the_same_own_area_added_twice_at_once_is_stored_once(app, network):
    """Two devices add the same area at the same moment (real concurrent requests)."""
    person = make_participant(network)
    _choose(person, ["Sprog"])
    url = f"/wheel/participants/{person.id}/areas"
    sprog = _areas(network)["Sprog"].id
    posts = []
    for _ in range(2):
        client = app.test_client()
        log_in(client, make_user("coordinator", network).email)
        token = csrf_token_from(client.get(url).get_data(as_text=True))
        posts.append((client, {"csrf_token": token, "areas": [sprog], "new_area": "Cykling"}))
    barrier = threading.Barrier(2, timeout=10)
    codes = []

    def save(client, data):
        barrier.wait()
        codes.append(client.post(url, data=data).status_code)

    threads = [threading.Thread(target=save, args=post) for post in posts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(code in (200, 302) for code in codes) and 302 in codes
    assert [r.own_name for r in _rows(person) if r.is_own] == ["Cykling"]


# --- scoring -----------------------------------------------------------------------------------


def test_scoring_shows_and_takes_only_the_residents_areas(app, client, login_as, network):
    login_as("facilitator")
    person = make_participant(network)
    own = _choose(person, ["Sprog", "Sundhed"], new="Min cykel")
    areas = _areas(network)
    url = f"/wheel/participants/{person.id}/new"
    page = client.get(url).get_data(as_text=True)
    assert page.count('class="field field--score') == 3
    assert f'name="area_{areas["Sprog"].id}"' in page and f'name="own_{own.id}"' in page
    assert f'name="area_{areas["Familie"].id}"' not in page
    data = {
        f"area_{areas['Sprog'].id}": "4",
        f"area_{areas['Sundhed'].id}": "6",
        f"own_{own.id}": "8",
        "scored_on": "2026-01-06",
    }
    assert post_with_page_token(client, url, data).status_code == 302
    scoring = db.session.execute(select(WheelScoring)).scalar_one()
    assert scoring.score_by_key() == {
        f"area_{areas['Sprog'].id}": 4,
        f"area_{areas['Sundhed'].id}": 6,
        f"own_{own.id}": 8,
    }
    # The service refuses an area that is not on the resident's wheel.
    with pytest.raises(services.WheelError, match="Giv en score"):
        services.record_scoring(
            person, date(2026, 1, 7), {areas["Familie"].id: 5}, today=date(2026, 1, 7)
        )


def test_old_scorings_keep_the_areas_they_were_scored_on(app, client, login_as, network):
    login_as("coordinator")
    person = make_participant(network)
    areas = _areas(network)
    own = _choose(person, ["Familie", "Sprog"], new="Cykling")
    services.record_scoring(
        person,
        date(2026, 1, 5),
        {areas["Familie"].id: 3, areas["Sprog"].id: 4},
        own_scores={own.id: 5},
        today=date(2026, 1, 5),
    )
    db.session.commit()
    # Later the resident takes Familie and their own area off and puts Sundhed on.
    _choose(person, ["Sprog", "Sundhed"])
    services.record_scoring(
        person,
        date(2026, 3, 5),
        {areas["Sprog"].id: 7, areas["Sundhed"].id: 6},
        today=date(2026, 3, 5),
    )
    db.session.commit()
    rows = {
        row.area.name("da"): (row.intake, row.latest) for row in services.comparison(person)["rows"]
    }
    assert rows == {
        "Familie": (3, None),
        "Sprog": (4, 7),
        "Sundhed": (None, 6),
        "Cykling": (5, None),
    }
    html = client.get(f"/wheel/participants/{person.id}").get_data(as_text=True)
    assert '<th scope="row">Cykling</th>' in html and '<th scope="row">Familie</th>' in html
    # Each scoring lists the areas it was scored on.
    intake, later = html.split('<ul class="wheel__history">')[1].split("</details>")[:2]
    assert "<dt>Familie</dt><dd>3</dd>" in intake and "<dt>Cykling</dt><dd>5</dd>" in intake
    assert "Sundhed" not in intake
    assert "<dt>Sundhed</dt><dd>6</dd>" in later and "Cykling" not in later
    # The scoring form now asks only for the areas on the wheel.
    form = client.get(f"/wheel/participants/{person.id}/new").get_data(as_text=True)
    assert form.count('class="field field--score') == 2


# --- personal data -----------------------------------------------------------------------------


def _scored_with_own_area(person):
    areas = _areas_of(person)
    own = _choose(person, ["Familie", "Sundhed"], new="Min ryg")
    services.record_scoring(
        person,
        date(2026, 1, 5),
        {areas["Familie"].id: 6, areas["Sundhed"].id: 2},
        own_scores={own.id: 3},
        today=date(2026, 1, 5),
    )
    db.session.commit()
    return own


def test_the_access_request_lists_the_chosen_and_own_areas(app, client, login_as, network):
    login_as("coordinator")
    person = make_participant(network)
    _scored_with_own_area(person)
    data = client.get(f"/privacy/participants/{person.id}/export.json").get_json()
    wheel = data["wheel"]
    assert wheel["areas_chosen"] == ["Familie", "Sundhed"]
    assert wheel["own_areas"] == [{"name": "Min ryg", "on_the_wheel": True}]
    assert wheel["scorings"][0]["scores"] == {"Familie": 6, "Sundhed": 2, "Min ryg": 3}
    assert "Valgte livshjulets områder for en deltager" in [
        use["purpose"] for use in data["uses_of_the_data"]
    ]
    page = client.get(f"/privacy/participants/{person.id}").get_data(as_text=True)
    assert "Egne områder på livshjulet" in page and "Min ryg" in page
    assert "Områder valgt fra netværkets liste" in page and "På hjulet nu" in page


def test_erasure_deletes_the_own_areas_of_that_person_only(app, client, login_as, network):
    login_as("coordinator")
    person = make_participant(network)
    other = make_participant(network, first_name="Jonas")
    _scored_with_own_area(person)
    kept = _scored_with_own_area(other)
    url = f"/privacy/participants/{person.id}/erase"
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    response = client.post(
        url, data={"csrf_token": token, "reason": "Anmodning om sletning", "confirm": "y"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert {r.participant_id for r in db.session.query(WheelPersonalArea)} == {other.id}
    assert {s.personal_area_id for s in db.session.query(WheelScore)} == {None, kept.id}


def test_withdrawing_the_consent_deletes_the_areas_with_the_wheel(app, client, login_as, network):
    login_as("facilitator")
    person = make_participant(network)
    _scored_with_own_area(person)
    page = client.get(f"/wheel/participants/{person.id}").get_data(as_text=True)
    response = client.post(
        f"/wheel/participants/{person.id}/consent/withdraw",
        data={"csrf_token": csrf_token_from(page)},
    )
    assert response.status_code == 302
    assert _rows(person) == []
    assert db.session.scalar(select(func.count()).select_from(WheelScore)) == 0
    assert db.session.scalar(select(func.count()).select_from(WheelConsent)) == 0
    # Back to the network's areas, as for anyone who never chose.
    assert _current_names(person) == [a.name_da for a in services.active_areas(network.id)]


def test_own_areas_never_reach_the_statistics(app, network, monkeypatch):
    """The steering group's change per area counts the network's areas only, even when five
    people scored the same own area twice."""
    from netvaerk.stats import services as stats

    monkeypatch.setattr("netvaerk.timeutil.local_now", lambda: datetime(2026, 4, 15, 10))
    for i in range(5):
        person = make_participant(network, first_name=f"Hjul{i}")
        areas = _areas_of(person)
        own = _choose(person, ["Sprog"], new="Hemmelig ryg")
        for day, score in ((date(2026, 1, 5), 2), (date(2026, 3, 5), 6)):
            services.record_scoring(
                person, day, {areas["Sprog"].id: score}, own_scores={own.id: score}, today=day
            )
        db.session.commit()
    changes = services.change_per_area([network.id], date(2026, 3, 31))[network.id]
    assert set(changes) == {a.id for a in services.all_areas(network.id)}
    assert changes[_areas(network)["Sprog"].id]["people"] == 5
    report = stats.build_report([network], 2026, 3, exact=True)
    assert report.counts["wheel.people.Sprog"] == 5
    assert not [key for key in report.counts if "Hemmelig" in key]
    wheel = next(s for s in report.sections if s["key"] == "wheel")
    assert "Hemmelig" not in repr(wheel)


# --- access ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["steering", "kiosk"])
def test_only_the_networks_staff_choose_a_residents_areas(app, client, login_as, network, role):
    login_as(role)
    person = make_participant(network)
    url = f"/wheel/participants/{person.id}/areas"
    assert client.get(url).status_code == 403
    token = csrf_token_from(client.get("/", follow_redirects=True).get_data(as_text=True))
    assert client.post(url, data={"csrf_token": token, "new_area": "X"}).status_code == 403
    assert _rows(person) == []


def test_another_networks_resident_answers_404(app, client, login_as, network):
    login_as("coordinator")
    foreign = make_participant(make_network())
    url = f"/wheel/participants/{foreign.id}/areas"
    assert client.get(url).status_code == 404
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    response = client.post(url, data={"csrf_token": token, "new_area": "X", "consent": "y"})
    assert response.status_code == 404
    assert _rows(foreign) == []


def test_generated_data_has_residents_with_their_own_areas(app):
    """`flask generate`: about one resident in six chose their own wheel; every resident with a
    wheel gave consent; a scoring recorded afterwards gets a free id (PostgreSQL's sequence)."""
    from netvaerk.generate import generate
    from netvaerk.participants.models import Participant

    end = date(2026, 3, 4)
    generate(2, 0.5, seed=5, end=end, close_months=False)
    own = db.session.execute(select(WheelPersonalArea).where(WheelPersonalArea.area_id.is_(None)))
    own = own.scalars().all()
    scored = db.session.execute(select(WheelScoring.participant_id).distinct()).scalars().all()
    assert 0 < len({row.participant_id for row in own}) < len(scored) / 2
    consented = db.session.execute(select(WheelConsent.participant_id)).scalars().all()
    assert sorted(consented) == sorted(scored)
    own_scores = db.session.scalar(
        select(func.count()).where(WheelScore.personal_area_id.in_([row.id for row in own]))
    )
    assert own_scores >= len(own)
    person = db.session.get(Participant, own[0].participant_id)
    wheel = services.personal_wheel(person)
    assert own[0] in wheel.current()
    assert len(wheel.current()) < len(services.active_areas(person.network_id)) + 1
    later = services.record_scoring(
        person,
        end,
        {a.id: 5 for a in wheel.current() if not a.is_own},
        own_scores={own[0].id: 5},
        today=end,
    )
    db.session.commit()
    assert later.id == max(db.session.execute(select(WheelScoring.id)).scalars())


def test_a_long_own_area_name_is_not_cut_by_the_browser_but_refused_and_kept(
    app, client, login_as, network
):
    """A maxlength on the field made the browser cut a pasted name without a word (issue 29):
    the server refuses it, names the limit and gives the text back."""
    import re

    login_as("coordinator")
    person = make_participant(network)
    url = f"/wheel/participants/{person.id}/areas"
    page = client.get(url).get_data(as_text=True)
    (field,) = re.findall(r'<input[^>]*name="new_area"[^>]*>', page)
    assert "maxlength" not in field
    long_name = "Cykling " + "y" * 80
    response = post_with_page_token(
        client, url, {"areas": [_areas(network)["Familie"].id], "new_area": long_name}
    )
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 200 and "80 tegn" in html
    assert f'value="{long_name}"' in html
    assert [r for r in _rows(person) if r.is_own] == []
