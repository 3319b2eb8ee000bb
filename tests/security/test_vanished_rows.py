"""A participant erased while another request uses it answers 404, never a 500 (issue #21,
part 5). The race runs with real concurrent requests on SQLite and, with
NETVAERK_TEST_DATABASE_URL, on PostgreSQL."""

import threading
from datetime import date

import pytest

from netvaerk.extensions import db
from netvaerk.participants.models import Participant
from netvaerk.privacy import services as privacy
from netvaerk.privacy import views as privacy_views

from ..conftest import csrf_token_from, log_in
from ..factories import make_participant, make_user

ERASE = privacy.erase_participant  # the real one, also while a test replaces it


def _erase_elsewhere(app, participant_id: int) -> None:
    """Erase the participant in another thread, with its own session (another request)."""

    def erase():
        with app.app_context():
            ERASE(db.session.get(Participant, participant_id), "test")
            db.session.commit()

    thread = threading.Thread(target=erase)
    thread.start()
    thread.join()


@pytest.fixture
def coordinator(app, client, network):
    """The client, logged in as the network's coordinator."""
    log_in(client, make_user("coordinator", network).email)
    return client


@pytest.mark.commits
def test_erased_during_the_json_export_answers_404(app, coordinator, network, monkeypatch):
    person = make_participant(network)
    person_id = person.id
    original = privacy.export_participant

    def export_then_erased(participant):
        data = original(participant)
        _erase_elsewhere(app, person_id)
        return data

    monkeypatch.setattr(privacy_views.services, "export_participant", export_then_erased)
    response = coordinator.get(f"/privacy/participants/{person_id}/export.json")
    assert response.status_code == 404


@pytest.mark.commits
def test_erased_twice_at_once_answers_404_the_second_time(app, coordinator, network, monkeypatch):
    person = make_participant(network)
    person_id = person.id

    def erased_meanwhile(participant, reason):
        _erase_elsewhere(app, person_id)
        return ERASE(participant, reason)

    monkeypatch.setattr(privacy_views.services, "erase_participant", erased_meanwhile)
    url = f"/privacy/participants/{person_id}/erase"
    token = csrf_token_from(coordinator.get(url).get_data(as_text=True))
    response = coordinator.post(url, data={"csrf_token": token, "reason": "asked", "confirm": "y"})
    assert response.status_code == 404


def _at_once(calls) -> list[int]:
    """Send the requests at the same moment, one thread each; their status codes."""
    barrier = threading.Barrier(len(calls))
    statuses: list[int] = []

    def run(method, url, data):
        barrier.wait()
        response = method(url, data=data) if data is not None else method(url)
        statuses.append(response.status_code)

    threads = [threading.Thread(target=run, args=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


@pytest.mark.commits
def test_exports_and_edits_racing_an_erasure_never_answer_500(app, network):
    """Real requests at the same moment: erase, JSON export, the export page and the edit page."""
    user = make_user("coordinator", network)
    clients = []
    for _ in range(4):
        client = app.test_client()
        log_in(client, user.email)
        clients.append(client)
    for round_ in range(4):
        person_id = make_participant(network, first_name=f"Race{round_}").id
        base = f"/participants/{person_id}"
        erase_url = f"/privacy/participants/{person_id}/erase"
        erase_token = csrf_token_from(clients[0].get(erase_url).get_data(as_text=True))
        edit_token = csrf_token_from(clients[3].get(f"{base}/edit").get_data(as_text=True))
        calls = [
            (clients[0].post, erase_url, {"csrf_token": erase_token, "reason": "x", "confirm": 1}),
            (clients[1].get, f"/privacy/participants/{person_id}/export.json", None),
            (clients[2].get, f"/privacy/participants/{person_id}", None),
            (clients[3].post, f"{base}/edit", {"csrf_token": edit_token, "first_name": "Ny"}),
        ]
        statuses = _at_once(calls)
        assert 500 not in statuses, statuses
        db.session.expire_all()
        assert db.session.get(Participant, person_id) is None


def _raw_answers(version) -> dict:
    """A full answer to every question of the version, whatever their order."""
    raw = {}
    for question in version.questions:
        choices = [choice["value"] for choice in question.choices or []]
        raw[f"q{question.id}"] = {
            "scale": ["4"],
            "yes_no": ["yes"],
            "single": choices[:1],
            "multiple": choices[:1],
            "text": ["Mere kaffe"],
        }[question.kind]
    return raw


@pytest.mark.commits
def test_concurrent_question_moves_never_answer_500(app, network):
    """Moves on a form with answers each copy the version; a copy made meanwhile by another
    request makes the later one a clear message, not a 500 (seen under a parallel crawl)."""
    from netvaerk.evaluations import answers as evaluations

    from ..evaluations.helpers import make_form

    form = make_form(network)
    user = make_user("coordinator", network)
    clients = []
    for _ in range(4):
        client = app.test_client()
        log_in(client, user.email)
        clients.append(client)
    for _round in range(3):
        db.session.expire_all()
        version = form.current_version
        answers, errors = evaluations.validate_answers(version.questions, _raw_answers(version))
        assert errors == {}
        # Released at once (k=1), so the form has answers and each move copies the version.
        evaluations.pool_answer(
            version, answers, today=date.today(), outcome=None, resident=f"r{_round}", k=1
        )
        db.session.commit()
        question = version.questions[1]
        url = f"/evaluations/{form.id}/questions/{question.id}/move"
        tokens = [
            csrf_token_from(c.get(f"/evaluations/{form.id}").get_data(as_text=True))
            for c in clients
        ]
        calls = [
            (client.post, url, {"csrf_token": token, "direction": direction})
            for client, token, direction in zip(
                clients, tokens, ["up", "down", "up", "down"], strict=True
            )
        ]
        statuses = _at_once(calls)
        assert set(statuses) <= {302, 303}, statuses  # moved, or told to look again
