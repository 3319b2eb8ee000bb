"""Evaluation forms: versioning, anonymity, the tablet, one-time links, paper, validation."""

import threading
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import DateTime, inspect, text

from netvaerk.audit.models import AuditEvent
from netvaerk.evaluations import answers, delivery, personal, versions
from netvaerk.evaluations import results as result_rules
from netvaerk.evaluations.models import (
    AnswerItem,
    AnswerLink,
    ExitEvaluationStatus,
    FormVersion,
    PendingAnswer,
    Submission,
    TabletSession,
)
from netvaerk.extensions import db
from netvaerk.participants.models import ParticipationPeriod
from netvaerk.timeutil import local_today, utcnow

from ..conftest import log_in
from ..factories import make_network, make_participant, make_user
from .helpers import answer_data, make_form, post_with_page_token, save_answer


def _left(network, first_name="Amina", outcome="internship"):
    """A participant who left yesterday-ish with an outcome."""
    person = make_participant(network, first_name=first_name, status="left")
    period = person.periods[0]
    period.end_date = date(2026, 3, 10)
    period.outcome = outcome
    db.session.commit()
    return person


def _answers(submission_id):
    return (
        db.session.execute(db.select(AnswerItem).where(AnswerItem.submission_id == submission_id))
        .scalars()
        .all()
    )


# --- versioning ------------------------------------------------------------------------------


def test_editing_a_form_with_answers_makes_a_new_version(app, network):
    form = make_form(network)
    version1 = form.current_version
    questions1 = [(q.id, q.text_da, q.kind) for q in version1.questions]
    given, errors = answers.validate_answers(version1.questions, _raw(form))
    assert errors == {}
    submission = save_answer(version1, given)

    scale = version1.questions[0]
    versions.update_question(
        form,
        scale,
        versions.QuestionData(
            kind="scale",
            text_da="Hvor brugbart?",
            text_en="How useful was it?",
            low_label_da="Slet ikke",
            low_label_en="Not at all",
            high_label_da="Meget",
            high_label_en="Very",
        ),
    )
    versions.delete_question(form, version1.questions[1])
    db.session.expire_all()

    assert [v.number for v in form.versions] == [1, 2]
    # The answered version is untouched; the answers still point at it.
    assert [(q.id, q.text_da, q.kind) for q in version1.questions] == questions1
    assert db.session.get(Submission, submission.id).version_id == version1.id
    version2 = form.current_version
    assert len(version2.questions) == len(questions1) - 1
    assert version2.questions[0].text_da == "Hvor brugbart?"
    # A wording change keeps the question's key, so results add up across versions.
    assert version2.questions[0].key == version1.questions[0].key
    # Only one new version although two edits were made.
    versions.add_question(
        form, versions.QuestionData(kind="text", text_da="Mere?", text_en="More?")
    )
    db.session.expire_all()
    assert [v.number for v in form.versions] == [1, 2]


def test_changing_the_kind_of_an_answered_question_makes_it_a_new_question(app, network):
    form = make_form(network)
    save_answer(
        form.current_version,
        answers.validate_answers(form.current_version.questions, _raw(form))[0],
    )
    old = form.current_version.questions[1]
    versions.update_question(
        form, old, versions.QuestionData(kind="text", text_da="Anbefale?", text_en="Recommend?")
    )
    db.session.expire_all()
    new = form.current_version.questions[1]
    assert new.kind == "text" and new.key != old.key
    results = result_rules.form_results(form, (2000, 1), (2100, 12))
    gone = [r for r in results["questions"] if not r.in_current_version]
    assert [r.question.kind for r in gone] == ["yes_no"]
    assert gone[0].yes == 1


