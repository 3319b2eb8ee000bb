"""Status checks after leaving: scheduled on leaving into work, cancelled on coming back,
recorded once even when two coordinators click at once, "not reached" after 30 days."""

import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from netvaerk.audit.models import AuditEvent
from netvaerk.extensions import db
from netvaerk.followup import checks
from netvaerk.followup.models import StatusCheck
from netvaerk.participants import services as participants

from ..conftest import csrf_token_from, log_in
from ..factories import make_participant, make_user
from .util import TODAY, freeze_today, left_into, post_form

LEFT = date(2025, 11, 28)


def _checks(person):
    return (
        db.session.execute(
            select(StatusCheck)
            .where(StatusCheck.participant_id == person.id)
            .order_by(StatusCheck.months_after)
        )
        .scalars()
        .all()
    )


def test_leaving_into_work_schedules_checks_at_1_3_6_and_12_months(
    app, client, network, login_as, monkeypatch
):
    freeze_today(monkeypatch)
    login_as("coordinator")
    person = make_participant(network, start=date(2025, 6, 2))
    url = f"/participants/{person.id}/leave"
    response = post_form(
        client, f"/participants/{person.id}", url, {"end_on": "2025-11-30", "outcome": "flex_job"}
    )
    assert response.status_code == 302
    found = [(c.months_after, c.due_on, c.exit_outcome, c.status) for c in _checks(person)]
    assert found == [
        (1, date(2025, 12, 30), "flex_job", None),
        (3, date(2026, 2, 28), "flex_job", None),
        (6, date(2026, 5, 30), "flex_job", None),
        (12, date(2026, 11, 30), "flex_job", None),
    ]


def test_every_kind_of_work_or_education_schedules_checks_and_nothing_else_does(app, network):
    for outcome in ("ordinary_job", "education", "internship", "flex_job", "wage_subsidy_job"):
        assert len(_checks(left_into(network, outcome, LEFT))) == 4, outcome
    for outcome in ("other_programme", "moved_away", "stopped", "unknown"):
        assert _checks(left_into(network, outcome, LEFT)) == [], outcome


def test_the_check_months_are_a_network_setting(app, network):
    from netvaerk.followup.conversations import save_settings

    save_settings(network.id, 14, [6, 12, 24], None)
    db.session.commit()
    person = left_into(network, "ordinary_job", LEFT)
    assert [c.months_after for c in _checks(person)] == [6, 12, 24]


def test_coming_back_cancels_the_open_checks_and_keeps_the_recorded_ones(app, network):
    person = left_into(network, "ordinary_job", LEFT)
    first = _checks(person)[0]
    checks.record_status(first, "same_job", date(2025, 12, 29), None, None, None, TODAY)
    db.session.commit()
    participants.start_participation(network, person, date(2026, 3, 2), None, TODAY)
    db.session.expire_all()
    assert [(c.months_after, c.status, c.cancelled) for c in _checks(person)] == [
        (1, "same_job", False),
        (3, None, True),
        (6, None, True),
        (12, None, True),
    ]
    assert checks.check_for(person, 3) is None
    assert checks.due_checks(network.id, TODAY) == []


def test_a_check_not_done_within_30_days_counts_as_not_reached(app, network):
    person = left_into(network, "ordinary_job", LEFT)
    one_month = _checks(person)[0]  # due 28 December 2025
    assert checks.effective_status(one_month, date(2026, 1, 27)) is None
    assert checks.effective_status(one_month, date(2026, 1, 28)) == "not_reached"
    assert one_month not in [d.check for d in checks.due_checks(network.id, date(2026, 1, 28))]
    assert one_month in [d.check for d in checks.due_checks(network.id, date(2026, 1, 27))]


def test_the_due_list_shows_phone_and_email_to_the_coordinator_only(
    app, client, network, monkeypatch
):
    freeze_today(monkeypatch, date(2026, 3, 2))
    left_into(network, "ordinary_job", LEFT, phone="12345678", email="amina@example.org")
    coordinator = make_user("coordinator", network)
    log_in(client, coordinator.email)
    home = client.get("/").get_data(as_text=True)
    assert "12345678" in home and "amina@example.org" in home
    assert "Overskredet" in home  # the 3-month check was due 28 February
    facilitator_client = app.test_client()
    log_in(facilitator_client, make_user("facilitator", network).email)
    for page in ("/", "/followup/"):
        html = facilitator_client.get(page, follow_redirects=True).get_data(as_text=True)
        assert "12345678" not in html and "amina@example.org" not in html


