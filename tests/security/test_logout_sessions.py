"""Logging out: "Log ud" ends this session only, "Log ud alle steder" ends every session, and a
form sent after logout (from another tab) keeps what was typed and says so (issue 29)."""

import re

from netvaerk.extensions import db
from netvaerk.participants.models import Participant

from ..conftest import PASSWORD, csrf_token_from, log_in
from ..factories import make_participant, make_user

COOKIE = "netvaerk_session"


def _log_out(client, everywhere=False):
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    path = "/logout/everywhere" if everywhere else "/logout"
    return client.post(path, data={"csrf_token": token})


def _logged_in(client) -> bool:
    answer = client.get("/")
    return answer.status_code == 200 and "/login" not in (answer.location or "")


def test_log_out_ends_this_session_only(app, network):
    coordinator = make_user("coordinator", network)
    office, phone = app.test_client(), app.test_client()
    log_in(office, coordinator.email)
    log_in(phone, coordinator.email)
    copied = app.test_client()
    copied.set_cookie(COOKIE, office.get_cookie(COOKIE).value)
    assert _logged_in(copied)

    answer = _log_out(office)
    assert answer.status_code == 302 and answer.location.endswith("/login")
    assert not _logged_in(office)
    assert _logged_in(phone)  # the other device goes on
    assert not _logged_in(copied)  # a copy of the logged-out cookie is refused


def test_log_out_everywhere_ends_every_session(app, network):
    coordinator = make_user("coordinator", network)
    office, phone = app.test_client(), app.test_client()
    log_in(office, coordinator.email)
    log_in(phone, coordinator.email)
    html = office.get("/").get_data(as_text=True)
    assert "Log ud alle steder" in html and 'action="/logout/everywhere"' in html

    answer = _log_out(office, everywhere=True)
    assert answer.status_code == 302
    follow = office.get(answer.location).get_data(as_text=True)
    assert "Du er logget ud alle steder" in follow
    assert not _logged_in(office)
    assert not _logged_in(phone)
    log_in(phone, coordinator.email)  # and logging in again works
    assert _logged_in(phone)


def test_a_form_sent_after_logout_in_another_tab_keeps_the_text(app, client, network):
    coordinator = make_user("coordinator", network)
    person = make_participant(network, "Tariq", "Mansour", status="interested")
    log_in(client, coordinator.email)
    page = f"/participants/{person.id}"
    token = csrf_token_from(client.get(page).get_data(as_text=True))  # the form's tab
    _log_out(client)  # logged out in another tab

    sent = client.post(
        f"{page}/intake",
        data={"csrf_token": token, "intake_on": "2026-03-01", "note": "Vil gerne i praktik."},
        headers={"Referer": f"http://localhost{page}"},
    )
    assert sent.status_code == 303
    assert sent.location.endswith(f"/login?next={page}")
    login_page = client.get(sent.location).get_data(as_text=True)
    assert "Du blev logget ud, så intet blev gemt" in login_page
    assert "for gammel" not in login_page
    db.session.expire_all()
    assert db.session.get(Participant, person.id).status == "interested"  # nothing saved

    back = client.post(
        f"/login?next={page}",
        data={
            "email": coordinator.email,
            "password": PASSWORD,
            "csrf_token": csrf_token_from(login_page),
            "next": page,
        },
    )
    assert back.status_code == 302 and back.location.endswith(page)
    html = client.get(page).get_data(as_text=True)
    draft = re.search(r'<script type="application/json" id="netvaerk-draft">(.*?)</script>', html)
    assert draft and "Vil gerne i praktik." in draft.group(1)


def test_a_stale_form_without_a_logout_still_gets_the_old_page(app, client, network):
    """No logout in this browser: the usual "could not be sent" page, nothing kept."""
    answer = client.post("/login", data={"csrf_token": "stale", "email": "a@b.dk"})
    assert answer.status_code == 400
    assert "Formularen kunne ikke sendes" in answer.get_data(as_text=True)
