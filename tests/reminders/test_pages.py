"""The reminders' pages: the network's settings, a resident's consent, the resident's stop link
(forged and expired links change nothing), and the start page's panels."""

import time as clock
from datetime import date, datetime, time, timedelta

from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from netvaerk.audit.models import AuditEvent
from netvaerk.extensions import db
from netvaerk.participants.models import Participant
from netvaerk.privacy.retention import months_before
from netvaerk.privacy.services import erase_participant
from netvaerk.reminders import residents, rules
from netvaerk.reminders.models import ErasureForecast
from netvaerk.reminders.panels import refresh_forecast
from netvaerk.tasks.models import WorkerHeartbeat
from netvaerk.tasks.queue import beat, run_job
from netvaerk.timeutil import local_today, utcnow
from tests.conftest import csrf_token_from
from tests.factories import make_participant


def _agreed(participant) -> bool:
    db.session.expire_all()
    return residents.has_consent(db.session.get(Participant, participant.id))


def _post(client, page, url, data):
    token = csrf_token_from(client.get(page).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


def test_a_coordinator_turns_the_networks_reminders_on_and_off(app, client, login_as, network):
    login_as("coordinator")
    page = client.get("/reminders/settings")
    assert page.status_code == 200 and "dagen før" in page.get_data(as_text=True)
    response = _post(
        client, "/reminders/settings", "/reminders/settings", {"facilitator_tomorrow": "y"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    settings = rules.settings_for(network.id)
    assert settings.facilitator_tomorrow and not settings.residents and not settings.changes
    assert db.session.query(AuditEvent).filter_by(action="reminders.settings").count() == 1


def test_only_coordinators_see_the_settings(app, client, login_as):
    login_as("facilitator")
    assert client.get("/reminders/settings").status_code == 403
    assert client.post("/reminders/settings", data={}).status_code in (400, 403)


def test_a_coordinator_records_a_residents_consent(app, client, login_as, network):
    login_as("coordinator")
    amina = make_participant(network, email="amina@example.org")
    nomail = make_participant(network, "Uden")
    page = f"/participants/{amina.id}"
    assert "Påmindelser på mail" in client.get(page).get_data(as_text=True)
    response = _post(client, page, f"/reminders/resident/{amina.id}/consent", {"wanted": "1"})
    assert response.status_code == 302
    assert _agreed(amina)
    refused = _post(
        client,
        f"/participants/{nomail.id}",
        f"/reminders/resident/{nomail.id}/consent",
        {"wanted": "1"},
    )
    assert refused.status_code == 302 and not _agreed(nomail)
    assert "Tilføj først deltagerens e-mailadresse." in client.get(refused.location).get_data(
        as_text=True
    )


def test_the_residents_link_stops_the_reminders_and_a_forged_one_changes_nothing(
    app, client, network
):
    amina = make_participant(network, email="amina@example.org")
    residents.set_consent(amina, True, date(2026, 12, 1), None)
    db.session.commit()
    token = residents.stop_token(amina.id)
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    for bad in (forged, "not-a-token"):
        answer = client.post(f"/reminders/stop/{bad}")
        assert answer.status_code == 400
        assert "Linket virker ikke" in answer.get_data(as_text=True)
    assert _agreed(amina)
    page = client.get(f"/reminders/stop/{token}")
    assert page.status_code == 200 and "Stop mails" in page.get_data(as_text=True)
    assert _agreed(amina)  # opening the page changes nothing
    # The mail program's one-click POST (RFC 8058): no CSRF token, no login.
    done = client.post(f"/reminders/stop/{token}", data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "Du får ikke flere mails" in done.get_data(as_text=True)
    db.session.expire_all()
    assert not _agreed(amina)


def test_an_expired_link_changes_nothing(app, client, network):
    amina = make_participant(network, email="amina@example.org")
    residents.set_consent(amina, True, date(2026, 12, 1), None)
    db.session.commit()

    class HalfAYearAgo(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(clock.time()) - 181 * 24 * 3600

    old = URLSafeTimedSerializer(app.secret_key, salt=residents.SALT, signer=HalfAYearAgo)
    answer = client.post(f"/reminders/stop/{old.dumps({'p': amina.id})}")
    assert answer.status_code == 400 and _agreed(amina)


def test_the_start_page_says_when_no_worker_runs(app, client, login_as):
    login_as("coordinator")
    assert "Mails og påmindelser bliver ikke sendt" in client.get("/").get_data(as_text=True)
    beat(utcnow())
    assert db.session.get(WorkerHeartbeat, 1) is not None
    assert "Mails og påmindelser bliver ikke sendt" not in client.get("/").get_data(as_text=True)
    db.session.get(WorkerHeartbeat, 1).beat_at = utcnow() - timedelta(minutes=16)
    db.session.commit()
    assert "Mails og påmindelser bliver ikke sendt" in client.get("/").get_data(as_text=True)


def test_coordinators_see_who_is_erased_in_the_coming_two_weeks_and_why(
    app, client, login_as, network
):
    login_as("coordinator")
    today = local_today()
    soon = make_participant(network, "Snart", status="left", start=date(2020, 1, 1))
    soon.periods[0].end_date = months_before(today, 12) + timedelta(days=9)
    later = make_participant(network, "Senere", status="left", start=date(2020, 1, 1))
    later.periods[0].end_date = today - timedelta(days=300)
    never = make_participant(network, "Aldrig", status="interested")
    never.created_at = datetime.combine(months_before(today, 6), time(12, 0))
    db.session.commit()
    assert "Slettes inden for 14 dage" not in client.get("/").get_data(as_text=True)
    # The nightly job after the clean-up works it out (with the follow-up's holds).
    assert run_job("reminders.erasure_forecast", today, utcnow()) is True
    html = client.get("/").get_data(as_text=True)
    assert "Slettes inden for 14 dage" in html
    assert "Snart Hassan" in html and "Aldrig Hassan" in html and "Senere Hassan" not in html
    assert "Netværkets opbevaringsperiode efter udmeldelse var udløbet" in html
    forecast = {row.participant_id: row.erase_on for row in db.session.query(ErasureForecast)}
    assert forecast == {soon.id: today + timedelta(days=10), never.id: today + timedelta(days=1)}
    # An erasure takes the row with it; with the clean-up off, nobody is listed.
    erase_participant(db.session.get(Participant, soon.id), "test")
    db.session.commit()
    assert "Snart Hassan" not in client.get("/").get_data(as_text=True)
    app.config["NETVAERK_PURGE_NIGHTLY"] = "0"
    assert refresh_forecast(utcnow()) == 0
    db.session.commit()
    assert "Slettes inden for 14 dage" not in client.get("/").get_data(as_text=True)


def test_the_workers_tick_beats_even_when_no_job_is_due(app):
    from netvaerk.tasks.queue import get_huey, last_beat

    assert last_beat() is None
    huey = get_huey(app)
    huey.immediate = True
    try:
        huey.netvaerk["tick"]()
    finally:
        huey.immediate = False
    db.session.expire_all()
    assert utcnow() - last_beat() < timedelta(minutes=1)
