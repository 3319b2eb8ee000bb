"""Wishes from the residents' own pages are unlinkable to the resident, even for a reader of the
whole database (mypage/wishes.py): a wish waits sealed, with no person and no time and no form
receipt, until wishes of three residents can be released together, shuffled and dated with
the day only. The attacker modelled here reads every table, the residents' access logs with
their exact visit times included, and knows the order in which the residents sent theirs."""

from datetime import datetime, time

from sqlalchemy import func, inspect, select

from netvaerk import timeutil
from netvaerk.activities.models import Wish
from netvaerk.extensions import db
from netvaerk.mypage import links, wishes
from netvaerk.mypage.models import PendingWish

from ..conftest import csrf_token_from, log_in
from ..factories import make_participant, make_user
from .conftest import NOW


def _phone(app, participant):
    """The resident's phone on their own page; returns (client, url, csrf token)."""
    token = links.make_link(participant, None, timeutil.utcnow())
    db.session.commit()
    client = app.test_client()
    url = f"/my/{token}"
    return client, url, csrf_token_from(client.get(url).get_data(as_text=True))


def _send(phone, text: str):
    client, url, csrf = phone
    answer = client.post(url + "/wish", data={"csrf_token": csrf, "text": text})
    assert answer.status_code == 303
    return answer


def _rows_per_table() -> dict[str, int]:
    tables = inspect(db.engine).get_table_names()
    return {t: db.session.scalar(select(func.count()).select_from(db.table(t))) for t in tables}


def _third(residents):
    third = make_participant(residents["network"], "Hassan", "Ali", start=NOW.date())
    db.session.commit()
    return third


def test_a_wish_waits_sealed_and_writes_nothing_that_names_or_times_it(app, residents):
    amina = _phone(app, residents["amina"])
    before = _rows_per_table()
    _send(amina, "Et besøg på en virksomhed")
    after = _rows_per_table()
    changed = {t: after[t] - before[t] for t in after if after[t] != before[t]}
    # Only the sealed wish: no form receipt, no audit event, no wish with a time, nothing else.
    # (The page she comes back to logs a visit in her own access log, as every visit does.)
    assert changed == {"netvaerk_resident_wish_pending": 1}, changed
    pending = db.session.scalars(select(PendingWish)).one()
    assert b"virksomhed" not in pending.sealed and len(pending.id) == 32
    assert db.session.scalars(select(Wish)).all() == []


def test_every_waiting_wish_has_the_same_size(app, residents):
    _send(_phone(app, residents["amina"]), "Yoga")
    _send(_phone(app, residents["lone"]), "Æ" * 400 + "\U0001f600" * 600)
    sizes = {len(row.sealed) for row in db.session.scalars(select(PendingWish))}
    assert len(sizes) == 1, sizes


def test_three_residents_release_all_wishes_at_once_by_nobody_on_a_day(app, residents):
    texts = ["Mere fodbold", "Et foredrag om pension", "Cykeltur"]
    phones = [_phone(app, p) for p in (residents["amina"], residents["lone"], _third(residents))]
    _send(phones[0], texts[0])
    _send(phones[1], texts[1])
    assert db.session.scalars(select(Wish)).all() == []
    assert wishes.waiting_count(residents["network"].id) == 2
    _send(phones[2], texts[2])
    released = db.session.scalars(select(Wish).order_by(Wish.id)).all()
    assert sorted(w.text for w in released) == sorted(texts)
    assert {w.recorded_by_id for w in released} == {None}
    assert {w.type_id for w in released} == {None}
    midnight = datetime.combine(timeutil.local_today(), time())
    assert {w.created_at for w in released} == {midnight}
    assert wishes.waiting_count(residents["network"].id) == 0


def test_a_double_submit_is_one_wish_and_one_resident(app, residents):
    amina = _phone(app, residents["amina"])
    _send(amina, "Yoga")
    _send(amina, "Yoga")  # the double click
    _send(amina, "Svømning")  # a second wish of her own: still one resident
    _send(_phone(app, residents["lone"]), "Yoga")  # the same words from someone else
    assert db.session.scalars(select(Wish)).all() == []  # two residents only
    _send(_phone(app, _third(residents)), "Cykeltur")
    released = sorted(w.text for w in db.session.scalars(select(Wish)))
    assert released == ["Cykeltur", "Svømning", "Yoga", "Yoga"]


def test_the_order_of_ids_is_not_the_order_of_sending(app, residents):
    """The attacker knows who sent first (the access log); the ids must not follow it. Twenty
    batches of three in sending order 1, 2, 3 all released as 1, 2, 3 would happen once in
    6^20 if the order is random."""
    people = [residents["amina"], residents["lone"], _third(residents)]
    today = timeutil.local_today()
    orders = []
    for batch in range(20):
        for position, person in enumerate(people, start=1):
            wishes.send_wish(person, f"batch {batch} wish {position}", today)
        db.session.commit()
        released = db.session.scalars(
            select(Wish.text).where(Wish.text.like(f"batch {batch} %")).order_by(Wish.id)
        ).all()
        orders.append(tuple(int(text.rsplit(" ", 1)[1]) for text in released))
    assert all(sorted(order) == [1, 2, 3] for order in orders)
    assert any(order != (1, 2, 3) for order in orders), orders


def test_the_staff_see_how_many_wishes_wait(app, residents):
    _send(_phone(app, residents["amina"]), "Yoga")
    staff = app.test_client()
    log_in(staff, make_user("coordinator", residents["network"]).email)
    html = staff.get("/activities/wishes").get_data(as_text=True)
    assert "1 ønske fra en deltagers egen side venter" in html
    assert "Yoga" not in html
