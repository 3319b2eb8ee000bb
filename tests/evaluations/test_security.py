"""Evaluations and data rights, the audit trail, token links and hostile input (issue 8)."""

from datetime import datetime

from sqlalchemy import select

from netvaerk.audit.models import AuditEvent
from netvaerk.evaluations import answers, delivery
from netvaerk.evaluations.models import AnswerItem, AnswerLink, Submission, TabletSession
from netvaerk.extensions import db
from netvaerk.privacy.services import erase_participant, export_participant
from netvaerk.timeutil import utcnow

from ..factories import make_participant
from ..security.harness import XSS
from .helpers import answer_data, make_form, post_with_page_token, save_answer

ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def _save(form, participant=None, text="Mere kaffe"):
    raw = {k: v if isinstance(v, list) else [v] for k, v in answer_data(form, text=text).items()}
    given, errors = answers.validate_answers(form.current_version.questions, raw)
    assert not errors
    return save_answer(form.current_version, given, participant=participant)


def _actions(action):
    return db.session.execute(select(AuditEvent).where(AuditEvent.action == action)).scalars().all()


def test_access_request_export_and_erasure_cover_named_answers(app, network):
    person = make_participant(network, "Amina", "Hassan")
    named = make_form(network, purpose="midway", is_named=True, title="Midtvejs")
    anonymous = make_form(network, purpose="activity", title="Feedback")
    _save(named, person, text="Jeg vil gerne have mere dansk")
    kept = _save(anonymous, text="Gode oplæg")
    delivery.open_on_tablet(named, person, None, utcnow())
    db.session.commit()
    delivery.create_answer_link(anonymous, person, None, 72, utcnow())
    db.session.commit()

    exported = export_participant(person)["evaluations"]
    answers = exported["named_answers"][0]["answers"]
    assert exported["named_answers"][0]["form"] == "Midtvejs"
    assert {"question": "Ændringer?", "answer": "Jeg vil gerne have mere dansk"} in answers
    assert exported["open_links"] == 1

    erase_participant(person, "Anmodning om sletning")
    db.session.expire_all()
    assert db.session.execute(select(Submission).where(Submission.id != kept.id)).first() is None
    assert db.session.execute(select(AnswerLink)).first() is None
    assert db.session.execute(select(TabletSession)).first() is None
    texts = db.session.execute(select(AnswerItem.text).where(AnswerItem.text.is_not(None)))
    # The anonymous answer stays: nothing ties it to the person.
    assert list(texts.scalars()) == ["Gode oplæg"]


def test_named_answers_seen_saved_and_redacted_are_in_the_audit_trail(
    app, client, login_as, network
):
    coordinator = login_as("coordinator")
    person = make_participant(network, "Amina", "Hassan")
    form = make_form(network, purpose="midway", is_named=True, title="Midtvejs")
    url = f"/evaluations/{form.id}/paper"
    response = post_with_page_token(
        client, url, {**answer_data(form), "month": "2026-03", "participant_id": str(person.id)}
    )
    assert response.status_code == 302
    saved = _actions("evaluation.answer")
    assert [(e.subject_id, e.user_id) for e in saved] == [(person.id, coordinator.id)]

    submission = db.session.execute(select(Submission)).scalar_one()
    assert client.get(f"/evaluations/submissions/{submission.id}").status_code == 200
    assert [e.subject_id for e in _actions("evaluation.named_answer_view")] == [person.id]

    item = next(i for i in submission.items if i.text)
    redact = f"/evaluations/answers/{item.id}/redact"
    assert post_with_page_token(client, redact, {"text": "[udeladt]"}).status_code == 302
    assert [e.subject_id for e in _actions("evaluation.redact")] == [person.id]


def test_free_text_answers_are_escaped_where_they_are_shown(app, client, login_as, network):
    login_as("coordinator")
    person = make_participant(network, "Amina", "Hassan")
    form = make_form(network, is_named=True, title=f"Slut {XSS}")
    submission = _save(form, person, text=XSS)
    item = next(i for i in submission.items if i.text)
    for url in (
        f"/evaluations/{form.id}/results",
        f"/evaluations/submissions/{submission.id}",
        f"/evaluations/answers/{item.id}/redact",
    ):
        html = client.get(url).get_data(as_text=True)
        assert XSS not in html, url
        assert ESCAPED in html, url


def test_token_links_refuse_unknown_used_and_expired_tokens(app, client, network):
    form = make_form(network, purpose="activity", title="Feedback")
    person = make_participant(network)
    assert client.get("/evaluations/a/unknown-token").status_code == 404
    assert client.get("/evaluations/a/" + "x" * 5000).status_code == 404
    link, token = delivery.create_answer_link(form, person, None, 72, utcnow())
    db.session.commit()
    url = f"/evaluations/a/{token}"
    assert post_with_page_token(client, url, answer_data(form)).status_code == 200
    assert client.get(url).status_code == 404  # used: the link is gone with the answer
    _other, expired = delivery.create_answer_link(form, person, None, 72, utcnow())
    db.session.commit()
    db.session.execute(
        AnswerLink.__table__.update()
        .where(AnswerLink.token_hash == delivery.token_hash(expired))
        .values(expires_at=datetime(2020, 1, 1))
    )
    db.session.commit()
    assert client.get(f"/evaluations/a/{expired}").status_code == 410


def test_ids_too_large_for_the_database_answer_404(app, client, login_as, network):
    login_as("coordinator")
    form = make_form(network)
    huge = "9" * 25
    assert client.get(f"/evaluations/{huge}").status_code == 404
    assert client.get(f"/evaluations/{form.id}/questions/{huge}").status_code == 404
    assert client.get(f"/evaluations/tablet/{huge}").status_code == 404
