"""Helpers for the evaluation tests: a small form, answering it, rendering page parts."""

import secrets

from flask import g, render_template_string

from netvaerk.evaluations import versions
from netvaerk.evaluations.models import EvaluationForm
from netvaerk.extensions import db

from ..conftest import csrf_token_from


def make_form(network, purpose="exit", is_named=False, title="Slutevaluering") -> EvaluationForm:
    """A form with a scale, a yes/no, a single choice, a multiple choice and free text."""
    form = versions.create_form(
        network.id,
        title_da=title,
        title_en="Exit evaluation" if title == "Slutevaluering" else title + " (en)",
        purpose=purpose,
        is_named=is_named,
    )
    versions.add_question(
        form,
        versions.QuestionData(
            kind="scale",
            text_da="Hvor nyttigt?",
            text_en="How useful?",
            low_label_da="Slet ikke",
            low_label_en="Not at all",
            high_label_da="Meget",
            high_label_en="Very",
        ),
    )
    versions.add_question(
        form, versions.QuestionData(kind="yes_no", text_da="Anbefale?", text_en="Recommend?")
    )
    versions.add_question(
        form,
        versions.QuestionData(
            kind="single",
            text_da="Hvor ofte?",
            text_en="How often?",
            choices_da=["Sjældent", "Tit"],
            choices_en=["Rarely", "Often"],
        ),
    )
    versions.add_question(
        form,
        versions.QuestionData(
            kind="multiple",
            text_da="Hvad hjalp?",
            text_en="What helped?",
            required=False,
            choices_da=["CV", "Dansk", "Motion"],
            choices_en=["CV", "Danish", "Exercise"],
        ),
    )
    versions.add_question(
        form,
        versions.QuestionData(
            kind="text", text_da="Ændringer?", text_en="Changes?", required=False
        ),
    )
    db.session.commit()
    return form


def answer_data(form, scale="4", yes_no="yes", single=0, multiple=(0, 2), text="Mere kaffe"):
    """POST data answering every question of the form's current version."""
    questions = form.current_version.questions
    scale_q, yes_q, single_q, multi_q, text_q = questions
    data = {f"q{scale_q.id}": scale, f"q{yes_q.id}": yes_no, f"q{text_q.id}": text}
    if single is not None:
        data[f"q{single_q.id}"] = single_q.choices[single]["value"]
    data[f"q{multi_q.id}"] = [multi_q.choices[i]["value"] for i in multiple]
    return data


def post_with_page_token(client, url, data, token_from=None, **kwargs):
    """POST to a page with the CSRF token from that page (or `token_from`), like a browser."""
    token = csrf_token_from(client.get(token_from or url).get_data(as_text=True))
    return client.post(url, data={**data, "csrf_token": token}, **kwargs)


def render_parts(app, slot, user=None, role="coordinator", current=None, **kwargs) -> str:
    """Render a slot's parts the way a host page does, as `role` in the `current` network."""
    with app.test_request_context("/"):
        if user is not None:
            from flask_login import login_user

            login_user(user)
        g.network = current
        g.role = role
        g.memberships = []
        return render_template_string(
            "{% for template, ctx in parts(slot, **kw) %}{% include template %}{% endfor %}",
            slot=slot,
            kw=kwargs,
        )


def save_answer(
    version,
    given,
    *,
    participant=None,
    month=None,
    outcome=None,
    tablet_session=None,
    link=None,
    k=1,
):
    """Store an answer the way the app does. Tests of results release each anonymous answer at
    once (k=1, in the month given); the anonymity tests use the real k. Returns the stored
    submission (None while an anonymous answer waits in the pool)."""
    from netvaerk.evaluations import answers
    from netvaerk.evaluations.models import Submission
    from netvaerk.timeutil import local_today

    before = set(db.session.execute(db.select(Submission.id)).scalars())
    if (version.form.is_named and participant is not None) or tablet_session or link:
        named = answers.save_answer(
            version,
            given,
            today=month or local_today(),
            participant=participant,
            outcome=outcome,
            tablet_session=tablet_session,
            link=link,
            k=k,
        )
    else:  # an anonymous answer of its own resident, sealed as save_answer seals one
        named = None
        answers.pool_answer(
            version,
            given,
            today=month or local_today(),
            outcome=outcome if version.form.purpose == "exit" else None,
            resident=secrets.token_hex(8),
            k=k,
        )
    db.session.commit()
    if named is not None:
        return named
    new = set(db.session.execute(db.select(Submission.id)).scalars()) - before
    return db.session.get(Submission, new.pop()) if len(new) == 1 else None
