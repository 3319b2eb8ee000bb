"""Issue #17: a paper answer for a month long ago gets a message and keeps what was typed."""

import pytest

from netvaerk.evaluations.models import Submission
from netvaerk.extensions import db

from .helpers import answer_data, make_form, post_with_page_token


@pytest.mark.parametrize("month", ["1999-01", "0001-01"])
def test_a_paper_answer_long_ago_is_refused_and_the_answers_stay(
    app, client, login_as, network, month
):
    login_as("coordinator")
    form = make_form(network)
    response = post_with_page_token(
        client,
        f"/evaluations/{form.id}/paper",
        {**answer_data(form, text="Gode kolleger"), "month": month},
    )
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "de sidste to år" in text
    assert "Gode kolleger" in text  # the typed answers are kept on the page
    assert db.session.execute(db.select(Submission)).first() is None
