"""Helpers for the evaluation tests: a small form, answering it, rendering page parts."""

from flask import g, render_template_string

from netvaerk.evaluations import services
from netvaerk.evaluations.models import EvaluationForm

from ..conftest import csrf_token_from


def make_form(network, purpose="exit", is_named=False, title="Slutevaluering") -> EvaluationForm:
    """A form with a scale, a yes/no, a single choice, a multiple choice and free text."""
    form = services.create_form(
        network.id,
        title_da=title,
        title_en="Exit evaluation" if title == "Slutevaluering" else title + " (en)",
        purpose=purpose,
        is_named=is_named,
    )
    services.add_question(
        form,
        services.QuestionData(
            kind="scale",
            text_da="Hvor nyttigt?",
            text_en="How useful?",
            low_label_da="Slet ikke",
            low_label_en="Not at all",
            high_label_da="Meget",
            high_label_en="Very",
        ),
    )
    services.add_question(
        form, services.QuestionData(kind="yes_no", text_da="Anbefale?", text_en="Recommend?")
    )
    services.add_question(
        form,
        services.QuestionData(
            kind="single",
            text_da="Hvor ofte?",
            text_en="How often?",
            choices_da=["Sjældent", "Tit"],
            choices_en=["Rarely", "Often"],
        ),
    )
    services.add_question(
        form,
        services.QuestionData(
            kind="multiple",
            text_da="Hvad hjalp?",
            text_en="What helped?",
            required=False,
            choices_da=["CV", "Dansk", "Motion"],
            choices_en=["CV", "Danish", "Exercise"],
        ),
    )
    services.add_question(
        form,
        services.QuestionData(
            kind="text", text_da="Ændringer?", text_en="Changes?", required=False
        ),
    )
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
