"""A form sent after the session ended: nothing saved, "log in and send again", the draft kept."""

import json
import re
import time

from netvaerk.core.security import SEEN_AT
from netvaerk.extensions import db
from netvaerk.participants.models import Participant

from ..conftest import PASSWORD, csrf_token_from, log_in
from ..factories import make_participant, make_user


def _draft_of(html: str):
    found = re.search(r'<script type="application/json" id="netvaerk-draft">(.*?)</script>', html)
    return json.loads(found.group(1)) if found else None


def _send_intake_after_the_session_ended(client, person):
    page = f"/participants/{person.id}"
    token = csrf_token_from(client.get(page).get_data(as_text=True))
    with client.session_transaction() as session:
        session[SEEN_AT] = time.time() - 3 * 3600  # idle far longer than allowed
    return client.post(
        f"{page}/intake",
        data={
            "csrf_token": token,
            "intake_on": "2026-03-01",
            "note": "Vil gerne i praktik.\nCykler.",
        },
        headers={"Referer": f"http://localhost{page}"},
    )


def test_the_draft_survives_the_login_and_fills_the_form_again(app, client, network):
    coordinator = make_user("coordinator", network)
    person = make_participant(network, "Tariq", "Mansour", status="interested")
    log_in(client, coordinator.email)
    sent = _send_intake_after_the_session_ended(client, person)
    assert sent.status_code == 302
    assert sent.location.endswith(f"/login?next=/participants/{person.id}")
    login_page = client.get(sent.location).get_data(as_text=True)
    assert "Du blev logget ud, så intet blev gemt. Log ind og send igen" in login_page
    db.session.expire_all()
    assert db.session.get(Participant, person.id).status == "interested"  # nothing saved

    token = csrf_token_from(login_page)
    back = client.post(
        f"/login?next=/participants/{person.id}",
        data={
            "email": coordinator.email,
            "password": PASSWORD,
            "csrf_token": token,
            "next": f"/participants/{person.id}",
        },
    )
    assert back.status_code == 302 and back.location.endswith(f"/participants/{person.id}")
    html = client.get(back.location).get_data(as_text=True)
    draft = _draft_of(html)
    assert draft["action"] == f"/participants/{person.id}/intake"
    assert ["note", "Vil gerne i praktik.\nCykler."] in draft["fields"]
    assert not any(name == "csrf_token" for name, _value in draft["fields"])
    assert "Vil gerne i praktik." in html  # listed for browsers without script
    # Shown once.
    assert _draft_of(client.get(back.location).get_data(as_text=True)) is None


def test_someone_else_logging_in_on_that_browser_does_not_see_the_draft(app, client, network):
    first = make_user("coordinator", network)
    other = make_user("coordinator", network)
    person = make_participant(network, "Tariq", "Mansour", status="interested")
    log_in(client, first.email)
    _send_intake_after_the_session_ended(client, person)
    log_in(client, other.email)
    html = client.get(f"/participants/{person.id}").get_data(as_text=True)
    assert _draft_of(html) is None and "Vil gerne i praktik" not in html
