"""The report's sections on chores, activities, the exit evaluation and the wheel of life:
their figures on hand-made data, suppression, sums, old snapshots, exports and queries."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import event

from netvaerk.activities.models import ActivityType
from netvaerk.core.models import Membership
from netvaerk.evaluations.models import (
    AnswerItem,
    EvaluationForm,
    FormQuestion,
    FormVersion,
    Submission,
)
from netvaerk.extensions import db
from netvaerk.rota.models import Chore, ChoreAssignment
from netvaerk.stats import services
from netvaerk.stats.models import MonthlyReport
from netvaerk.stats.ratios import rounded
from netvaerk.wheel import services as wheel
from netvaerk.wheel.models import WheelScore, WheelScoring

from ..conftest import log_in
from ..factories import (
    make_activity,
    make_meeting,
    make_network,
    make_participant,
    make_signup,
    make_user,
)
from .helpers import close
from .test_pages import _crawl, _text_of

NEW_SECTIONS = ("chores", "activities", "evaluations", "wheel")
SECRET_TEXT = "Kaffen smagte af gammel sok"
FACILITATOR_NAMES = ("Vibeke Frivilligsen", "Torben Jobcentersen", "Ulla Virksomhedsen")


@pytest.fixture(autouse=True)
def april_2026(monkeypatch):
    """Today is 15 April 2026, so March 2026 is complete."""
    monkeypatch.setattr("netvaerk.timeutil.local_now", lambda: datetime(2026, 4, 15, 10, 0))


def _value(report, key):
    value, state, _kind = report.value(key)
    return value, state


# Hand-made data ---------------------------------------------------------------------------


def add_chores(network):
    """March: coffee 2 assigned / 1 done, dishes 3 assigned / 2 done (one by an erased
    holder); an open slot, a cancelled meeting and February do not count."""
    people = [
        make_participant(network, first_name=f"Rota{i}", last_name="Holder") for i in range(3)
    ]
    first = make_meeting(network, date(2026, 3, 2))
    second = make_meeting(network, date(2026, 3, 4))
    cancelled = make_meeting(network, date(2026, 3, 5), is_cancelled=True, cancel_reason="Lukket")
    february = make_meeting(network, date(2026, 2, 23))
    coffee = Chore(network_id=network.id, name="Kaffe og te")
    dishes = Chore(network_id=network.id, name="Opvask", people_needed=2)
    db.session.add_all([coffee, dishes])
    db.session.flush()
    for meeting, chore, slot, person, done in (
        (first, coffee, 1, people[0], True),
        (first, dishes, 1, people[1], True),
        (first, dishes, 2, people[2], False),
        (second, coffee, 1, people[0], False),
        (second, dishes, 1, None, False),  # an open slot nobody has
        (second, dishes, 2, None, True),  # done by a participant since erased
        (cancelled, coffee, 1, people[1], True),
        (february, coffee, 1, people[2], True),
    ):
        db.session.add(
            ChoreAssignment(
                network_id=network.id,
                meeting_id=meeting.id,
                chore_id=chore.id,
                slot_no=slot,
                participant_id=person.id if person else None,
                is_done=done,
            )
        )
    db.session.commit()


def add_activities(network):
    """March: 4 held (CV ×2, walk and talk, one without type), 6 sign-ups, 1 place unfilled,
    3 facilitators, 7.5 hours; cancelled ones and February do not count."""
    types = {
        t.key: t
        for t in db.session.scalars(
            db.select(ActivityType).where(ActivityType.network_id == network.id)
        )
    }
    facilitators = []
    for name in FACILITATOR_NAMES:
        user = make_user("facilitator", network)
        user.name = name
        facilitators.append(user)
    db.session.commit()
    one, two, three = facilitators
    cv, walk = types["cv"].id, types["walk_and_talk"].id
    held = {"was_held": True}
    plan = (
        (date(2026, 3, 2), 2, {"type_id": cv, **held}, [(one, "2"), (two, "1.5")]),
        (date(2026, 3, 9), 2, {"type_id": cv, **held}, [(one, "2")]),
        (date(2026, 3, 11), 1, {"type_id": walk, **held}, [(two, "1")]),
        (date(2026, 3, 12), 3, {"type_id": cv, "is_cancelled": True}, [(three, None)]),
        (date(2026, 3, 18), 1, {"type_id": walk, "was_held": False}, [(three, None)]),
        (date(2026, 3, 19), 1, held, [(one, "1")]),
        (date(2026, 2, 25), 1, {"type_id": cv, **held}, [(one, "3")]),
    )
    for day, needed, fields, signups in plan:
        activity = make_activity(network, day, needed, **fields)
        for user, hours in signups:
            make_signup(activity, user, hours=Decimal(hours) if hours else None)
    off = make_meeting(network, date(2026, 3, 16), is_cancelled=True, cancel_reason="Lukket")
    make_activity(network, date(2026, 3, 16), 2, meeting=off, type_id=cv)


def add_leavers(network, count, outcome="ordinary_job"):
    """`count` participants who left in March for `outcome`."""
    for i in range(count):
        person = make_participant(network, first_name=f"Går{i}", last_name="Videre")
        person.periods[0].end_date = date(2026, 3, 10 + i)
        person.periods[0].outcome = outcome
        person.status = "left"
    db.session.commit()


def add_exit_answers(network, useful=(4, 5, 3, 4, 5, 5), chores=(2, 3, 4)):
    """An exit form in two versions (the question "useful" reworded in version 2): March has
    the given answers on version 1 plus one "useful" = 2 on version 2; February and another
    form's answers do not count. Every March answer carries a free-text reply."""
    form = EvaluationForm(
        network_id=network.id, purpose="exit", title_da="Slutevaluering", title_en="Exit"
    )
    midway = EvaluationForm(
        network_id=network.id, purpose="midway", title_da="Midtvejs", title_en="Midway"
    )
    db.session.add_all([form, midway])
    db.session.flush()

    def version(of, number, useful_da, useful_en):
        v = FormVersion(form_id=of.id, network_id=network.id, number=number)
        v.questions = [
            FormQuestion(
                key="useful", position=0, kind="scale", text_da=useful_da, text_en=useful_en
            ),
            FormQuestion(
                key="chores",
                position=1,
                kind="scale",
                text_da="Hvordan var det at dele opgaverne?",
                text_en="How was sharing the chores?",
            ),
            FormQuestion(key="change", position=2, kind="text", text_da="Hvad?", text_en="What?"),
        ]
        db.session.add(v)
        db.session.flush()
        return {q.key: q for q in v.questions}

    v1 = version(form, 1, "Hvor nyttigt har Netværket været?", "How useful has the network been?")
    v2 = version(form, 2, "Hvor nyttigt var Netværket?", "How useful was the network?")
    other = version(midway, 1, "Hvordan går det?", "How is it going?")

    def submit(questions, year, month, answers):
        submission = Submission(
            network_id=network.id, version_id=questions["useful"].version_id, year=year, month=month
        )
        for key, value in answers.items():
            field = {"text": value} if key == "change" else {"number": value}
            submission.items.append(AnswerItem(question_id=questions[key].id, **field))
        db.session.add(submission)

    for i, score in enumerate(useful):
        answers = {"useful": score, "change": SECRET_TEXT}
        if i < len(chores):
            answers["chores"] = chores[i]
        submit(v1, 2026, 3, answers)
    submit(v2, 2026, 3, {"useful": 2, "change": SECRET_TEXT})
    submit(v1, 2026, 2, {"useful": 1, "chores": 1})
    submit(other, 2026, 3, {"useful": 1, "chores": 1})
    db.session.commit()


