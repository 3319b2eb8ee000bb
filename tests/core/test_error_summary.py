"""Every form page shows all its errors at once, in one summary at the top with links to the
fields (macros/forms.html form_errors), and one submit shows them all (issue 29)."""

import re
from pathlib import Path

from ..meetings.util import post_form

TEMPLATES = Path(__file__).resolve().parents[2] / "netvaerk" / "templates"
FIELD_OF = re.compile(r"\{\{\s*field\(\s*([a-z_]+)\.")
SUMMARY_OF = re.compile(r"form_errors\(\s*([a-z_]+)\s*\)")


def test_every_template_with_form_fields_has_the_summary_of_each_form():
    missing, pages = [], 0
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        forms = set(FIELD_OF.findall(text))
        if path.name.startswith("_") and forms:
            continue  # a partial: the page that includes it shows the summary
        summarised = set(SUMMARY_OF.findall(text))
        pages += bool(forms)
        missing += [f"{path.relative_to(TEMPLATES)}: {form}" for form in forms - summarised]
    allowed = {"netvaerk/evaluations/answer.html: form"}  # its own summary, per question
    assert pages > 30  # the scan found the form pages
    assert set(missing) - allowed == set()


def test_one_submit_shows_every_missing_field_in_the_summary(client, network, login_as):
    login_as("coordinator")
    answer = post_form(client, "/participants/new", "/participants/new", {})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    summary = html.split('class="error-summary"')[1].split("</div>")[0]
    for field_id in ("first_name", "last_name", "housing_area_id", "consent_date"):
        assert f'href="#{field_id}"' in summary, field_id


def test_form_level_errors_are_in_the_summary_too(app):
    from flask import render_template_string

    from netvaerk.i18n_forms import BaseForm

    class Check(BaseForm):
        class Meta:
            csrf = False

    with app.test_request_context("/"):
        form = Check()
        form.form_errors.append("Slutningen ligger før starten.")
        html = render_template_string(
            '{% from "netvaerk/macros/forms.html" import form_errors %}{{ form_errors(form) }}',
            form=form,
        )
    assert "Slutningen ligger før starten." in html and "error-summary" in html
