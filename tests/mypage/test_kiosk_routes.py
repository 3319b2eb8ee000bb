"""The resident's page on the kiosk: "Min side" after a check-in, the code, the short grant."""

import re

from netvaerk.audit.models import AuditEvent
from netvaerk.extensions import db
from netvaerk.mypage import links, wishes

from ..conftest import csrf_token_from


def _tap(client, participant, **data):
    token = csrf_token_from(client.get("/kiosk/").get_data(as_text=True))
    return client.post(
        f"/kiosk/check-in/{participant.id}",
        data={"csrf_token": token, **data},
        follow_redirects=True,
    )


def _open(client, code="1234"):
    page = client.get("/my-page/kiosk")
    assert page.status_code == 200
    token = csrf_token_from(page.get_data(as_text=True))
    return client.post("/my-page/kiosk", data={"csrf_token": token, "code": code})


def test_min_side_is_offered_only_to_a_resident_with_a_code(kiosk_client, residents):
    html = _tap(kiosk_client, residents["amina"], code="1234").get_data(as_text=True)
    assert "Min side" in html and 'href="/my-page/kiosk"' in html
    html = _tap(kiosk_client, residents["lone"]).get_data(as_text=True)
    assert "Velkommen, Lone!" in html
    assert "Min side" not in html and "/my-page/" not in html
    # Without a code the kiosk shows today's task and activities, as before.
    assert "LONESOPGAVE" in html


def test_the_code_opens_the_page_of_the_resident_just_checked_in(kiosk_client, residents):
    _tap(kiosk_client, residents["amina"], code="1234")
    opened = _open(kiosk_client)
    assert opened.status_code == 303 and opened.location.endswith("/my-page/kiosk/open")
    page = kiosk_client.get("/my-page/kiosk/open")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert "Hej Amina" in html
    for own in ("Kaffe", "Opvask", "Jobcafé", "Ring til jobcentret", "Et job i en butik"):
        assert own in html, own
    for others in ("Lone", "LONESOPGAVE", "LONESAFTALE", "LONESMÅL", "Hassan"):
        assert others not in html, others
    # No resident's id in any URL of the page; it closes itself and has "Færdig".
    assert not re.search(r'(href|action)="[^"]*/\d+[/"?]', html)
    assert 'data-mypage-close="/my-page/kiosk/done"' in html and 'data-seconds="60"' in html
    assert "Færdig" in html and "Log ud" not in html
    visits = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "mypage.visit_kiosk")
    ).all()
    assert [(v.subject_type, v.subject_id) for v in visits] == [
        ("participant", residents["amina"].id)
    ]


def test_a_wrong_code_opens_nothing(kiosk_client, residents):
    _tap(kiosk_client, residents["amina"], code="1234")
    refused = _open(kiosk_client, code="9999")
    assert refused.status_code == 200
    assert "Koden er ikke rigtig" in refused.get_data(as_text=True)
    assert kiosk_client.get("/my-page/kiosk/open").location.endswith("/kiosk/")


def test_done_closes_the_page_and_back_cannot_reopen_it(kiosk_client, residents):
    _tap(kiosk_client, residents["amina"], code="1234")
    _open(kiosk_client)
    done = kiosk_client.get("/my-page/kiosk/done")
    assert done.status_code == 302 and done.location.endswith("/kiosk/")
    back = kiosk_client.get("/my-page/kiosk/open")
    assert back.status_code == 302 and back.location.endswith("/kiosk/")
    # Nor does the code step come back for her.
    assert kiosk_client.get("/my-page/kiosk").location.endswith("/kiosk/")


def test_the_grant_ends_after_its_time(kiosk_client, residents, monkeypatch):
    _tap(kiosk_client, residents["amina"], code="1234")
    _open(kiosk_client)
    monkeypatch.setattr(links, "GRANT_SECONDS", -1)
    assert kiosk_client.get("/my-page/kiosk/open").location.endswith("/kiosk/")


def test_the_next_check_in_ends_the_grant_of_the_one_before(kiosk_client, residents):
    _tap(kiosk_client, residents["amina"], code="1234")
    _open(kiosk_client)
    _tap(kiosk_client, residents["lone"])
    # Lone tapped in after Amina: Amina's page is gone, and Lone (no code) gets no page.
    assert kiosk_client.get("/my-page/kiosk/open").location.endswith("/kiosk/")
    assert kiosk_client.get("/my-page/kiosk").location.endswith("/kiosk/")


def test_without_a_check_in_there_is_no_page(kiosk_client):
    assert kiosk_client.get("/my-page/kiosk").location.endswith("/kiosk/")
    assert kiosk_client.get("/my-page/kiosk/open").location.endswith("/kiosk/")


def test_a_wish_from_the_tablet_is_kept_without_a_name(kiosk_client, residents):
    from netvaerk.activities.models import Wish

    _tap(kiosk_client, residents["amina"], code="1234")
    _open(kiosk_client)
    html = kiosk_client.get("/my-page/kiosk/open").get_data(as_text=True)
    sent = kiosk_client.post(
        "/my-page/kiosk/wish",
        data={"csrf_token": csrf_token_from(html), "text": "Mere fodbold", "once_key": "k" * 20},
        follow_redirects=True,
    )
    assert "Dit ønske er sendt" in sent.get_data(as_text=True)
    # It waits in the pool until three residents have sent one (test_wish_pool).
    assert db.session.scalars(db.select(Wish)).all() == []
    assert wishes.waiting_count(residents["network"].id) == 1


def test_the_page_speaks_the_residents_language(kiosk_client, residents):
    residents["amina"].preferred_locale = "en"
    db.session.commit()
    _tap(kiosk_client, residents["amina"], code="1234")
    _open(kiosk_client)
    html = kiosk_client.get("/my-page/kiosk/open").get_data(as_text=True)
    assert "Your meetings" in html and "Hello Amina" in html


def _api_tap(client, participant):
    token = csrf_token_from(client.get("/kiosk/").get_data(as_text=True))
    return client.post(f"/kiosk/api/tap/{participant.id}", headers={"X-CSRFToken": token})


def test_the_tap_sent_as_data_offers_min_side_too(kiosk_client, residents):
    """The grid's script shows the confirmation from the tap's data: "Min side" is in it for
    the resident with a code (in their language, with the words around it), and for nobody
    else."""
    residents["network"].checkin_code_required = False  # the code is asked for the page only
    residents["amina"].preferred_locale = "en"
    db.session.commit()
    amina = _api_tap(kiosk_client, residents["amina"]).get_json()
    assert amina["status"] == "checked_in" and amina["lang"] == "en"
    assert amina["links"] == [{"url": "/my-page/kiosk", "label": "My page"}]
    assert amina["texts"]["back"] == "Back to the names"
    assert amina["texts"]["undo"] == "That wasn't me"
    lone = _api_tap(kiosk_client, residents["lone"]).get_json()
    assert lone["status"] == "checked_in" and lone["links"] == []
    assert lone["texts"]["back"] == "Tilbage til navnene"
    assert lone["task"] and "LONESOPGAVE" in lone["task"]
    # The page of the resident just checked in: Lone, who has no code, gets none.
    assert kiosk_client.get("/my-page/kiosk").status_code in (302, 303)
