"""The wheel of life: areas, scorings, the chart, the change per area, access and privacy."""

import math
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netvaerk.audit.models import AuditEvent
from netvaerk.extensions import db
from netvaerk.wheel import services
from netvaerk.wheel.models import WheelPersonalArea, WheelScoring

from ..evaluations.helpers import post_with_page_token, render_parts
from ..factories import make_network, make_participant, make_user


def _score(person, day, base, step=0):
    areas = services.active_areas(person.network_id)
    scoring = services.record_scoring(
        person,
        day,
        {a.id: min(10, base + (i % 3) * step) for i, a in enumerate(areas)},
        today=day,
        goal="Job i en butik",
        plan_a="Praktik i Netto",
        plan_b="Løntilskud",
        plan_c="AMU-kursus",
        consent_now=True,
    )
    db.session.commit()  # the service only flushes; the caller commits
    return scoring


def test_a_new_network_gets_the_seeds_default_areas_in_both_languages(app, network):
    areas = services.all_areas(network.id)
    assert [a.name_da for a in areas][:3] == ["Arbejdserfaring", "Opvækst", "Familie"]
    assert len(areas) == 10 and all(a.name_en for a in areas)


def test_recording_a_scoring_through_the_page(app, client, login_as, network):
    login_as("facilitator")
    person = make_participant(network)
    areas = services.active_areas(network.id)
    url = f"/wheel/participants/{person.id}/new"
    data = {f"area_{a.id}": str(i % 11) for i, a in enumerate(areas)}
    data.update(scored_on="2026-01-05", goal="Få et job på et lager", plan_a="Truckcertifikat")
    data["consent"] = "y"  # the separate consent to storing the wheel (art. 9)
    response = post_with_page_token(client, url, data)
    assert response.status_code == 302
    scoring = db.session.execute(db.select(WheelScoring)).scalar_one()
    assert scoring.goal == "Få et job på et lager" and len(scoring.scores) == 10
    # The same day again is refused with a message, nothing changes.
    response = post_with_page_token(client, url, data)
    assert response.status_code == 200
    assert "allerede udfyldt den dag" in response.get_data(as_text=True)
    assert len(db.session.execute(db.select(WheelScoring)).all()) == 1


@pytest.mark.parametrize("bad", ["11", "-1", "", "ti"])
def test_scores_outside_0_to_10_are_refused(app, client, login_as, network, bad):
    login_as("coordinator")
    person = make_participant(network)
    areas = services.active_areas(network.id)
    data = {f"area_{a.id}": "5" for a in areas}
    data[f"area_{areas[0].id}"] = bad
    data["scored_on"] = "2026-01-05"
    response = post_with_page_token(client, f"/wheel/participants/{person.id}/new", data)
    assert response.status_code == 200
    assert "Giv en score fra 0 til 10." in response.get_data(as_text=True)
    assert db.session.execute(db.select(WheelScoring)).first() is None


def test_chart_compares_intake_with_latest_and_shows_the_change(app, client, login_as, network):
    login_as("coordinator")
    person = make_participant(network)
    _score(person, date(2026, 1, 5), 3)
    _score(person, date(2026, 2, 5), 4)
    _score(person, date(2026, 3, 5), 5, step=2)
    wheel = services.comparison(person)
    assert wheel["intake"].scored_on == date(2026, 1, 5)
    assert wheel["latest"].scored_on == date(2026, 3, 5)
    assert [row.change for row in wheel["rows"]][:3] == [2, 4, 6]

    html = client.get(f"/wheel/participants/{person.id}").get_data(as_text=True)
    assert '<svg class="wheel__chart"' in html and 'role="img"' in html
    assert "<title id=" in html and "<desc id=" in html
    assert html.count('class="wheel__intake"') == 1 and html.count('class="wheel__latest"') == 1
    assert "<caption>Score for hvert område (0–10)</caption>" in html
    assert '<span class="change change--up">+6</span>' in html
    assert "Praktik i Netto" in html and "Job i en butik" in html
    assert "style=" not in html and "<script" not in html
    assert db.session.execute(
        db.select(AuditEvent).where(
            AuditEvent.action == "wheel.view", AuditEvent.subject_id == person.id
        )
    ).first()


def test_participant_page_part_shows_the_wheel_to_their_staff_only(app, network):
    person = make_participant(network)
    _score(person, date(2026, 1, 5), 3)
    user = make_user("facilitator", network)
    html = render_parts(
        app, "participant.page", user=user, role="facilitator", current=network, participant=person
    )
    assert "Livshjul" in html and "wheel__chart" in html
    for role, current in (
        ("steering", network),
        ("kiosk", network),
        ("coordinator", make_network()),
    ):
        html = render_parts(app, "participant.page", role=role, current=current, participant=person)
        assert "wheel__chart" not in html, role


def test_the_wheel_on_the_participant_page_is_an_audited_view(app, client, login_as, network):
    coordinator = login_as("coordinator")
    person = make_participant(network)
    _score(person, date(2026, 1, 5), 3)
    html = client.get(f"/participants/{person.id}").get_data(as_text=True)
    assert "wheel__chart" in html
    event = db.session.execute(
        db.select(AuditEvent).where(
            AuditEvent.action == "participant.view", AuditEvent.subject_id == person.id
        )
    ).scalar_one()
    assert event.user_id == coordinator.id


@pytest.mark.parametrize("role", ["steering", "kiosk"])
def test_steering_and_kiosk_cannot_open_wheels(app, client, login_as, network, role):
    login_as(role)
    person = make_participant(network)
    assert client.get(f"/wheel/participants/{person.id}").status_code == 403