def test_editing_a_question_through_the_page_keeps_old_answers(app, client, login_as, network):
    login_as("coordinator")
    form = make_form(network)
    save_answer(
        form.current_version,
        answers.validate_answers(form.current_version.questions, _raw(form))[0],
    )
    question = form.current_version.questions[2]
    url = f"/evaluations/{form.id}/questions/{question.id}"
    page = client.get(url).get_data(as_text=True)
    assert "ny version" in page
    response = post_with_page_token(
        client,
        url,
        {
            "kind": "single",
            "required": "y",
            "text_da": "Hvor tit kom du?",
            "text_en": "How often did you come?",
            "choices_da": "Sjældent\nTit\nHver gang",
            "choices_en": "Rarely\nOften\nEvery time",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert len(form.versions) == 2
    assert [c["da"] for c in form.versions[0].questions[2].choices] == ["Sjældent", "Tit"]
    new_choices = form.current_version.questions[2].choices
    # Unchanged choices keep their value; the new one gets its own.
    assert new_choices[0]["value"] == question.choices[0]["value"]
    assert len({c["value"] for c in new_choices}) == 3


def test_purpose_and_anonymity_cannot_change_once_answered(app, client, login_as, network):
    login_as("coordinator")
    form = make_form(network)
    save_answer(
        form.current_version,
        answers.validate_answers(form.current_version.questions, _raw(form))[0],
    )
    response = post_with_page_token(
        client,
        f"/evaluations/{form.id}",
        {"title_da": "Ny titel", "title_en": "New title", "purpose": "exit", "is_named": "y"},
    )
    assert response.status_code == 200
    assert "hverken formålet" in response.get_data(as_text=True)
    db.session.expire_all()
    assert form.is_named is False and form.title_da == "Slutevaluering"


def test_invalid_question_is_refused_with_a_message(app, client, login_as, network):
    login_as("coordinator")
    form = make_form(network)
    before = len(form.current_version.questions)
    url = f"/evaluations/{form.id}/questions/new"
    response = post_with_page_token(
        client,
        url,
        {"kind": "single", "text_da": "Hvad?", "text_en": "What?", "choices_da": "Kun én"},
    )
    assert response.status_code == 200
    assert "mindst to valgmuligheder" in response.get_data(as_text=True)
    response = post_with_page_token(
        client, url, {"kind": "scale", "text_da": "Hvad?", "text_en": "What?"}
    )
    assert "begge ender" in response.get_data(as_text=True)
    db.session.expire_all()
    assert len(form.current_version.questions) == before


def _raw(form, **kwargs):
    data = answer_data(form, **kwargs)
    return {k: v if isinstance(v, list) else [v] for k, v in data.items()}


# --- validation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"scale": ""}, "Svar venligst på spørgsmålet."),
        ({"scale": "6"}, "Vælg et tal fra 1 til 5."),
        ({"scale": "abc"}, "Vælg et tal fra 1 til 5."),
        ({"yes_no": "maybe"}, "Vælg ja eller nej."),
        ({"single": None}, "Svar venligst på spørgsmålet."),
    ],
)
def test_invalid_answers_are_refused_and_nothing_is_saved(
    app, client, login_as, network, change, message
):
    login_as("coordinator")
    form = make_form(network)
    data = answer_data(form, **change)
    response = post_with_page_token(
        client, f"/evaluations/{form.id}/paper", {**data, "month": "2026-03"}
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in html
    assert "Intet er gemt endnu" in html
    assert db.session.execute(db.select(Submission)).first() is None


def test_a_choice_not_on_the_list_is_refused(app, network):
    form = make_form(network)
    raw = _raw(form)
    single, multi = form.current_version.questions[2:4]
    raw[f"q{single.id}"] = ["made-up"]
    raw[f"q{multi.id}"] = [multi.choices[0]["value"], "other"]
    _, errors = answers.validate_answers(form.current_version.questions, raw)
    assert set(errors) == {single.id, multi.id}
    raw[f"q{single.id}"] = [c["value"] for c in single.choices]
    _, errors = answers.validate_answers(form.current_version.questions, raw)
    assert single.id in errors


# --- anonymity -------------------------------------------------------------------------------


def test_anonymous_answers_store_no_person_and_no_time(app, network):
    form = make_form(network)
    person = _left(network)
    session = delivery.open_on_tablet(form, person, None, utcnow())
    db.session.commit()
    save_answer(
        form.current_version,
        answers.validate_answers(form.current_version.questions, _raw(form))[0],
        participant=person,
        tablet_session=session,
    )
    row = db.session.execute(db.select(Submission)).scalar_one()
    assert row.participant_id is None and row.answered_on is None
    assert row.outcome == "internship"
    # No column of the answer tables can hold a time of submission.
    for model in (Submission, AnswerItem):
        columns = inspect(model).columns
        assert not any(isinstance(c.type, DateTime) for c in columns), model
        assert not any("created" in c.name or "_at" in c.name for c in columns), model
    # Ids are random, not counters.
    assert len(row.id) == 32 and not row.id.isdigit()


def test_answers_of_a_month_cannot_be_ordered_by_submission(app, network):
    form = make_form(network)
    version = form.current_version
    stored = []
    for n in range(1, 6):
        given, _ = answers.validate_answers(version.questions, _raw(form, scale=str(n)))
        stored.append(save_answer(version, given, month=date(2026, 3, 1)).id)
    # Nothing stored orders them: no counter id and (on SQLite) no hidden rowid.
    if db.engine.dialect.name == "sqlite":
        with pytest.raises(Exception, match="rowid"):
            db.session.execute(text("SELECT rowid FROM netvaerk_evaluation_submission"))
        db.session.rollback()
    results = result_rules._submissions(form.id, (2026, 3), (2026, 3))
    assert sorted(s.id for s in results) == [s.id for s in results]  # listed by random id
    assert {s.id for s in results} == set(stored)


def test_the_exit_flag_records_only_that_it_was_answered(app, network):
    form = make_form(network)
    person = _left(network)
    delivery.open_on_tablet(form, person, None, utcnow())
    db.session.commit()
    period = person.periods[0]
    assert delivery.exit_status(period) == "offered"
    session = db.session.execute(db.select(TabletSession)).scalar_one()
    given, _ = answers.validate_answers(form.current_version.questions, _raw(form))
    submission = save_answer(
        form.current_version, given, participant=person, tablet_session=session
    )
    assert delivery.exit_status(period) == "answered"
    status = db.session.execute(db.select(ExitEvaluationStatus)).scalar_one()
    columns = {c.name for c in inspect(ExitEvaluationStatus).columns}
    assert columns == {"id", "network_id", "period_id", "status"}
    assert submission.id not in str(vars(status))
    assert db.session.execute(db.select(TabletSession)).first() is None


def test_named_forms_store_the_participant_and_say_so(app, client, login_as, network):
    login_as("coordinator")
    form = make_form(network, purpose="midway", is_named=True, title="Midtvejs")
    person = make_participant(network)
    delivery.open_on_tablet(form, person, None, utcnow())
    db.session.commit()
    session = db.session.execute(db.select(TabletSession)).scalar_one()
    page = client.get(f"/evaluations/tablet/{session.id}").get_data(as_text=True)
    assert "Dette skema er med navn" in page
    response = post_with_page_token(client, f"/evaluations/tablet/{session.id}", answer_data(form))
    assert response.status_code == 302
    row = db.session.execute(db.select(Submission)).scalar_one()
    assert row.participant_id == person.id and row.answered_on is not None
    assert personal.named_submissions(person)[0].id == row.id
    page = client.get(f"/evaluations/submissions/{row.id}").get_data(as_text=True)
    assert "Amina Hassan" in page and "Sjældent" in page
    assert db.session.execute(
        db.select(AuditEvent).where(AuditEvent.action == "evaluation.named_answer_view")
    ).first()


def test_anonymous_answers_are_never_shown_one_by_one(app, client, login_as, network):
    login_as("coordinator")
    form = make_form(network)
    submission = save_answer(
        form.current_version,
        answers.validate_answers(form.current_version.questions, _raw(form))[0],
    )
    assert client.get(f"/evaluations/submissions/{submission.id}").status_code == 404


# --- the tablet ------------------------------------------------------------------------------


def test_tablet_flow_from_offer_to_check_in_screen(app, client, network):
    coordinator = make_user("coordinator", network)
    kiosk = make_user("kiosk", network)
    form = make_form(network)
    person = _left(network)

    log_in(client, coordinator.email)
    response = post_with_page_token(
        client,
        "/evaluations/offer",
        {"participant_id": person.id, "form_id": form.id, "tablet": "1", "next": "/evaluations/"},
        token_from="/evaluations/",
    )
    assert response.status_code == 302
    assert "venter på tabletten" in client.get("/evaluations/").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": _token(client)})

    log_in(client, kiosk.email)
    home = client.get("/", follow_redirects=True).get_data(as_text=True)
    session = db.session.execute(db.select(TabletSession)).scalar_one()
    assert f"/evaluations/tablet/{session.id}" in home and "Amina H." in home
    page = client.get(f"/evaluations/tablet/{session.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "anonymt" in html and "English" in html
    # English on request.
    client.post(
        "/language",
        data={"lang": "en", "csrf_token": _token(client, f"/evaluations/tablet/{session.id}")},
    )
    assert "How useful?" in client.get(f"/evaluations/tablet/{session.id}").get_data(as_text=True)

    response = post_with_page_token(client, f"/evaluations/tablet/{session.id}", answer_data(form))
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/")  # back to the start/check-in screen
    # Sealed in the pool until k answers can be released together; nothing in the results yet.
    assert db.session.execute(db.select(PendingAnswer)).scalar_one().network_id == network.id
    assert db.session.execute(db.select(Submission)).first() is None
    # Used once: the form is gone from the tablet.
    assert client.get(f"/evaluations/tablet/{session.id}").status_code == 404
    # The kiosk cannot reach the staff pages.
    assert client.get("/evaluations/").status_code == 403


def _token(client, url="/"):
    from ..conftest import csrf_token_from

    return csrf_token_from(client.get(url).get_data(as_text=True))


def test_cancelled_tablet_session_saves_nothing(app, client, login_as, network):
    login_as("coordinator")
    form = make_form(network)
    delivery.open_on_tablet(form, make_participant(network), None, utcnow())
    db.session.commit()
    session = db.session.execute(db.select(TabletSession)).scalar_one()
    response = client.post(
        f"/evaluations/tablet/{session.id}/cancel",
        data={"csrf_token": _token(client, "/evaluations/")},
    )
    assert response.status_code == 302
    # Expired, not deleted: a session that is gone means the form was answered.
    db.session.expire_all()
    assert delivery.pending_tablet_sessions(network.id, utcnow()) == []
    assert db.session.execute(db.select(Submission)).first() is None
    assert db.session.execute(db.select(PendingAnswer)).first() is None


def test_old_tablet_sessions_leave_the_screen(app, network):
    form = make_form(network)
    delivery.open_on_tablet(form, make_participant(network), None, utcnow())
    db.session.commit()
    session = db.session.execute(db.select(TabletSession)).scalar_one()
    session.created_at = datetime(2020, 1, 1)
    db.session.commit()
    assert delivery.pending_tablet_sessions(network.id, utcnow()) == []


# --- one-time links -----------------------------------------------------------------------------


def _make_link(client, form, person):
    response = post_with_page_token(
        client,
        "/evaluations/offer",
        {"participant_id": person.id, "form_id": form.id, "link": "1"},
        token_from="/evaluations/",
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    start = html.index("http://localhost/evaluations/a/")
    return html[start : html.index('"', start)].removeprefix("http://localhost")


def test_one_time_link_works_once(app, client, login_as, network):
    login_as("coordinator")
    form = make_form(network)
    person = _left(network)
    url = _make_link(client, form, person)
    token = url.rsplit("/", 1)[1]
    link = db.session.execute(db.select(AnswerLink)).scalar_one()
    assert link.token_hash != token and token not in link.token_hash
    assert delivery.exit_status(person.periods[0]) == "offered"
    client.post("/logout", data={"csrf_token": _token(client)})

    page = client.get(url)
    assert page.status_code == 200 and "Hvor nyttigt?" in page.get_data(as_text=True)
    response = post_with_page_token(client, url, answer_data(form))
    assert response.status_code == 200
    assert "Tak for dine svar" in response.get_data(as_text=True)
    # Sealed: only the app can read the outcome that goes with the answer.
    pending = db.session.execute(db.select(PendingAnswer)).scalar_one()
    with app.test_request_context():
        opened = answers.unseal(pending.sealed, answers.pool_key(), pending.version_id)
    assert opened["outcome"] == "internship"
    assert b"internship" not in pending.sealed and b"Mere kaffe" not in pending.sealed
    assert delivery.exit_status(person.periods[0]) == "answered"
    # The link is gone with the answer: nothing remains that says whose answer it was.
    assert db.session.execute(db.select(AnswerLink)).first() is None

    again = client.get(url)
    assert again.status_code == 404
    assert "allerede brugt" in again.get_data(as_text=True)
    assert len(db.session.execute(db.select(PendingAnswer)).all()) == 1


def test_expired_and_unknown_links_are_refused(app, client, login_as, network):
    login_as("coordinator")
    form = make_form(network)
    url = _make_link(client, form, make_participant(network))
    link = db.session.execute(db.select(AnswerLink)).scalar_one()
    link.expires_at = datetime(2020, 1, 1)
    db.session.commit()
    response = client.get(url)
    assert response.status_code == 410 and "udløbet" in response.get_data(as_text=True)
    response = client.post(url, data={**answer_data(form), "csrf_token": _token(client, url)})
    assert response.status_code == 410
    assert client.get("/evaluations/a/not-a-token").status_code == 404
    assert db.session.execute(db.select(Submission)).first() is None


def test_link_validity_follows_the_setting(app, network):
    app.config["NETVAERK_ANSWER_LINK_HOURS"] = 2
    form = make_form(network)
    link, _ = delivery.create_answer_link(form, make_participant(network), None, 2, utcnow())
    db.session.commit()
    assert (
        timedelta(hours=1, minutes=59)
        < link.expires_at - link.created_at
        <= timedelta(hours=2, seconds=1)
    )


@pytest.mark.commits
def test_two_answers_at_once_through_one_link_save_one(app, network):
    form = make_form(network)
    _, token = delivery.create_answer_link(form, make_participant(network), None, 48, utcnow())
    db.session.commit()
    url = f"/evaluations/a/{token}"
    pages = []
    clients = [app.test_client() for _ in range(2)]
    for c in clients:
        from ..conftest import csrf_token_from

        pages.append(csrf_token_from(c.get(url).get_data(as_text=True)))
    data = answer_data(form)
    codes = []

    def answer(c, token_value):
        codes.append(c.post(url, data={**data, "csrf_token": token_value}).status_code)

    threads = [
        threading.Thread(target=answer, args=(c, t)) for c, t in zip(clients, pages, strict=False)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    db.session.expire_all()
    # The loser finds the link gone (404) or loses the race to delete it (410).
    assert sorted(codes)[0] == 200 and sorted(codes)[1] in (404, 410)
    assert len(db.session.execute(db.select(PendingAnswer)).all()) == 1


# --- paper ----------------------------------------------------------------------------------


def test_facilitator_types_in_a_paper_answer(app, client, login_as, network):
    login_as("facilitator")
    form = make_form(network)
    person = _left(network, outcome="flex_job")
    url = f"/evaluations/{form.id}/paper"
    # Given on paper first: the offer is what typing the answer in consumes.
    response = post_with_page_token(
        client,
        "/evaluations/offer",
        {"participant_id": person.id, "form_id": form.id, "paper": "1"},
        token_from="/evaluations/",
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(url)
    assert delivery.exit_status(person.periods[0]) == "offered"
    assert person.full_name in client.get(url).get_data(as_text=True)
    response = post_with_page_token(
        client, url, {**answer_data(form), "participant_id": str(person.id)}
    )
    assert response.status_code == 302
    assert delivery.exit_status(person.periods[0]) == "answered"
    assert db.session.execute(db.select(AnswerLink)).first() is None
    # Four more people given it on paper; all wait sealed until five have answered.
    for outcome in ("education", "stopped", "stopped", "moved_away"):
        assert db.session.execute(db.select(Submission)).first() is None
        other = _left(network, outcome=outcome)
        delivery.offer_on_paper(form, other, None, utcnow())
        db.session.commit()
        data = {**answer_data(form), "participant_id": str(other.id)}
        assert post_with_page_token(client, url, data).status_code == 302
    rows = db.session.execute(db.select(Submission)).scalars().all()
    assert len(rows) == 5 and db.session.execute(db.select(PendingAnswer)).first() is None
    today = local_today()
    assert {(r.year, r.month, r.participant_id) for r in rows} == {(today.year, today.month, None)}
    # Flex job, education, three other outcomes: no outcome is shared by five, so none is kept.
    assert {(r.outcome, r.outcome_group) for r in rows} == {(None, None)}


def test_paper_answer_for_someone_not_offered_it_is_refused(app, client, login_as, network):
    login_as("coordinator")
    form = make_form(network)
    stranger = _left(network)
    response = post_with_page_token(
        client,
        f"/evaluations/{form.id}/paper",
        {**answer_data(form), "participant_id": str(stranger.id)},
    )
    assert response.status_code == 200
    assert "Vælg en deltager på listen" in response.get_data(as_text=True)
    assert db.session.execute(db.select(PendingAnswer)).first() is None


# --- access ---------------------------------------------------------------------------------


def test_other_networks_forms_and_unknown_ids_answer_404(app, client, login_as, network):
    login_as("coordinator")
    other = make_network()
    foreign = make_form(other)
    for url in (
        f"/evaluations/{foreign.id}",
        f"/evaluations/{foreign.id}/results",
        f"/evaluations/{foreign.id}/paper",
        "/evaluations/99999",
        "/evaluations/99999/results",
        "/evaluations/answers/nope/redact",
        "/evaluations/submissions/nope",
        "/evaluations/tablet/99999",
    ):
        assert client.get(url).status_code == 404, url
    person = make_participant(network)
    response = post_with_page_token(
        client,
        "/evaluations/offer",
        {"participant_id": person.id, "form_id": foreign.id, "tablet": "1"},
        token_from="/evaluations/",
    )
    assert response.status_code == 404
    assert db.session.execute(db.select(TabletSession)).first() is None


@pytest.mark.parametrize("role", ["steering", "kiosk"])
def test_steering_and_kiosk_cannot_see_forms_or_results(app, client, login_as, network, role):
    login_as(role)
    form = make_form(network)
    for url in (
        "/evaluations/",
        f"/evaluations/{form.id}/results",
        f"/evaluations/{form.id}/paper",
    ):
        assert client.get(url).status_code == 403, url


def test_coordinator_creates_a_form_with_questions_in_both_languages(
    app, client, login_as, network
):
    login_as("coordinator")
    response = post_with_page_token(
        client,
        "/evaluations/new",
        {"title_da": "Aktivitet", "title_en": "", "purpose": "activity"},
    )
    assert response.status_code == 200
    assert db.session.execute(db.select(FormVersion)).first() is None
    response = post_with_page_token(
        client,
        "/evaluations/new",
        {"title_da": "Aktivitet", "title_en": "Activity", "purpose": "activity"},
    )
    assert response.status_code == 302
    form_url = response.headers["Location"]
    form_id = int(form_url.rstrip("/").rsplit("/", 1)[1])
    response = post_with_page_token(
        client,
        f"/evaluations/{form_id}/questions/new",
        {"kind": "yes_no", "required": "y", "text_da": "Var det godt?", "text_en": "Was it good?"},
    )
    assert response.status_code == 302
    page = client.get(f"/evaluations/{form_id}/preview").get_data(as_text=True)
    assert "Var det godt?" in page and "anonymt" in page


def test_period_without_outcome_has_no_exit_flag(app, network):
    person = make_participant(network)
    assert answers.exit_period(person) is None
    assert delivery.exit_status(None) is None
    assert db.session.execute(db.select(ParticipationPeriod)).scalar_one().end_date is None
