"""The six attacks of issue 13, repeated against the protected release: each fails.

The attacker has steering accounts only: the report pages and the CSV/XLSX/PDF exports
(all built from the same protected report) of every closed month. `audit.attack` is the
intruder's integer programme over everything they can add up."""

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from netvaerk.core.models import Membership
from netvaerk.extensions import db
from netvaerk.participants.models import ParticipationPeriod
from netvaerk.stats import audit, ckm, closing, services
from netvaerk.stats.figures import column_total_id
from netvaerk.stats.protection import ratio_state

from ..conftest import log_in
from ..factories import make_network, make_participant, make_user
from .helpers import close, page_without_token

TODAY = date(2026, 4, 15)
OUTCOMES = "outcomes.by_outcome"


@pytest.fixture(autouse=True)
def april_2026(monkeypatch):
    """Today is 15 April 2026: January to March are complete."""
    monkeypatch.setattr("netvaerk.timeutil.local_now", lambda: datetime(2026, 4, 15, 10, 0))


def _pinned(user, network_id: int, month: int, key: str) -> bool:
    release = audit.account_release(user, TODAY)
    result = audit.attack(release)
    return (network_id, 2026, month, key) in result.pinned


def _steering_report(networks, month: int):
    return services.build_report(networks, 2026, month, exact=False)


def test_1_consecutive_months_give_noise_not_flows(people, network):
    for month in (1, 2, 3):
        close(network, 2026, month)
    steering = make_user("steering", network)
    # "Since the start" is never published to the steering group, so it cannot be differenced.
    march = _steering_report([network], 3)
    assert not any(key.endswith("\x1fcumulative") for key in audit.visible_ids(march))
    # Started(t) = Active(t) - Active(t-1) + Left(t-1) only gives a range.
    for key in ("participants.new", "participants.left"):
        assert not _pinned(steering, network.id, 3, key)


def test_2_bounds_pin_nothing(people, network):
    close(network, 2026, 3)
    steering = make_user("steering", network)
    result = audit.attack(audit.account_release(steering, TODAY))
    assert result.pinned_small == []
    # No count of people reads 1 or 2: "a small count" is no longer a mark to reason about.
    report = _steering_report([network], 3)
    shown = {report.published[key] for key in audit.visible_ids(report)}
    assert not shown & {1, 2}


def test_3_networks_against_their_sum(people, network):
    other = make_network()
    for i in range(3):
        make_participant(other, first_name=f"Navn{i}", start=date(2026, 1, 5 + i))
    db.session.commit()
    close(network, 2026, 3)
    close(other, 2026, 3)
    steering = make_user("steering", network)
    db.session.add(Membership(user_id=steering.id, network_id=other.id, role="steering"))
    db.session.commit()
    both = _steering_report([network, other], 3)
    # A figure each network shows is, over both, the sum of their published figures: a second,
    # independent perturbation of the same people would be a second measurement of them.
    each = [_steering_report([n], 3).published for n in (network, other)]
    for key in ("participants.active", "participants.new", "participants.left"):
        assert both.published[key] == sum(published[key] for published in each)
        assert key not in both.protection.few
    assert not _pinned(steering, other.id, 3, "participants.active")
    assert not _pinned(steering, network.id, 3, "participants.left")


def test_4_zeros_and_everyone_in_one_category(people, network):
    close(network, 2026, 3)
    report = _steering_report([network], 3)
    # A single network's month has no breakdown at all: no zeros around a small count.
    assert {
        "participants.readiness_group",
        "participants.age_band",
        "participants.housing_area",
        OUTCOMES,
    } <= report.protection.hidden_tables
    assert "evaluations" in report.protection.hidden_sections
    # 100 % of fewer than 10, or a mean at the end of its scale over fewer than 10: not shown.
    share = {"kind": "share", "num": 6, "den": 6, "refs": ["a", "b"]}
    assert ratio_state(share, {"a": 6, "b": 6}, exact=False) == (None, "hidden")
    assert ratio_state(share, {"a": 12, "b": 12}, exact=False) == (1.0, "shown")
    # Points and answers perturbed for the mean (issue 26), with keys the table leaves them at.
    top = {"kind": "mean", "num": 25, "den": 5, "base": 5, "scale": [1, 5]}
    top.update(num_key=100, den_key=100)
    assert (ckm.perturb(25, 100), ckm.perturb(5, 100), ckm.perturb(4, 100)) == (25, 5, 4)
    assert ratio_state(top, {}, exact=False) == (None, "hidden")
    assert ratio_state({**top, "base": 4, "den": 4, "num": 20}, {}, exact=False)[1] == "small"