def test_other_networks_participants_answer_404(app, client, login_as, network):
    login_as("coordinator")
    foreign = make_participant(make_network())
    assert client.get(f"/wheel/participants/{foreign.id}").status_code == 404
    assert client.get(f"/wheel/participants/{foreign.id}/new").status_code == 404
    assert client.get("/wheel/participants/99999").status_code == 404
    assert client.get("/wheel/areas/99999").status_code == 404


def test_average_change_is_suppressed_below_five_people(app, network):
    people = [make_participant(network, first_name=f"P{i}") for i in range(5)]
    for i, person in enumerate(people[:4]):
        _score(person, date(2026, 1, 5), 3)
        _score(person, date(2026, 3, 5), 3 + i)
    _score(people[4], date(2026, 1, 5), 3)  # only one scoring: does not count
    areas = services.active_areas(network.id)
    result = services.average_change_per_area(network.id, date(2026, 3, 31))
    assert result[areas[0].id]["people"] == 4 and result[areas[0].id]["mean_change"] is None
    _score(people[4], date(2026, 3, 10), 8)
    result = services.average_change_per_area(network.id, date(2026, 3, 31))
    assert result[areas[0].id]["people"] == 5
    assert result[areas[0].id]["mean_change"] == pytest.approx((0 + 1 + 2 + 3 + 5) / 5)
    # Only people re-scored within the period, and only scorings up to its end.
    assert all(
        v["mean_change"] is None
        for v in services.average_change_per_area(
            network.id, date(2026, 3, 31), start=date(2026, 3, 8)
        ).values()
    )
    assert (
        services.average_change_per_area(network.id, date(2026, 2, 1))[areas[0].id]["people"] == 0
    )


def test_areas_can_be_added_renamed_and_retired(app, client, login_as, network):
    login_as("coordinator")
    assert "Arbejdserfaring" in client.get("/wheel/areas").get_data(as_text=True)
    response = post_with_page_token(
        client, "/wheel/areas", {"name_da": "Økonomi", "name_en": "Money"}
    )
    assert response.status_code == 302
    response = post_with_page_token(
        client, "/wheel/areas", {"name_da": "Økonomi", "name_en": "Money"}
    )
    assert response.status_code == 200 and "allerede et område" in response.get_data(as_text=True)
    areas = services.all_areas(network.id)
    assert [a.name_da for a in areas].count("Økonomi") == 1
    health = next(a for a in areas if a.name_en == "Health")
    response = post_with_page_token(
        client, f"/wheel/areas/{health.id}/active", {}, token_from="/wheel/areas"
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert health.id not in {a.id for a in services.active_areas(network.id)}


def test_personal_data_hooks(app, network):
    from netvaerk.core.registry import current_registry

    person = make_participant(network)
    _score(person, date(2026, 1, 5), 3)
    exported = current_registry().exporters["wheel"](person)
    assert exported["scorings"][0]["goal"] == "Job i en butik"
    assert exported["scorings"][0]["scores"]["Familie"] == 3
    current_registry().erasers["wheel"](person)
    db.session.commit()
    assert services.scorings(person) == []


@given(
    count=st.integers(min_value=1, max_value=16),
    scores=st.lists(
        st.one_of(st.none(), st.integers(min_value=-5, max_value=20)), min_size=16, max_size=16
    ),
)
def test_radar_points_stay_inside_the_wheel(count, scores):
    geometry = services.radar_geometry(count, [scores[:count]])
    centre, radius = geometry["centre"], geometry["radius"]
    points = [tuple(map(float, p.split(","))) for p in geometry["polygons"][0].split()]
    assert len(points) == count == len(geometry["labels"]) == len(geometry["spokes"])
    for (x, y), score in zip(points, scores[:count], strict=False):
        distance = math.hypot(x - centre, y - centre)
        assert distance <= radius + 0.2
        expected = radius * min(max(score or 0, 0), 10) / 10
        assert abs(distance - expected) <= 0.2


def test_demo_fills_in_wheels_for_the_demo_participants(app, runner, client):
    from netvaerk.core.models import Network
    from netvaerk.participants.models import Participant

    from ..conftest import log_in

    assert runner.invoke(args=["demo"]).exit_code == 0
    assert runner.invoke(args=["demo"]).exit_code == 0  # idempotent
    demo = db.session.execute(db.select(Network).where(Network.is_demo.is_(True))).scalar_one()
    people = db.session.execute(
        db.select(Participant).where(Participant.network_id == demo.id).order_by(Participant.id)
    ).scalars()
    with_two = [p for p in people if len(services.scorings(p)) == 2]
    assert len(with_two) >= 5  # enough for the statistics' average change per area
    changes = services.average_change_per_area(demo.id, date.today())
    assert all(v["mean_change"] is not None for v in changes.values())
    log_in(client, "coordinator@example.org", "netvaerk-demo")
    html = client.get(f"/wheel/participants/{with_two[0].id}").get_data(as_text=True)
    assert 'class="wheel__latest"' in html
    # Two demo residents chose their own wheel: some areas of the list left out, their own added,
    # and both scorings score them.
    own = db.session.execute(
        db.select(WheelPersonalArea).where(WheelPersonalArea.own_name.is_not(None))
    ).scalars()
    by_person = {}
    for area in own:
        by_person.setdefault(area.participant_id, []).append(area.own_name)
    assert sorted(by_person.values()) == [["Cykling", "Mine børn"], ["Min økonomi"]]
    for participant_id, names in by_person.items():
        person = db.session.get(Participant, participant_id)
        rows = services.comparison(person)["rows"]
        assert len(rows) < len(changes) + len(names)
        scored = {row.area.name("da"): (row.intake, row.latest) for row in rows}
        assert all(None not in scored[name] for name in names)
    html = client.get(f"/wheel/participants/{participant_id}").get_data(as_text=True)
    assert names[-1] in html