def add_wheels(network, people_in_second_area=4):
    """Five people scored in January and again in March (change +1, +2, +3, 0, -1 in the first
    area; the second area scored again by only `people_in_second_area`); one person last scored
    in February and one only once do not count."""
    areas = wheel.active_areas(network.id)

    def score(person, day, values):
        scoring = WheelScoring(
            network_id=network.id,
            participant_id=person.id,
            scored_on=day,
            goal="Mit personlige mål: truckcertifikat",
        )
        scoring.scores = [WheelScore(area_id=areas[i].id, score=v) for i, v in values.items()]
        db.session.add(scoring)

    for i, change in enumerate((1, 2, 3, 0, -1)):
        person = make_participant(network, first_name=f"Hjul{i}", last_name="Scorer")
        score(person, date(2026, 1, 10), {0: 5, 1: 4})
        later = {0: 5 + change}
        if i < people_in_second_area:
            later[1] = 6
        score(person, date(2026, 3, 10 + i), later)
    early = make_participant(network, first_name="Tidlig", last_name="Scorer")
    score(early, date(2026, 1, 10), {0: 1, 1: 1})
    score(early, date(2026, 2, 10), {0: 9, 1: 9})
    once = make_participant(network, first_name="Kun", last_name="Engang")
    score(once, date(2026, 3, 3), {0: 10, 1: 10})
    db.session.commit()
    return areas