def test_recording_the_3_month_status(app, client, network, login_as, monkeypatch):
    freeze_today(monkeypatch)
    login_as("coordinator")
    person = left_into(network, "ordinary_job", LEFT)
    url = f"/followup/participants/{person.id}/checks/3"
    response = post_form(client, url, url, {"status": "other_job", "reached_on": "2026-03-02"})
    assert response.status_code == 302
    three = _checks(person)[1]
    db.session.refresh(three)
    assert (three.status, three.reached_on) == ("other_job", date(2026, 3, 2))
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "followup.check")) == 1
    page = client.get(f"/participants/{person.id}").get_data(as_text=True)
    assert "Andet job" in page


def test_a_date_before_leaving_is_refused_with_a_clear_message(
    app, client, network, login_as, monkeypatch
):
    freeze_today(monkeypatch)
    login_as("coordinator")
    person = left_into(network, "ordinary_job", LEFT)
    url = f"/followup/participants/{person.id}/checks/1"
    response = post_form(client, url, url, {"status": "same_job", "reached_on": "2025-11-20"})
    assert response.status_code == 200
    assert "Datoen kan ikke ligge før personen stoppede (28. nov. 2025)." in response.get_data(
        as_text=True
    )
    assert _checks(person)[0].status is None


def test_a_check_for_someone_who_never_left_into_work_answers_404(app, client, network, login_as):
    login_as("coordinator")
    stopped = left_into(network, "stopped", LEFT)
    active = make_participant(network)
    worker = left_into(network, "ordinary_job", LEFT)
    assert client.get(f"/followup/participants/{stopped.id}/checks/3").status_code == 404
    assert client.get(f"/followup/participants/{active.id}/checks/3").status_code == 404
    assert client.get(f"/followup/participants/{worker.id}/checks/2").status_code == 404
    assert client.get(f"/followup/participants/{worker.id}/checks/3").status_code == 200


def test_a_status_outside_the_list_changes_nothing(app, client, network, login_as, monkeypatch):
    freeze_today(monkeypatch)
    login_as("coordinator")
    person = left_into(network, "ordinary_job", LEFT)
    url = f"/followup/participants/{person.id}/checks/1"
    response = post_form(client, url, url, {"status": "fired", "reached_on": "2025-12-29"})
    assert response.status_code == 200
    assert _checks(person)[0].status is None


@pytest.mark.commits
def test_two_coordinators_recording_the_same_check_at_once_leave_one_record(
    app, network, monkeypatch
):
    """Real concurrent requests (SQLite and PostgreSQL): one wins, the other is told."""
    freeze_today(monkeypatch)
    person = left_into(network, "ordinary_job", LEFT)
    url = f"/followup/participants/{person.id}/checks/3"
    clients = []
    for status in ("same_job", "benefits"):
        client = app.test_client()
        log_in(client, make_user("coordinator", network).email)
        token = csrf_token_from(client.get(url).get_data(as_text=True))
        data = {
            "csrf_token": token,
            "status": status,
            "reached_on": "2026-03-02",
            "seen_status": "",
        }
        clients.append((client, data))
    barrier = threading.Barrier(len(clients), timeout=10)
    answers: list[tuple[int, str]] = []

    def record(client, data):
        barrier.wait()
        response = client.post(url, data=data)
        answers.append((response.status_code, response.get_data(as_text=True)))

    threads = [threading.Thread(target=record, args=pair) for pair in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(code for code, _ in answers) == [200, 302]
    (refused,) = [html for code, html in answers if code == 200]
    assert "En anden har registreret" in refused
    db.session.expire_all()
    three = _checks(person)[1]
    assert three.status in ("same_job", "benefits")
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "followup.check")) == 1


def test_a_correction_needs_the_status_the_form_showed(app, network):
    person = left_into(network, "ordinary_job", LEFT)
    first = _checks(person)[0]
    checks.record_status(first, "same_job", date(2025, 12, 29), None, None, None, TODAY)
    checks.record_status(first, "other_job", date(2025, 12, 29), "same_job", None, None, TODAY)
    assert first.status == "other_job"
    import pytest

    from netvaerk.core.errors import UserError

    with pytest.raises(UserError):
        checks.record_status(first, "benefits", date(2025, 12, 29), "same_job", None, None, TODAY)
