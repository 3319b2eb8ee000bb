"""Results, the statistics service, the reminder panel, page parts and the demo."""

from datetime import date

import pytest

from netvaerk.evaluations import delivery, personal
from netvaerk.evaluations import results as result_rules
from netvaerk.evaluations.models import AnswerItem, EvaluationForm, Submission
from netvaerk.extensions import db
from netvaerk.timeutil import local_today, utcnow

from ..factories import make_network, make_participant, make_user
from .helpers import make_form, render_parts, save_answer


def _answer(
    form, month=date(2026, 3, 1), scale=4, yes=1, single=0, multiple=(0,), text=None, outcome=None
):
    scale_q, yes_q, single_q, multi_q, text_q = form.current_version.questions
    answers = {
        scale_q.id: {"number": scale},
        yes_q.id: {"number": yes},
        single_q.id: {"choices": [single_q.choices[single]["value"]]},
        multi_q.id: {"choices": [multi_q.choices[i]["value"] for i in multiple]},
    }
    if text:
        answers[text_q.id] = {"text": text}
    return save_answer(form.current_version, answers, month=month, outcome=outcome)


def test_results_count_distribution_mean_and_choices(app, client, login_as, network):
    login_as("coordinator")
    form = make_form(network)
    _answer(
        form,
        scale=5,
        multiple=(0, 1),
        text="Amina sagde at kaffen var for tynd",
        outcome="education",
    )
    _answer(form, scale=3, yes=0, single=1, outcome="education")
    _answer(form, scale=4, outcome="ordinary_job")
    _answer(form, month=date(2025, 1, 1), scale=1)  # outside the period

    data = result_rules.form_results(form, (2026, 1), (2026, 6))
    assert data["count"] == 3
    scale, yes_no, single, multiple, free = data["questions"]
    assert scale.distribution == {1: 0, 2: 0, 3: 1, 4: 1, 5: 1} and scale.mean == 4
    assert (yes_no.yes, yes_no.no) == (2, 1)
    assert [n for _, n in single.choice_counts] == [2, 1]
    assert [n for _, n in multiple.choice_counts] == [3, 1, 0]
    assert [i.text for i in free.texts] == ["Amina sagde at kaffen var for tynd"]
    # An outcome is shown only where at least k (5) answers share it.
    assert data["outcomes"] == []
    fine = result_rules.form_results(form, (2026, 1), (2026, 6), k=1)["outcomes"]
    assert dict(fine) == {"education": 2, "ordinary_job": 1}

    page = client.get(f"/evaluations/{form.id}/results?start=2026-01&end=2026-06")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "3 svar fra" in html and "4,0" in html and "kaffen var for tynd" in html
    assert "Færre end 5 svar" in html
    # Redacting before quoting.
    item = free.texts[0]
    from .helpers import post_with_page_token

    response = post_with_page_token(
        client,
        f"/evaluations/answers/{item.id}/redact",
        {"text": "[navn] sagde at kaffen var for tynd"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(AnswerItem, item.id).text.startswith("[navn]")
    assert "Amina sagde" not in client.get(
        f"/evaluations/{form.id}/results?start=2026-01&end=2026-06"
    ).get_data(as_text=True)


def test_facilitators_see_results_but_not_free_text(app, client, login_as, network):
    login_as("facilitator")
    form = make_form(network)
    _answer(form, text="Hemmelig kommentar", month=local_today().replace(day=1))
    html = client.get(f"/evaluations/{form.id}/results").get_data(as_text=True)
    assert "1 svar fra" in html
    assert "Hemmelig kommentar" not in html
    assert (
        client.get(
            f"/evaluations/answers/{form.current_version.questions[4].id}/redact"
        ).status_code
        == 403
    )


def test_results_page_handles_bad_months(app, client, login_as, network):
    login_as("coordinator")
    form = make_form(network)
    response = client.get(f"/evaluations/{form.id}/results?start=yesterday&end=2026-13")
    assert response.status_code == 200
    assert "fx 2026-03" in response.get_data(as_text=True)
    response = client.get(f"/evaluations/{form.id}/results?start=2026-06&end=2026-01")
    assert response.status_code == 200 and "byttet om" in response.get_data(as_text=True)


def test_statistics_service_gives_count_and_means_of_exit_evaluations(app, network):
    form = make_form(network)
    other_purpose = make_form(network, purpose="activity", title="Aktivitet")
    _answer(form, scale=5)
    _answer(form, scale=2)
    _answer(form, scale=4, month=date(2026, 4, 1))
    _answer(other_purpose, scale=1)
    month = result_rules.exit_evaluation_month(network.id, 2026, 3)
    assert month["answers"] == 2
    (entry,) = month["scale_means"].values()
    assert entry["mean"] == 3.5 and entry["n"] == 2 and entry["text_da"] == "Hvor nyttigt?"
    assert result_rules.exit_evaluation_count(network.id, 2026, 4) == 1
    assert result_rules.exit_evaluation_count(make_network().id, 2026, 3) == 0


def test_coordinator_is_reminded_of_unanswered_exit_evaluations(app, client, login_as, network):
    login_as("coordinator")
    make_form(network)
    today = local_today()
    people = []
    for name in ("Amina", "Bilal", "Carina"):
        person = make_participant(network, first_name=name, status="left", start=date(2025, 1, 1))
        person.periods[0].end_date = today
        person.periods[0].outcome = "ordinary_job"
        people.append(person)
    db.session.commit()
    delivery.set_exit_status(people[1].periods[0], "answered")  # as rows from before
    db.session.commit()
    html = client.get("/").get_data(as_text=True)
    assert "Slutevalueringer, der mangler svar" in html
    assert "Amina Hassan" in html and "Carina Hassan" in html and "Bilal Hassan" not in html
    from .helpers import post_with_page_token

    response = post_with_page_token(
        client, f"/evaluations/periods/{people[0].periods[0].id}/declined", {}, token_from="/"
    )
    assert response.status_code == 302
    html = client.get("/").get_data(as_text=True)
    assert "Amina Hassan" not in html and "Carina Hassan" in html


def test_participant_page_part_for_staff_of_the_network_only(app, network):
    form = make_form(network, purpose="midway", is_named=True, title="Midtvejs")
    person = make_participant(network)
    scale_q = form.current_version.questions[0]
    save_answer(
        form.current_version,
        {
            q.id: v
            for q, v in zip(
                form.current_version.questions,
                [
                    {"number": 3},
                    {"number": 1},
                    {"choices": [form.current_version.questions[2].choices[0]["value"]]},
                ],
                strict=False,
            )
        },
        participant=person,
    )
    assert scale_q.id
    user = make_user("coordinator", network)
    html = render_parts(app, "participant.page", user=user, current=network, participant=person)
    assert "Svar med navn" in html and "Midtvejs" in html
    assert "Åbn på tabletten" in html and "Lav et engangslink" in html
    assert (
        render_parts(
            app, "participant.page", role="steering", current=network, participant=person
        ).count("Evalueringer")
        == 0
    )
    other = make_network()
    assert "Evalueringer" not in render_parts(
        app, "participant.page", role="coordinator", current=other, participant=person
    )


def test_left_part_offers_the_exit_evaluation(app, network):
    person = make_participant(network, status="left")
    user = make_user("coordinator", network)
    assert "Tilbyd slutevalueringen" not in render_parts(
        app, "participant.left", user=user, current=network, participant=person
    )  # no exit form yet
    form = make_form(network)
    html = render_parts(app, "participant.left", user=user, current=network, participant=person)
    assert "Tilbyd slutevalueringen" in html
    assert f'name="form_id" value="{form.id}"' in html
    assert f"/evaluations/{form.id}/paper?participant_id={person.id}" in html


def test_kiosk_screen_part_shows_waiting_forms(app, network):
    form = make_form(network)
    person = make_participant(network, first_name="Dilan", last_name="Yilmaz")
    assert (
        render_parts(
            app, "kiosk.screen", role="kiosk", current=network, network=network, meeting=None
        ).strip()
        == ""
    )
    delivery.open_on_tablet(form, person, None, utcnow())
    db.session.commit()
    html = render_parts(
        app, "kiosk.screen", role="kiosk", current=network, network=network, meeting=None
    )
    assert "Dilan Y." in html and "Yilmaz" not in html
    session_id = delivery.pending_tablet_sessions(network.id, utcnow())[0].id
    assert f"/evaluations/tablet/{session_id}" in html
    other = make_network()
    assert (
        render_parts(
            app, "kiosk.screen", role="kiosk", current=other, network=other, meeting=None
        ).strip()
        == ""
    )


def test_personal_data_hooks(app, network):
    from netvaerk.core.registry import current_registry

    named = make_form(network, purpose="midway", is_named=True, title="Midtvejs")
    anonymous = make_form(network)
    person = make_participant(network)
    qs = named.current_version.questions
    answers = {
        qs[0].id: {"number": 2},
        qs[1].id: {"number": 0},
        qs[2].id: {"choices": [qs[2].choices[1]["value"]]},
    }
    save_answer(named.current_version, answers, participant=person)
    _answer(anonymous)
    exported = current_registry().exporters["evaluations"](person)
    assert exported["named_answers"][0]["form"] == "Midtvejs"
    assert {"question": "Hvor ofte?", "answer": "Tit"} in exported["named_answers"][0]["answers"]
    current_registry().erasers["evaluations"](person)
    db.session.commit()
    assert personal.named_submissions(person) == []
    assert db.session.execute(db.select(Submission)).scalar_one().participant_id is None


@pytest.mark.parametrize("purpose", ["exit"])
def test_demo_has_an_exit_evaluation_with_results(app, runner, client, purpose):
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert runner.invoke(args=["demo"]).exit_code == 0  # idempotent
    forms = (
        db.session.execute(db.select(EvaluationForm).where(EvaluationForm.purpose == purpose))
        .scalars()
        .all()
    )
    assert len(forms) == 1
    form = forms[0]
    assert form.title_en and all(q.text_en and q.text_da for q in form.current_version.questions)
    data = result_rules.form_results(form, (2000, 1), (2100, 12))
    assert data["count"] == 15  # three batches of five
    from ..conftest import log_in

    log_in(client, "coordinator@example.org", "netvaerk-demo")
    html = client.get(f"/evaluations/{form.id}/results").get_data(as_text=True)
    assert "15 svar fra" in html and "Hvor nyttigt har Netværket været for dig?" in html
