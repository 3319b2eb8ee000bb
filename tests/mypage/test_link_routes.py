"""The resident's page on their phone through the personal link, and the coordinator's side."""

import re

from netvaerk import timeutil
from netvaerk.activities.models import Wish
from netvaerk.audit.models import AuditEvent
from netvaerk.extensions import db
from netvaerk.mypage import links, wishes
from netvaerk.mypage.models import ResidentLink
from netvaerk.tasks.models import OutboxMessage

from ..conftest import csrf_token_from, log_in
from ..factories import make_user


def _link(participant) -> str:
    token = links.make_link(participant, None, timeutil.utcnow())
    db.session.commit()
    return f"/my/{token}"


def test_the_link_opens_the_residents_own_page_only(app, residents):
    url = _link(residents["amina"])
    phone = app.test_client()
    page = phone.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert "Hej Amina" in html and "Dine gange" in html
    for own in ("Kaffe", "Opvask", "Jobcafé", "Ring til jobcentret", "Et job i en butik"):
        assert own in html, own
    for others in ("Lone", "LONESOPGAVE", "LONESAFTALE", "LONESMÅL", "Hassan"):
        assert others not in html, others
    assert not re.search(r'(href|action)="[^"]*/\d+[/"?]', html)  # no ids in its links
    assert "Log ud" not in html and "Menu" not in html


def test_each_visit_is_in_the_residents_access_log(app, residents):
    url = _link(residents["amina"])
    phone = app.test_client()
    phone.get(url)
    phone.get(url)
    visits = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "mypage.visit_link")
    ).all()
    assert [v.subject_id for v in visits] == [residents["amina"].id] * 2
    assert all(v.user_id is None for v in visits)


def test_forged_expired_and_revoked_links_get_one_plain_page(app, residents):
    amina, lone = residents["amina"], residents["lone"]
    phone = app.test_client()
    forged = phone.get("/my/" + "A" * 43)
    revoked_url = _link(amina)
    links.revoke_link(amina, None)
    db.session.commit()
    revoked = phone.get(revoked_url)
    expired_url = _link(lone)
    db.session.execute(db.update(ResidentLink).values(expires_at=timeutil.utcnow()))
    db.session.commit()
    expired = phone.get(expired_url)
    answers = [forged, revoked, expired]
    assert [a.status_code for a in answers] == [404, 404, 404]
    bodies = {a.get_data(as_text=True) for a in answers}
    assert len(bodies) == 1  # the same page, whatever the reason
    body = bodies.pop()
    assert "Linket virker ikke" in body and "This link does not work" in body
    assert "Amina" not in body and "Lone" not in body
    assert all(a.headers["Cache-Control"] == "no-store" for a in answers)


def test_an_expired_link_is_refused_like_a_forged_one(app, residents):
    url = _link(residents["amina"])
    db.session.execute(db.update(ResidentLink).values(expires_at=timeutil.utcnow()))
    db.session.commit()
    phone = app.test_client()
    expired = phone.get(url)
    forged = phone.get("/my/" + "B" * 43)
    assert expired.status_code == forged.status_code == 404
    assert expired.get_data() == forged.get_data()


def test_a_link_of_a_resident_who_left_stops_working(app, residents):
    from netvaerk.participants.services import leave

    url = _link(residents["amina"])
    leave(residents["amina"], timeutil.local_today(), "stopped", None, timeutil.local_today())
    db.session.commit()
    assert app.test_client().get(url).status_code == 404


def test_staff_logged_in_are_told_the_link_is_the_residents(app, residents, client):
    url = _link(residents["amina"])
    user = make_user("coordinator", residents["network"])
    log_in(client, user.email)
    answer = client.get(url)
    assert answer.status_code == 403
    assert "Amina" not in answer.get_data(as_text=True)


def test_a_wish_by_link_is_kept_without_a_name(app, residents):
    url = _link(residents["amina"])
    phone = app.test_client()
    html = phone.get(url).get_data(as_text=True)
    sent = phone.post(
        url + "/wish",
        data={"csrf_token": csrf_token_from(html), "text": "Et foredrag om pension"},
    )
    assert sent.status_code == 303 and sent.location.endswith(url)
    assert "Dit ønske er sendt" in phone.get(url).get_data(as_text=True)
    # It waits in the pool until three residents have sent one (test_wish_pool).
    assert db.session.scalars(db.select(Wish)).all() == []
    assert wishes.waiting_count(residents["network"].id) == 1
    empty = phone.post(url + "/wish", data={"csrf_token": csrf_token_from(html), "text": " "})
    assert empty.status_code == 303
    assert "Skriv dit ønske" in phone.get(url).get_data(as_text=True)
    assert wishes.waiting_count(residents["network"].id) == 1


def test_the_resident_may_switch_to_english(app, residents):
    url = _link(residents["amina"])
    phone = app.test_client()
    html = phone.get(url).get_data(as_text=True)
    phone.post("/language", data={"csrf_token": csrf_token_from(html), "lang": "en", "next": url})
    assert "Your meetings" in phone.get(url).get_data(as_text=True)


