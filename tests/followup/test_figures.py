"""Retention at 1, 3, 6 and 12 months per leaving cohort, and the cohort table, on generated
data and on a small hand-made case whose answer is known."""

from datetime import date

from sqlalchemy import func, select

from netvaerk.core.models import Network
from netvaerk.extensions import db
from netvaerk.followup import checks, figures
from netvaerk.followup.models import Conversation, StatusCheck
from netvaerk.generate import generate
from netvaerk.participants.models import WORK_OR_EDUCATION, ParticipationPeriod

from .util import TODAY, freeze_today, left_into

END = date(2026, 3, 4)


def test_cohorts_by_month_and_quarter():
    assert figures.cohort_of(date(2025, 11, 28)) == "2025-11"
    assert figures.cohort_of(date(2025, 11, 28), "quarter") == "2025-Q4"
    assert figures.cohort_of(date(2026, 1, 1), "quarter") == "2026-Q1"


def test_retention_of_a_known_cohort(app, network):
    kept = left_into(network, "ordinary_job", date(2025, 2, 10), first_name="Kept")
    lost = left_into(network, "flex_job", date(2025, 2, 20), first_name="Lost")
    silent = left_into(network, "education", date(2025, 2, 25), first_name="Silent")
    left_into(network, "stopped", date(2025, 2, 12), first_name="Stopped")
    for person, status in ((kept, "same_job"), (lost, "benefits")):
        for months in (1, 3, 6):
            check = checks.check_for(person, months)
            checks.record_status(check, status, check.due_on, None, None, None, TODAY)
    db.session.commit()
    table = figures.retention_table([network.id], TODAY)[network.id]
    done = {"in_work": 1, "not_in_work": 1, "not_reached": 1, "pending": 0, "due": 3}
    assert table["2025-02"][1] == table["2025-02"][6] == done
    # The 12-month checks fell due in February 2026: still within their 30 days.
    assert table["2025-02"][12] == {
        "in_work": 0,
        "not_in_work": 0,
        "not_reached": 0,
        "pending": 3,
        "due": 3,
    }
    counts = figures.status_counts([network.id], TODAY)[network.id]
    assert counts["2025-02"][3] == {"benefits": 1, "not_reached": 1, "same_job": 1}
    assert silent.id  # the education leaver was never reached: "not_reached" after 30 days
    cohort = figures.cohort_table([network.id], TODAY, by="quarter")[network.id]["2025-Q1"]
    assert cohort["started"] == 4 and cohort["completed"] == 3
    assert cohort["outcomes"]["stopped"] == 1 and cohort["outcomes"]["ordinary_job"] == 1
    assert (cohort["in_work_6"], cohort["due_6"], cohort["in_work_12"], cohort["due_12"]) == (
        1,
        3,
        0,
        3,
    )


def test_tables_on_generated_data_add_up(app, monkeypatch):
    freeze_today(monkeypatch, END)
    generate(3, 3, seed=11, end=END, close_months=False)
    network_ids = list(db.session.execute(select(Network.id)).scalars())
    work_periods = db.session.scalar(
        select(func.count(ParticipationPeriod.id)).where(
            ParticipationPeriod.outcome.in_(WORK_OR_EDUCATION),
            ParticipationPeriod.end_date <= END,
        )
    )
    assert work_periods > 5
    assert db.session.scalar(select(func.count(StatusCheck.id))) == 4 * work_periods
    assert db.session.scalar(select(func.count(Conversation.id))) > 20
    retention = figures.retention_table(network_ids, END, by="quarter")
    kept = {1: 0, 6: 0}
    due = {1: 0, 6: 0}
    for network_id in network_ids:
        for cohort, per_month in retention.get(network_id, {}).items():
            for months, cell in per_month.items():
                parts = sum(cell.get(key, 0) for key in figures.RETENTION_COLUMNS)
                assert parts == cell["due"], (network_id, cohort, months)
                if months in kept:
                    kept[months] += cell["in_work"]
                    due[months] += cell["due"] - cell["pending"]
    # Realistic: most keep work a month after, fewer after six months, but not none.
    assert kept[1] / due[1] > kept[6] / due[6] > 0.3, (kept, due)
    cohorts = figures.cohort_table(network_ids, END)
    started = sum(row["started"] for rows in cohorts.values() for row in rows.values())
    assert started == db.session.scalar(select(func.count(ParticipationPeriod.id)))
    for rows in cohorts.values():
        for row in rows.values():
            assert (
                row["completed"] + row["still_active"] + row["outcomes"]["stopped"]
                == (row["started"])
            )
            assert row["in_work_6"] <= row["due_6"] and row["in_work_12"] <= row["due_12"]
