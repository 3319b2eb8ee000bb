"""A resident's personal link never reaches another resident's data: no URL of the page names
a resident, ids and query strings added to the link change nothing, and a changed token is a
forged one."""

from netvaerk import timeutil
from netvaerk.extensions import db
from netvaerk.mypage import links

OTHERS = ("Lone", "LONESOPGAVE", "LONESAFTALE", "LONESMÅL")


def _token(participant) -> str:
    token = links.make_link(participant, None, timeutil.utcnow())
    db.session.commit()
    return token


def test_ids_and_query_strings_added_to_a_link_reach_no_one_else(app, residents):
    token = _token(residents["amina"])
    lone_id = residents["lone"].id
    phone = app.test_client()
    for url in (
        f"/my/{token}?participant_id={lone_id}",
        f"/my/{token}?id={lone_id}&token=x",
    ):
        html = phone.get(url).get_data(as_text=True)
        assert "Hej Amina" in html and not any(o in html for o in OTHERS), url
    for url in (f"/my/{token}/{lone_id}", f"/my/{lone_id}", f"/my/{token}/wish/{lone_id}"):
        answer = phone.get(url)
        assert answer.status_code == 404, url
        assert not any(o in answer.get_data(as_text=True) for o in OTHERS), url


def test_a_changed_token_is_a_forged_one(app, residents):
    token = _token(residents["amina"])
    _token(residents["lone"])
    phone = app.test_client()
    changed = token[:-1] + ("A" if token[-1] != "A" else "B")
    for url in (f"/my/{changed}", f"/my/{token.upper()}", f"/my/{token}x", f"/my/{token[:20]}"):
        answer = phone.get(url)
        assert answer.status_code == 404, url
        assert "Linket virker ikke" in answer.get_data(as_text=True)


def test_a_link_opens_no_kiosk_page_and_no_staff_page(app, residents):
    token = _token(residents["amina"])
    phone = app.test_client()
    assert phone.get(f"/my/{token}").status_code == 200
    for url in ("/my-page/kiosk", "/my-page/kiosk/open", f"/participants/{residents['lone'].id}"):
        answer = phone.get(url)
        assert answer.status_code == 302 and "/login" in answer.location, url


def test_the_wish_of_one_link_names_nobody(app, residents):
    from netvaerk.activities.models import Wish
    from netvaerk.mypage.models import PendingWish

    from ..conftest import csrf_token_from

    token = _token(residents["amina"])
    phone = app.test_client()
    html = phone.get(f"/my/{token}").get_data(as_text=True)
    phone.post(f"/my/{token}/wish", data={"csrf_token": csrf_token_from(html), "text": "Yoga"})
    # It waits sealed (see test_wish_pool): no wish yet, and the waiting row names nobody.
    assert db.session.scalars(db.select(Wish)).all() == []
    pending = db.session.scalars(db.select(PendingWish)).one()
    row = {c.name: getattr(pending, c.name) for c in PendingWish.__table__.columns}
    assert set(row) == {"id", "network_id", "sealed"}
    assert b"Yoga" not in row["sealed"]
    wish_columns = {c.name for c in Wish.__table__.columns}
    assert wish_columns == {
        "id",
        "network_id",
        "type_id",
        "text",
        "status",
        "recorded_by_id",
        "created_at",
    }