def add_everything(network):
    add_chores(network)
    add_activities(network)
    add_leavers(network, 5)
    add_exit_answers(network)
    return add_wheels(network)


# Figures ------------------------------------------------------------------------------------


def test_chores_done_against_assigned_by_chore(network):
    add_chores(network)
    report = services.build_report([network], 2026, 3, exact=True)
    chores = next(s for s in report.sections if s["key"] == "chores")["tables"][0]
    assert dict(zip(chores["rows"], chores["cells"], strict=True)) == {
        "Kaffe og te": [2, 1],
        "Opvask": [3, 2],
    }
    assert report.counts["chores.assigned"] == 5 and report.counts["chores.done"] == 3
    # Chores are things, not people: the steering group sees them exactly too.
    steering = services.build_report([network], 2026, 3, exact=False)
    assert steering.published["chores.done"] == 3 and steering.published["chores.assigned"] == 5


def test_activities_held_signups_unfilled_facilitators_and_hours(network):
    add_activities(network)
    report = services.build_report([network], 2026, 3, exact=True)
    assert report.counts["activities.held"] == 4
    assert report.counts["activities.signups"] == 6
    assert report.counts["activities.unfilled"] == 1
    assert report.counts["activities.facilitators"] == 3
    assert report.value("activities.hours") == (7.5, "shown", "hours")
    assert report.counts["activities.held.cv"] == 2
    assert report.value("activities.hours.cv")[0] == 5.5
    assert report.counts["activities.held.walk_and_talk"] == 1
    assert report.value("activities.hours.walk_and_talk")[0] == 1
    assert report.counts["activities.held.-"] == 1
    # Nobody left for work or education: nothing to compute.
    assert report.value("activities.hours_per_work_or_education")[1] == "none"


def test_hours_per_participant_who_left_for_work_or_education(network):
    add_activities(network)
    add_leavers(network, 5)
    add_leavers(network, 5, outcome="stopped")
    report = services.build_report([network], 2026, 3, exact=True)
    assert _value(report, "activities.hours_per_work_or_education") == (1.5, "shown")


def test_hours_per_leaver_rests_on_the_published_count_of_leavers(network):
    add_activities(network)
    add_leavers(network, 8)
    report = services.build_report([network], 2026, 3, exact=False)
    # Hours ÷ the figure must not give the exact count back: it uses the perturbed one.
    leavers = report.published["outcomes.by_outcome\x1f+work_or_education\x1fmonth"]
    # Rounded once, as the page shows it (one decimal).
    expected = rounded("mean", 7.5 / leavers)
    assert _value(report, "activities.hours_per_work_or_education") == (expected, "shown")


def test_hours_per_leaver_is_hidden_when_few_left_for_work_or_education(network):
    add_activities(network)
    add_leavers(network, 2)  # published as 0, 3 or 4: under 5 in every case
    report = services.build_report([network], 2026, 3, exact=False)
    assert _value(report, "activities.hours_per_work_or_education")[1] in ("small", "none")
    # The hours themselves are not about the leavers and stay visible.
    assert _value(report, "activities.hours") == (7.5, "shown")


def test_exit_evaluation_answers_and_means_per_question(network):
    add_exit_answers(network)
    report = services.build_report([network], 2026, 3, exact=True)
    assert _value(report, "evaluations.answers") == (7, "shown")
    # Followed across versions by its key: (4+5+3+4+5+5+2) / 7.
    assert _value(report, "evaluations.mean.useful") == (pytest.approx(4.0), "shown")
    # Three answers only: the coordinator sees the mean; the steering group never sees a
    # single network's exit evaluation.
    assert _value(report, "evaluations.mean.chores") == (pytest.approx(3.0), "shown")
    steering = services.build_report([network], 2026, 3, exact=False)
    assert "evaluations" in steering.protection.hidden_sections
    section = next(s for s in report.sections if s["key"] == "evaluations")
    assert SECRET_TEXT not in repr(section)
    assert not any(f["key"].startswith("evaluations.mean.change") for f in section["figures"])
    useful = next(f for f in section["figures"] if f["key"] == "evaluations.mean.useful")
    assert useful["row_names"] == {
        "da": "Hvor nyttigt var Netværket?",
        "en": "How useful was the network?",
    }


