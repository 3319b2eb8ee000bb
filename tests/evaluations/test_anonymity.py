"""The attacker test: someone who can read the whole database tries to link anonymous exit
answers to residents, and never narrows an answer down to fewer than k residents.

Fifteen residents leave and answer the anonymous exit evaluation through the three routes (the
tablet, a one-time link, paper typed in by staff), each offered and answered in turn, the order
that helps an attacker most. After every answer the attacker takes a snapshot of every table
(on PostgreSQL with the system columns `xmin` and `ctid`) and tries:

- the text of a waiting answer anywhere in the database (it must be sealed);
- equal transaction ids (xmin) between any answer row, released or waiting, and any row that
  names a resident (participant_id, period_id, the participant table, audit events about one);
- creation and physical order: released answers ordered by (xmin, ctid), or by their key, against
  the order in which residents were offered and answered;
- the answer's own fields (month, outcome, outcome group, version) against what is known about
  each resident (their outcome, whether their offer is gone);
- sequences and timestamps on the answer tables.

Each answer's candidate set (residents the attacker cannot tell apart for it) must hold at least
k = 5 residents. Run it on SQLite and, with NETVAERK_TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from datetime import date

import pytest
from sqlalchemy import DateTime, String, inspect, text

from netvaerk.evaluations.answers import K
from netvaerk.evaluations.models import (
    AnswerItem,
    PendingAnswer,
    Submission,
    TabletSession,
    outcome_group,
)
from netvaerk.extensions import db

from ..conftest import csrf_token_from, log_in
from ..factories import make_participant, make_user
from .helpers import answer_data, make_form, post_with_page_token

# Residents' outcomes: one alone in a flex job (the case of the issue), the rest in groups.
OUTCOMES = ["ordinary_job"] * 4 + ["flex_job"] + ["ordinary_job"] * 3 + ["education"] * 2
OUTCOMES += ["stopped", "moved_away", "stopped", "unknown", "stopped"]
ROUTES = ("tablet", "link", "paper")


def _snapshot() -> dict[str, list[dict]]:
    """Every row of every table, as a reader of the whole database sees it, in the order the
    database returns it (physical order), with xmin and ctid on PostgreSQL."""
    postgres = db.engine.dialect.name == "postgresql"
    view = {}
    # A session of its own sees what was saved: on the test's connection, or on a new one.
    with db.session.session_factory() as reader:
        for table in db.metadata.sorted_tables:
            extra = ", xmin::text::bigint AS _xmin, ctid::text AS _ctid" if postgres else ""
            rows = reader.execute(text(f'SELECT *{extra} FROM "{table.name}"')).mappings()
            view[table.name] = [dict(row) for row in rows]
    return view


def _persons_of(table: str, row: dict, period_owner: dict[int, int]) -> set[int]:
    """The residents a row names (directly, through a period, or as an audit subject)."""
    if table == "netvaerk_participant":
        return {row["id"]}
    if row.get("participant_id"):
        return {row["participant_id"]}
    if row.get("period_id") in period_owner:
        return {period_owner[row["period_id"]]}
    if table == "netvaerk_audit_event" and row.get("subject_type") == "participant":
        return {row["subject_id"]}
    return set()


def _ctid_key(row: dict) -> tuple[int, int]:
    page, tuple_index = row["_ctid"].strip("()").split(",")
    return int(page), int(tuple_index)


class Attacker:
    """Everything the attacker works out from one snapshot."""

    def __init__(self, view: dict[str, list[dict]], truth: dict[str, int]) -> None:
        self.view = view
        self.postgres = db.engine.dialect.name == "postgresql"
        self.period_owner = {
            p["id"]: p["participant_id"] for p in view["netvaerk_participation_period"]
        }
        self.outcome_of = {
            p["participant_id"]: p["outcome"] for p in view["netvaerk_participation_period"]
        }
        self.residents = {p["id"] for p in view["netvaerk_participant"]}
        items = defaultdict(list)
        for item in view["netvaerk_evaluation_answer"]:
            items[item["submission_id"]].append(item)
        self.items = items
        self.released = [
            s for s in view["netvaerk_evaluation_submission"] if not s["participant_id"]
        ]
        # Ground truth, known to the test only: the marker text in each answer.
        self.owner = {}
        for submission in self.released:
            texts = [i["text"] for i in items[submission["id"]] if i["text"]]
            self.owner[submission["id"]] = truth[texts[0]]

    def person_rows(self):
        """(table, row, residents) for every row that names a resident."""
        for table, rows in self.view.items():
            if table in ("netvaerk_evaluation_submission", "netvaerk_evaluation_answer"):
                continue
            for row in rows:
                persons = _persons_of(table, row, self.period_owner)
                if persons:
                    yield table, row, persons

    def xmin_candidates(self, xmins: set[int]) -> set[int]:
        """Residents named by any row written in the same transaction as the answer."""
        found = set()
        for _table, row, persons in self.person_rows():
            if row["_xmin"] in xmins:
                found |= persons
        return found

    def features(self, submission: dict) -> tuple:
        """What tells released answers apart: fields, and the transaction that wrote them."""
        xmin = submission.get("_xmin")
        item_xmins = frozenset(i.get("_xmin") for i in self.items[submission["id"]])
        return (
            submission["network_id"],
            submission["version_id"],
            submission["year"],
            submission["month"],
            submission["outcome"],
            submission["outcome_group"],
            xmin,
            item_xmins,
        )

    def consistent(self, submission: dict, person: int) -> bool:
        """Could this resident have given this answer, by what the database says about them?"""
        outcome = self.outcome_of.get(person)
        if submission["outcome"] is not None and submission["outcome"] != outcome:
            return False
        group = submission["outcome_group"]
        return group is None or group == outcome_group(outcome)

    def candidates(self, submission: dict) -> set[int]:
        """The residents the attacker cannot tell apart for this answer: the owners of every
        answer with the same features (they look the same), narrowed by their own data."""
        same = [s for s in self.released if self.features(s) == self.features(submission)]
        return {
            self.owner[s["id"]] for s in same if self.consistent(submission, self.owner[s["id"]])
        }


def _offer(client, form, person, route) -> str | None:
    """Offer the form to a resident by a route; returns the link path for "link"."""
    data = {"participant_id": person.id, "form_id": form.id, route: "1"}
    response = post_with_page_token(client, "/evaluations/offer", data, token_from="/evaluations/")
    if route != "link":
        assert response.status_code == 302
        return None
    html = response.get_data(as_text=True)
    start = html.index("http://localhost/evaluations/a/")
    return html[start : html.index('"', start)].removeprefix("http://localhost")


def _answer(app, coordinator, kiosk, form, person, route, marker) -> None:
    """The resident answers (or staff type in their paper answer) through the route."""
    data = answer_data(form, text=marker)
    link = _offer(coordinator, form, person, route)
    if route == "tablet":
        session_id = db.session.execute(
            db.select(TabletSession.id).where(TabletSession.participant_id == person.id)
        ).scalar_one()
        db.session.rollback()
        url = f"/evaluations/tablet/{session_id}"
        token = csrf_token_from(kiosk.get(url).get_data(as_text=True))
        assert kiosk.post(url, data={**data, "csrf_token": token}).status_code == 302
    elif route == "link":
        phone = app.test_client()
        response = post_with_page_token(phone, link, data)
        assert response.status_code == 200, response.get_data(as_text=True)
    else:
        url = f"/evaluations/{form.id}/paper"
        response = post_with_page_token(coordinator, url, {**data, "participant_id": person.id})
        assert response.status_code == 302


def _assert_unlinkable(view, truth: dict[str, int], pending_markers: set[str]) -> int:
    """Every attack on one snapshot; returns the number of released answers checked."""
    attacker = Attacker(view, truth)
    # 1. A waiting answer is sealed: its words are nowhere in the database.
    for table, rows in view.items():
        for row in rows:
            for value in row.values():
                if isinstance(value, str | bytes):
                    raw = value if isinstance(value, str) else value.decode("latin-1")
                    assert not any(m in raw for m in pending_markers), (table, row)
    if attacker.postgres:
        # 2. No row naming a resident was written in an answer's transaction, released or
        #    waiting (the "answered" mark, the link's "used" flag, an audit event ...).
        for submission in attacker.released:
            xmins = {submission["_xmin"]} | {i["_xmin"] for i in attacker.items[submission["id"]]}
            linked = attacker.xmin_candidates(xmins)
            assert not linked or len(linked) >= K, (submission, linked)
        for pending in view["netvaerk_evaluation_pending"]:
            linked = attacker.xmin_candidates({pending["_xmin"]})
            assert not linked or len(linked) >= K, (pending, linked)
    # 3. The answers' own fields and transactions leave every answer among at least k.
    for submission in attacker.released:
        candidates = attacker.candidates(submission)
        assert attacker.owner[submission["id"]] in candidates
        assert len(candidates) >= K, (submission, candidates)
    return len(attacker.released)


def _order_attack(view, truth: dict[str, int], answer_order: list[int]) -> list[bool]:
    """Guess owners by lining up released answers in creation/physical order with the order in
    which residents answered. Returns, per batch, whether the guess was entirely right."""
    attacker = Attacker(view, truth)
    batches = defaultdict(list)
    for submission in attacker.released:
        batches[attacker.features(submission)[:7]].append(submission)
    rank = {person: n for n, person in enumerate(answer_order)}
    exact = []
    for batch in batches.values():
        if attacker.postgres:
            physical = sorted(batch, key=_ctid_key)
        else:
            physical = batch  # the order SQLite returns them in (WITHOUT ROWID: by random key)
        owners = [attacker.owner[s["id"]] for s in physical]
        exact.append(owners == sorted(owners, key=rank.get))
    return exact


@pytest.mark.commits  # what a reader sees across real transactions (xmin)
def test_no_database_reader_links_an_answer_to_fewer_than_k_residents(app, network):
    form = make_form(network)
    coordinator_user = make_user("coordinator", network)
    kiosk_user = make_user("kiosk", network)
    coordinator, kiosk = app.test_client(), app.test_client()
    log_in(coordinator, coordinator_user.email)
    log_in(kiosk, kiosk_user.email)
    people = []
    for n, outcome in enumerate(OUTCOMES):
        person = make_participant(network, first_name=f"Beboer{n}", status="left")
        person.periods[0].end_date = date(2026, 3, 10)
        person.periods[0].outcome = outcome
        people.append(person)
    db.session.commit()

    truth: dict[str, int] = {}
    pending_markers: set[str] = set()
    answer_order: list[int] = []
    checked = 0
    for n, person in enumerate(people):
        marker = f"svar-{secrets.token_hex(6)}"
        truth[marker] = person.id
        pending_markers.add(marker)
        _answer(app, coordinator, kiosk, form, person, ROUTES[n % 3], marker)
        answer_order.append(person.id)
        db.session.rollback()
        view = _snapshot()
        released_texts = {i["text"] for i in view["netvaerk_evaluation_answer"] if i["text"]}
        pending_markers -= released_texts
        # Batches of k: nothing is released before five answers wait.
        assert len(view["netvaerk_evaluation_submission"]) == (n + 1) // K * K
        assert len(view["netvaerk_evaluation_pending"]) == (n + 1) % K
        checked = _assert_unlinkable(view, truth, pending_markers)
    assert checked == len(people) and not pending_markers

    view = _snapshot()
    attacker = Attacker(view, truth)
    # The lone flex job never shows: its batch kept only "work or education".
    assert all(s["outcome"] != "flex_job" for s in attacker.released)
    assert {s["outcome_group"] for s in attacker.released} >= {"work_or_education"}
    # Every offer is gone, so every resident reads as "answered" - and nothing else is known.
    assert not view["netvaerk_evaluation_answer_link"]
    assert not view["netvaerk_evaluation_tablet_session"]
    statuses = {row["status"] for row in view["netvaerk_exit_evaluation_status"]}
    assert statuses == {"offered"}
    # Order: within each batch the physical order is shuffled; three batches of five all in
    # answering order by chance would happen once in 1.7 million runs.
    assert not all(_order_attack(view, truth, answer_order))
    if attacker.postgres:
        # One transaction per batch: all five answers of a batch share their xmin.
        by_xmin = defaultdict(set)
        for submission in attacker.released:
            by_xmin[submission["_xmin"]].add(submission["id"])
        assert sorted(len(ids) for ids in by_xmin.values()) == [K, K, K]


def test_answer_tables_have_no_sequence_time_or_person(app):
    """No counter, clock or person on the tables anonymous answers pass through."""
    for model in (Submission, AnswerItem, PendingAnswer):
        columns = inspect(model).columns
        assert isinstance(columns["id"].type, String), model
        assert not any(isinstance(c.type, DateTime) for c in columns), model
        assert not any("created" in c.name or c.name.endswith("_at") for c in columns), model
    assert "participant_id" not in inspect(PendingAnswer).columns
    if db.engine.dialect.name == "postgresql":
        defaults = db.session.execute(
            text(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_name IN ('netvaerk_evaluation_submission', "
                "'netvaerk_evaluation_answer', 'netvaerk_evaluation_pending') "
                "AND column_default LIKE 'nextval%'"
            )
        ).all()
        assert defaults == []
    else:
        for table in ("netvaerk_evaluation_submission", "netvaerk_evaluation_pending"):
            sql = db.session.execute(
                text("SELECT sql FROM sqlite_master WHERE name = :name"), {"name": table}
            ).scalar_one()
            assert "WITHOUT ROWID" in sql.upper()


@pytest.mark.commits
def test_two_answers_at_once_never_release_a_batch_below_k(app, network):
    """Four answers wait; two residents send theirs at the same moment through their links.
    Exactly one batch of five is released and one answer waits: none lost, none alone."""
    import threading

    form = make_form(network)
    coordinator_user = make_user("coordinator", network)
    coordinator = app.test_client()
    log_in(coordinator, coordinator_user.email)
    links = []
    for n in range(6):
        person = make_participant(network, first_name=f"Samtidig{n}", status="left")
        person.periods[0].end_date = date(2026, 3, 10)
        person.periods[0].outcome = "stopped"
        db.session.commit()
        links.append(_offer(coordinator, form, person, "link"))
    db.session.rollback()
    for link in links[:4]:
        phone = app.test_client()
        assert post_with_page_token(phone, link, answer_data(form)).status_code == 200
    phones = [app.test_client() for _ in range(2)]
    tokens = [
        csrf_token_from(p.get(link).get_data(as_text=True))
        for p, link in zip(phones, links[4:], strict=True)
    ]
    codes = []

    def send(phone, link, token):
        codes.append(phone.post(link, data={**answer_data(form), "csrf_token": token}).status_code)

    threads = [
        threading.Thread(target=send, args=args)
        for args in zip(phones, links[4:], tokens, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.rollback()
    assert codes == [200, 200]
    view = _snapshot()
    assert len(view["netvaerk_evaluation_submission"]) == K
    assert len(view["netvaerk_evaluation_pending"]) == 1
