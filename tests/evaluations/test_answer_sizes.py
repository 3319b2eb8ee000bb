"""Answers of any length look alike: every sealed answer of a form version has one size.

Texts in Danish, Arabic and emoji (and the characters JSON escapes), from empty to the cap, are
sealed into the pool; on SQLite the stored length, on PostgreSQL the column size, the row size
and the TOAST table's chunks must be the same for every one. Longer texts are refused with a
message that names the limit, and what was typed stays on the page.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import text

from netvaerk.evaluations import answers
from netvaerk.evaluations.models import PendingAnswer, Submission
from netvaerk.extensions import db

from .helpers import answer_data, make_form, post_with_page_token

CAP = answers.TEXT_CAP
TEXTS = [
    "",
    "Godt",
    "æøå ÆØÅ " * 10,
    ("Jeg fik hjælp til mit CV og lærte nye mennesker at kende i Netværket. " * 40)[:CAP],
    "ø" * CAP,
    ("ساعدني المستشار كثيرا في البحث عن عمل. " * 60)[:CAP],
    "😀" * CAP,
    "👩🏽‍💻" * (CAP // 5),
    '"\\\n\t' * (CAP // 4),
    "a\x01b\x7f" * (CAP // 2),  # control characters are removed, not escaped
]


def _seal_all(form) -> None:
    """Every text as the answer to the form's free-text question, waiting in the pool."""
    version = form.current_version
    for n, written in enumerate(TEXTS):
        raw = {
            key: value if isinstance(value, list) else [value]
            for key, value in answer_data(form, text=written).items()
        }
        given, errors = answers.validate_answers(version.questions, raw)
        assert errors == {}, (n, errors)
        answers.pool_answer(
            version, given, today=date(2026, 3, 1), outcome="stopped", resident=f"r{n}", k=100
        )
    db.session.commit()


def test_every_sealed_answer_of_a_version_has_the_same_size(app, network):
    form = make_form(network)
    _seal_all(form)
    stored = db.session.scalars(db.select(PendingAnswer.sealed)).all()
    assert len(stored) == len(TEXTS)
    assert {len(s) for s in stored} == {12 + answers.sealed_size(form.current_version) + 16}
    if db.engine.dialect.name == "sqlite":
        lengths = db.session.execute(
            text("SELECT length(sealed) FROM netvaerk_evaluation_pending")
        ).scalars()
        assert len(set(lengths)) == 1
        return
    sizes = db.session.execute(
        text(
            "SELECT pg_column_size(sealed), pg_column_size(p.*), octet_length(sealed) "
            "FROM netvaerk_evaluation_pending p"
        )
    ).all()
    assert len(set(sizes)) == 1, sizes
    toast = db.session.execute(
        text(
            "SELECT reltoastrelid::regclass::text FROM pg_class "
            "WHERE relname = 'netvaerk_evaluation_pending'"
        )
    ).scalar_one()
    chunks = db.session.execute(
        text(f"SELECT count(*), sum(octet_length(chunk_data)) FROM {toast} GROUP BY chunk_id")
    ).all()
    # Each answer is stored out of line, uncompressed (it is encrypted), in as many chunks
    # of as many bytes as every other.
    assert len(chunks) == len(TEXTS) and len(set(chunks)) == 1, chunks


def test_free_text_at_the_cap_is_taken_and_longer_is_refused(app, network):
    form = make_form(network)
    question = form.current_version.questions[-1]
    for written in ("😀" * CAP, "ø" * CAP, "x" * (CAP - 1) + "\r\n"):
        given, errors = answers.validate_answers([question], {f"q{question.id}": [written]})
        assert errors == {} and len(given[question.id]["text"]) <= CAP
    given, errors = answers.validate_answers([question], {f"q{question.id}": ["ø" * (CAP + 1)]})
    assert given == {} and str(CAP) in str(errors[question.id])


def test_the_page_names_the_limit_counts_and_keeps_a_refused_text(app, client, login_as, network):
    login_as("coordinator")
    form = make_form(network, is_named=True)
    from ..factories import make_participant

    person = make_participant(network)
    db.session.commit()
    url = f"/evaluations/{form.id}/paper"
    page = client.get(url).get_data(as_text=True)
    assert f"Højst {CAP} tegn." in page and 'data-counter-for="q' in page
    assert "counter.js" in page
    too_long = "Ærlig talt " + "å" * CAP
    data = {**answer_data(form, text=too_long), "participant_id": str(person.id)}
    response = post_with_page_token(client, url, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"Svaret må højst være på {CAP} tegn (det har {len(too_long)})." in html
    assert too_long in html  # kept, to shorten
    assert f"{len(too_long)} / {CAP}" in html
    assert db.session.execute(db.select(Submission)).first() is None