def test_few_exit_answers_hide_the_count_and_every_mean(network):
    add_exit_answers(network, useful=(5, 5, 4), chores=())
    other = make_network()
    add_exit_answers(other, useful=(5, 4), chores=())
    report = services.build_report([network, other], 2026, 3, exact=False)
    assert _value(report, "evaluations.answers")[1] == "few"
    assert "evaluations.mean.useful" in report.protection.hidden_figures


def test_wheel_average_change_per_area_needs_five_people(network):
    areas = add_wheels(network)
    report = services.build_report([network], 2026, 3, exact=True)
    first, second = areas[0].name_da, areas[1].name_da
    assert _value(report, f"wheel.people.{first}") == (5, "shown")
    assert _value(report, f"wheel.change.{first}") == (pytest.approx(1.0), "shown")
    assert _value(report, f"wheel.people.{second}") == (4, "shown")
    assert _value(report, f"wheel.change.{second}")[1] == "small"
    # The same as the wheel's own rule for the month.
    own = wheel.average_change_per_area(network.id, date(2026, 3, 31), start=date(2026, 3, 1))
    assert own[areas[0].id]["mean_change"] == pytest.approx(1.0)
    assert own[areas[1].id]["mean_change"] is None


def test_wheel_mean_needs_five_people_even_with_a_lower_threshold(network):
    areas = add_wheels(network)
    report = services.build_report([network], 2026, 3, exact=True)
    assert _value(report, f"wheel.people.{areas[1].name_da}") == (4, "shown")
    assert _value(report, f"wheel.change.{areas[1].name_da}")[1] == "small"


def test_sum_over_networks_adds_up_the_new_sections(network):
    add_everything(network)
    other = make_network()
    areas = add_everything(other)
    report = services.build_report([network, other], 2026, 3, exact=True)
    assert report.counts["chores.done"] == 6 and report.counts["chores.assigned"] == 10
    assert report.counts["activities.held.cv"] == 4
    assert report.value("activities.hours")[0] == 15
    assert _value(report, "activities.hours_per_work_or_education") == (1.5, "shown")
    assert _value(report, "evaluations.answers") == (14, "shown")
    assert _value(report, "evaluations.mean.useful") == (pytest.approx(4.0), "shown")
    # Three answers in each network: six together, so the sum may show the mean.
    assert _value(report, "evaluations.mean.chores") == (pytest.approx(3.0), "shown")
    # Four people in each network: eight together.
    assert _value(report, f"wheel.change.{areas[1].name_da}") == (pytest.approx(2.0), "shown")


def test_sum_hides_what_only_one_network_hides(network):
    add_exit_answers(network, useful=(5, 5, 4), chores=())
    other = make_network()
    add_exit_answers(other, useful=(1, 2, 3, 4, 5, 1, 2), chores=())
    report = services.build_report([network, other], 2026, 3, exact=False)
    assert "evaluations.answers" in report.protection.few
    assert "evaluations.mean.useful" in report.protection.hidden_figures


# Snapshots, pages and exports ---------------------------------------------------------------


def _strip_new_sections(network, year, month):
    """Make the closed month look like one closed before the new sections existed."""
    snapshot = db.session.scalar(
        db.select(MonthlyReport).where(
            MonthlyReport.network_id == network.id,
            MonthlyReport.year == year,
            MonthlyReport.month == month,
        )
    )
    figures = dict(snapshot.figures)
    figures["sections"] = [s for s in figures["sections"] if s["key"] not in NEW_SECTIONS]
    snapshot.figures = figures
    db.session.commit()


def test_closed_month_freezes_the_new_sections(network):
    add_everything(network)
    close(network, 2026, 3, None)
    before = services.build_report([network], 2026, 3, exact=True).counts
    db.session.execute(db.update(ChoreAssignment).values(is_done=False))
    db.session.execute(db.delete(WheelScore))
    db.session.execute(db.delete(WheelScoring))
    db.session.commit()
    assert services.build_report([network], 2026, 3, exact=True).counts == before


