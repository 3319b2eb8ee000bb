"""A name over its limit is refused with a message that names the limit, and the form keeps the
text; no input carries a `maxlength` that would cut it silently in the browser (issue 29)."""

import pytest

from netvaerk.extensions import db

from ..meetings.util import post_form

# (form page, field, limit, other fields)
NAME_FORMS = [
    ("/rota/chores", "name", 80, {"people_needed": "1", "weekdays": "0"}),
    ("/activities/types", "name_da", 120, {"name_en": "Walk"}),
    ("/wheel/areas", "name_da", 80, {"name_en": "Health"}),
]


@pytest.mark.parametrize(("page", "name", "limit", "other"), NAME_FORMS)
def test_a_name_over_the_limit_is_refused_naming_the_limit_and_kept(
    client, network, login_as, page, name, limit, other
):
    login_as("coordinator")
    assert "maxlength" not in client.get(page).get_data(as_text=True)
    too_long = "Lang " + "x" * limit
    answer = post_form(client, page, page, {name: too_long, **other})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200  # shown again, not saved and redirected
    assert f"Feltet må højst være {limit} tegn" in html
    assert f'value="{too_long}"' in html  # what was typed is kept
    assert 'class="error-summary"' in html


def test_a_participant_name_over_80_characters_is_refused_and_kept(client, network, login_as):
    from netvaerk.participants.models import Participant

    login_as("coordinator")
    assert "maxlength" not in client.get("/participants/new").get_data(as_text=True)
    too_long = "Amina-" + "a" * 80
    answer = post_form(
        client,
        "/participants/new",
        "/participants/new",
        {
            "first_name": too_long,
            "last_name": "Hassan",
            "housing_area_id": str(network.housing_areas[0].id),
            "birth_year": "1984",
            "readiness_group": "1",
            "consent_date": "2026-03-01",
            "consent_text": "Samtykke til opbevaring",
        },
    )
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "Feltet må højst være 80 tegn" in html and f'value="{too_long}"' in html
    assert db.session.execute(db.select(Participant)).first() is None