def test_the_coordinator_makes_renews_and_revokes_the_link(app, residents, client, login_as):
    login_as("coordinator", residents["network"])
    amina = residents["amina"]
    page = client.get(f"/participants/{amina.id}").get_data(as_text=True)
    assert "Lav et link og udskriv det" in page
    made = client.post(
        f"/participants/{amina.id}/personal-link", data={"csrf_token": csrf_token_from(page)}
    )
    html = made.get_data(as_text=True)
    assert made.status_code == 200 and made.headers["Cache-Control"] == "no-store"
    first = re.search(r"http://localhost(/my/[A-Za-z0-9_-]{43})", html).group(1)
    assert "<svg" in html and "Scan koden med din telefon" in html
    assert app.test_client().get(first).status_code == 200
    page = client.get(f"/participants/{amina.id}").get_data(as_text=True)
    assert "Deltageren har et personligt link, lavet" in page
    assert "Forny linket og udskriv det" in page and "Luk linket" in page
    assert first not in page  # the link is shown once, never again
    renewed = client.post(
        f"/participants/{amina.id}/personal-link", data={"csrf_token": csrf_token_from(page)}
    ).get_data(as_text=True)
    second = re.search(r"http://localhost(/my/[A-Za-z0-9_-]{43})", renewed).group(1)
    assert app.test_client().get(first).status_code == 404
    assert app.test_client().get(second).status_code == 200
    revoked = client.post(
        f"/participants/{amina.id}/personal-link/revoke", data={"csrf_token": csrf_token_from(page)}
    )
    assert revoked.status_code == 303
    assert app.test_client().get(second).status_code == 404
    actions = db.session.scalars(
        db.select(AuditEvent.action).where(AuditEvent.action.like("mypage.link%"))
    ).all()
    assert actions == ["mypage.link_created", "mypage.link_renewed", "mypage.link_revoked"]


def test_the_coordinator_sends_the_link_through_the_outbox(app, residents, client, login_as):
    app.config["NETVAERK_SMTP_HOST"] = "localhost"
    login_as("coordinator", residents["network"])
    amina = residents["amina"]
    amina.email = "amina@example.org"
    db.session.commit()
    page = client.get(f"/participants/{amina.id}").get_data(as_text=True)
    old = _link(amina)
    sent = client.post(
        f"/participants/{amina.id}/personal-link/send",
        data={"csrf_token": csrf_token_from(page)},
        follow_redirects=True,
    )
    assert sent.status_code == 200
    assert "Et nyt link er sendt til amina@example.org" in sent.get_data(as_text=True)
    message = db.session.scalars(db.select(OutboxMessage)).one()
    assert message.recipients == "amina@example.org" and message.kind == "mypage.link"
    token = re.search(r"/my/([A-Za-z0-9_-]{43})", message.body).group(1)
    assert app.test_client().get(f"/my/{token}").status_code == 200
    assert app.test_client().get(old).status_code == 404


def test_without_mail_or_an_address_nothing_is_sent_or_changed(app, residents, client, login_as):
    app.config["NETVAERK_SMTP_HOST"] = ""
    login_as("coordinator", residents["network"])
    amina = residents["amina"]
    page = client.get(f"/participants/{amina.id}").get_data(as_text=True)
    answer = client.post(
        f"/participants/{amina.id}/personal-link/send",
        data={"csrf_token": csrf_token_from(page)},
        follow_redirects=True,
    )
    assert "Deltageren har ingen e-mailadresse" in answer.get_data(as_text=True)
    amina.email = "amina@example.org"
    db.session.commit()
    answer = client.post(
        f"/participants/{amina.id}/personal-link/send",
        data={"csrf_token": csrf_token_from(page)},
        follow_redirects=True,
    )
    assert "Mail er ikke sat op" in answer.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(ResidentLink.id))) == 0
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 0


def test_the_link_page_is_rate_limited_with_the_other_secret_links(app, residents):
    app.config["NETVAERK_RATELIMIT_TOKEN"] = "3 per minute"
    url = _link(residents["amina"])
    guesser = app.test_client()
    answers = [guesser.get(url).status_code for _ in range(3)]
    assert answers == [200, 200, 200]
    assert guesser.get("/my/" + "G" * 43).status_code == 429
    assert guesser.get("/evaluations/a/guess").status_code == 429  # one limit for all


def test_erasing_the_resident_ends_the_link(app, residents):
    from netvaerk.privacy.services import erase_participant

    url = _link(residents["amina"])
    erase_participant(residents["amina"], "test")
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(ResidentLink.id))) == 0
    assert app.test_client().get(url).status_code == 404


def test_without_the_apps_address_no_qr_code_or_mail_of_a_bare_path(app, residents, login_as):
    from netvaerk.core import security

    client = app.test_client()
    app.config["NETVAERK_SMTP_HOST"] = "localhost"
    user = make_user("coordinator", residents["network"])
    log_in(client, user.email)
    amina = residents["amina"]
    amina.email = "amina@example.org"
    db.session.commit()
    page = client.get(f"/participants/{amina.id}").get_data(as_text=True)
    original = security.external_url
    app.config["TESTING"] = False  # production without NETVAERK_BASE_URL: only the path
    try:
        made = client.post(
            f"/participants/{amina.id}/personal-link", data={"csrf_token": csrf_token_from(page)}
        ).get_data(as_text=True)
        sent = client.post(
            f"/participants/{amina.id}/personal-link/send",
            data={"csrf_token": csrf_token_from(page)},
            follow_redirects=True,
        ).get_data(as_text=True)
    finally:
        app.config["TESTING"] = True
    assert security.external_url is original
    assert "<svg" not in made and "NETVAERK_BASE_URL" in made
    assert re.search(r"<code>/my/[A-Za-z0-9_-]{43}</code>", made)
    assert "NETVAERK_BASE_URL" in sent
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 0