def test_old_snapshots_without_the_new_sections_still_render(app, client, network):
    add_everything(network)
    other = make_network()
    add_everything(other)
    close(network, 2026, 3, None)
    close(other, 2026, 3, None)
    _strip_new_sections(network, 2026, 3)
    steering = make_user("steering", network)
    db.session.add(Membership(user_id=steering.id, network_id=other.id, role="steering"))
    db.session.commit()
    log_in(client, steering.email)
    page = client.get(f"/stats/2026/3?network={network.id}").get_data(as_text=True)
    assert "Deltagere" in page and "Husets opgaver" not in page and "Livshjul" not in page
    for fmt in ("csv", "xlsx", "pdf"):
        assert client.get(f"/stats/2026/3/export.{fmt}?network={network.id}").status_code == 200
    # Summed with a network that closed the month with them, they show that network's figures.
    both = client.get("/stats/2026/3?network=all").get_data(as_text=True)
    assert "Husets opgaver" in both
    assert client.get("/stats/?network=all").status_code == 200


def test_page_and_exports_show_the_new_sections_with_the_same_suppression(app, client, network):
    add_everything(network)
    close(network, 2026, 3, None)
    user = make_user("coordinator", network)
    log_in(client, user.email)
    page = client.get("/stats/2026/3").get_data(as_text=True)
    for title in ("Husets opgaver", "Aktiviteter og facilitatorer", "Slutevaluering", "Livshjul"):
        assert title in page
    assert "Hvor nyttigt var Netværket?" in page
    rows = list(
        csv.reader(
            io.StringIO(client.get("/stats/2026/3/export.csv").get_data().decode("utf-8-sig")),
            delimiter=";",
        )
    )
    by_row = {(r[0], r[2], r[3]): r[4] for r in rows if len(r) == 6}
    assert by_row[("Husets opgaver", "Opvask", "Udført")] == "2"
    assert by_row[("Aktiviteter og facilitatorer", "Facilitatortimer", "")] == "7,5"
    assert by_row[("Slutevaluering", "Hvor nyttigt var Netværket?", "Gennemsnit")] == "4,0"
    workbook = load_workbook(io.BytesIO(client.get("/stats/2026/3/export.xlsx").get_data()))
    cells = {
        (r[0], r[2], r[3]): r[4] for r in workbook.active.iter_rows(values_only=True) if len(r) >= 5
    }
    assert cells[("Aktiviteter og facilitatorer", "Facilitatortimer", None)] == 7.5
    pdf = PdfReader(io.BytesIO(client.get("/stats/2026/3/export.pdf").get_data()))
    text = " ".join(p.extract_text() for p in pdf.pages)
    assert "Livshjul" in text and "Husets opgaver" in text
    # The English reader gets the question in English, frozen with the month.
    user.locale = "en"
    db.session.commit()
    page = client.get("/stats/2026/3").get_data(as_text=True)
    assert "How useful was the network?" in page and "Chores of the house" in page


def test_steering_crawl_with_every_section_shows_no_person_and_no_free_text(app, client, network):
    add_everything(network)
    close(network, 2026, 2, None)
    close(network, 2026, 3, None)
    steering = make_user("steering", network)
    log_in(client, steering.email)
    pages = _crawl(client, "/stats/")
    assert len(pages) > 8
    people = db.session.scalars(
        db.select(Membership).where(Membership.network_id == network.id)
    ).all()
    facilitator_emails = [m.user.email for m in people if m.role == "facilitator"]
    from netvaerk.participants.models import Participant

    participants = db.session.scalars(db.select(Participant)).all()
    for url, body in pages.items():
        text = _text_of(url, body)
        assert SECRET_TEXT not in text and "truckcertifikat" not in text, url
        for secret in (*FACILITATOR_NAMES, *facilitator_emails):
            assert secret not in text, (url, secret)
        for person in participants:
            assert person.full_name not in text and person.last_name not in text, url


# Queries --------------------------------------------------------------------------------------


@pytest.mark.commits
def test_the_whole_report_uses_the_same_number_of_queries_however_much_data(app, network):
    def queries(networks):
        statements = []

        def count(*args):
            statements.append(1)

        db.session.expire_all()
        [n.id for n in networks]  # the networks are loaded before, as a page has them
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            services.build_report(networks, 2026, 3, exact=False)
            services.trend(networks, 2026, 3, exact=False)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    empty = queries([network])
    full = [make_network() for _ in range(4)]
    for n in full:
        add_everything(n)
    assert queries(full) == empty
    assert queries([full[0]]) == empty
    close(full[0], 2026, 3, None)
    # A mix of a closed and open months costs no more.
    assert queries(full) <= empty