def test_5_the_open_month_answers_like_an_unknown_one(app, client, people, network):
    close(network, 2026, 2)
    log_in(client, make_user("steering", network).email)
    open_month = client.get("/stats/2026/3")
    no_such_month = client.get("/stats/2026/13")
    future = client.get("/stats/2026/9")
    assert open_month.status_code == no_such_month.status_code == future.status_code == 404
    # The same page, but for the address itself (in the page's language links).
    same = page_without_token(open_month).replace(b"/stats/2026/3", b"/stats/2026/13")
    assert same == page_without_token(no_such_month)
    for fmt in ("csv", "xlsx", "pdf"):
        assert client.get(f"/stats/2026/3/export.{fmt}").status_code == 404
    assert client.get("/stats/2026/3/print").status_code == 404
    # A leaver recorded today changes nothing the steering group can see.
    before = page_without_token(client.get("/stats/"))
    period = db.session.scalars(db.select(ParticipationPeriod)).all()[12]
    period.end_date, period.outcome = date(2026, 4, 14), "ordinary_job"
    db.session.commit()
    assert page_without_token(client.get("/stats/")) == before


def test_6_revisions_differ_by_noise_and_tell_no_story(app, client, people, network):
    close(network, 2026, 3)
    first = _steering_report([network], 3).published
    # Nothing changed: the revised month is the same release, figure for figure.
    coordinator = make_user("coordinator", network)
    closing.reopen_month(network, 2026, 3, coordinator, "correction", "Tariqs slutevaluering")
    db.session.commit()
    assert _steering_report([network], 3).published == first
    # A late leaver: the figures of the same people keep their values; the reason shown is
    # a label from the fixed list, and the coordinator's note never reaches the steering group.
    period = people[15].periods[0]
    period.end_date, period.outcome = date(2026, 3, 30), "education"
    db.session.commit()
    closing.reopen_month(network, 2026, 3, coordinator, "late_registration", "Tariq kom i job")
    db.session.commit()
    revised = _steering_report([network], 3).published
    assert revised["participants.active"] == first["participants.active"]  # same people
    assert revised["participants.new"] == first["participants.new"]
    log_in(client, make_user("steering", network).email)
    page = client.get("/stats/2026/3").get_data(as_text=True)
    assert "Sen registrering" in page and "Tariq" not in page
    for fmt in ("csv", "xlsx"):
        assert b"Tariq" not in client.get(f"/stats/2026/3/export.{fmt}").get_data()


def test_consistency_same_people_same_value_everywhere(app, client, people, network):
    for month in (2, 3):
        close(network, 2026, month)
    march = _steering_report([network], 3)
    again = services.build_report([network], 2026, 3, exact=False)
    assert march.published == again.published  # two reads give the same release
    # The same total in several tables: the three breakdowns and the outcomes share it.
    sections = {s["key"]: s for s in march.sections}
    assert {column_total_id(t, "active") for t in sections["participants"]["tables"]} == {
        "participants.active"
    }
    assert column_total_id(sections["outcomes"]["tables"][0], "month") == "participants.left"
    # Two exports carry the same figures as the page.
    log_in(client, make_user("steering", network).email)
    active = march.published["participants.active"]
    csv_text = client.get("/stats/2026/3/export.csv").get_data().decode("utf-8-sig")
    assert f";{active};\r\n" in csv_text
    workbook = load_workbook(io.BytesIO(client.get("/stats/2026/3/export.xlsx").get_data()))
    assert active in [row[4] for row in workbook.active.iter_rows(values_only=True)]
    assert str(active) in client.get("/stats/2026/3").get_data(as_text=True)


def test_consistency_same_people_in_another_month_and_in_a_sum(people, network):
    """Nobody started or left in a month: its active count has the same people, so the same
    key, so the same published value as the month before; and a sum's key is its parts'."""
    for person in people[:6]:
        person.periods[0].end_date, person.periods[0].outcome = None, None
    db.session.commit()
    for month in (4, 5):  # no one starts or leaves after March
        services.compute_figures([network.id], 2026, month, TODAY)
    april = services.build_report([network], 2026, 4, exact=False, today=date(2026, 6, 1))
    may = services.build_report([network], 2026, 5, exact=False, today=date(2026, 6, 1))
    assert april.counts["participants.active"] == may.counts["participants.active"]
    assert april.published["participants.active"] == may.published["participants.active"]
