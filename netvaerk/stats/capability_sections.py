"""The report's sections on chores, activities, the exit evaluation and the wheel of life.

Each section runs a fixed number of aggregate queries for all its networks (rules: `sections`).

What is personal here, and what is not:

- Chores and activities are counted as things (tasks, activities, places, hours), not people,
  so they are `number`s and never perturbed. A breakdown by chore kind or activity type says
  nothing about who did a task: the report has no breakdown by person, by day or by meeting,
  and no chore count is part of a relation with the counts of people. A facilitator's name or
  own hours never reach the report; only how many facilitators took part.
- Hours per participant who left for work or education: over their perturbed count.
- Exit evaluations answered, and each scale question's answers, are counts of people (keys
  derived: the answers are unlinkable). The steering group's mean is the question's points,
  perturbed like a count, over its published answers (`ratios`). No free text is read here.
- Wheel of life: an area's total change, perturbed, over the published people scored twice
  (at least `MIN_PEOPLE`) whose latest scoring falls in the month (months never overlap).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, and_, case, distinct, func, literal, null, or_, select, union_all

from ..activities.models import Activity, ActivityType, SignUp
from ..core.statements import built_once, day, ids, number
from ..evaluations.models import AnswerItem, EvaluationForm, FormQuestion, FormVersion, Submission
from ..extensions import db
from ..meetings.models import Meeting
from ..participants.models import WORK_OR_EDUCATION, ParticipationPeriod
from ..rota.models import Chore, ChoreAssignment
from ..wheel.services import MIN_PEOPLE, change_per_area
from .figures import subtotal_id
from .people_sections import OUTCOME_TABLE, WORK_OR_EDUCATION_ROWS
from .sections import (
    count,
    hours,
    in_table,
    loose_figures,
    mean,
    month_parameters,
    report_section,
    table,
    trend_metric,
)
from .sections import number as number_figure

# Chores ------------------------------------------------------------------------------------

CHORE_TABLE = "chores.by_chore"
CHORE_TOTALS = {"assigned": "chores.assigned", "done": "chores.done"}


@built_once
def _chores_statement():
    """Per network and chore: assigned and done at the month's meetings."""
    first, last = day("first"), day("last")
    assignment = ChoreAssignment
    # An erased participant's done chore keeps no holder but was assigned all the same.
    assigned = or_(assignment.participant_id.is_not(None), assignment.is_done.is_(True))
    return (
        select(
            assignment.network_id,
            Chore.name,
            func.sum(case((assigned, 1), else_=0)),
            func.sum(case((assignment.is_done.is_(True), 1), else_=0)),
        )
        .join(Chore, Chore.id == assignment.chore_id)
        .join(Meeting, Meeting.id == assignment.meeting_id)
        .where(
            assignment.network_id.in_(ids()),
            # The meetings' own network filter: without it PostgreSQL scans every network's
            # meetings of the month (the assignments' filter does not reach them).
            Meeting.network_id.in_(ids()),
            Meeting.date.between(first, last),
            Meeting.is_cancelled.is_(False),
        )
        .group_by(assignment.network_id, Chore.name)
        .order_by(assignment.network_id, Chore.name)
    )


@report_section(
    "chores",
    title=_l("Chores of the house"),
    order=40,
    labels={
        CHORE_TABLE: _l("Chores done against assigned, by chore"),
        "assigned": _l("Assigned"),
        "done": _l("Done"),
    },
)
def chores_section(network_ids: Sequence[int], first: date, last: date) -> dict[int, dict]:
    """Chores assigned and done at the month's meetings, by chore (one query)."""
    rows = db.session.execute(_chores_statement(), month_parameters(network_ids, first, last)).all()
    lines: dict[int, dict[str, list[int]]] = {network_id: {} for network_id in network_ids}
    for network_id, name, assigned_count, done_count in rows:
        if assigned_count or done_count:
            lines[network_id][name] = [int(assigned_count or 0), int(done_count or 0)]
    return {
        network_id: {
            "tables": [
                table(
                    CHORE_TABLE,
                    list(chores),
                    ["assigned", "done"],
                    list(chores.values()),
                    total_ids=CHORE_TOTALS,
                    personal=False,
                )
            ],
            "figures": [],
        }
        for network_id, chores in lines.items()
    }


# Activities --------------------------------------------------------------------------------

ACTIVITY_TABLE = "activities.by_type"
NO_TYPE = "-"
WE_LEFT = subtotal_id({"key": OUTCOME_TABLE}, WORK_OR_EDUCATION_ROWS, "month")


@built_once
def _activities_statements():
    """Per network and activity type: held, sign-ups, unfilled places and hours; and per
    network the facilitators and those who left for work or education."""
    first, last = day("first"), day("last")
    # The month's activities are few, the meetings and sign-ups of every year many: each
    # activity looks its meeting and its sign-ups up by key (subqueries per activity), where
    # joins let PostgreSQL hash both whole tables.
    meeting_cancelled = (
        select(Meeting.is_cancelled).where(Meeting.id == Activity.meeting_id).scalar_subquery()
    )
    planned = and_(
        Activity.network_id.in_(ids()),
        Activity.date.between(first, last),
        Activity.is_cancelled.is_(False),
        or_(Activity.meeting_id.is_(None), meeting_cancelled.is_(False)),
    )
    per_activity = (
        select(
            Activity.network_id,
            Activity.type_id,
            Activity.was_held,
            Activity.facilitators_needed.label("needed"),
            select(func.count(SignUp.id))
            .where(SignUp.activity_id == Activity.id)
            .scalar_subquery()
            .label("signups"),
            select(func.sum(SignUp.hours))
            .where(SignUp.activity_id == Activity.id)
            .scalar_subquery()
            .label("hours"),
        )
        .where(planned)
        .subquery()
    )
    held = per_activity.c.was_held.is_(True)
    by_type = (
        select(
            per_activity.c.network_id,
            ActivityType.key,
            ActivityType.name_da,
            ActivityType.name_en,
            func.sum(case((held, 1), else_=0)),
            func.sum(per_activity.c.signups),
            func.sum(
                case(
                    (
                        per_activity.c.needed > per_activity.c.signups,
                        per_activity.c.needed - per_activity.c.signups,
                    ),
                    else_=0,
                )
            ),
            func.sum(case((held, func.coalesce(per_activity.c.hours, 0)), else_=0)),
        )
        .outerjoin(ActivityType, ActivityType.id == per_activity.c.type_id)
        .group_by(
            per_activity.c.network_id,
            ActivityType.id,
            ActivityType.key,
            ActivityType.name_da,
            ActivityType.name_en,
            ActivityType.sort_order,
        )
        .order_by(
            per_activity.c.network_id, ActivityType.sort_order.is_(None), ActivityType.sort_order
        )
    )
    people = union_all(
        select(
            literal("facilitators", String),
            Activity.network_id,
            func.count(distinct(SignUp.user_id)),
        )
        .join(SignUp, SignUp.activity_id == Activity.id)
        .where(planned)
        .group_by(Activity.network_id),
        select(
            literal("left_for_work_or_education", String),
            ParticipationPeriod.network_id,
            func.count(),
        )
        .where(
            ParticipationPeriod.network_id.in_(ids()),
            ParticipationPeriod.end_date.between(first, last),
            ParticipationPeriod.outcome.in_(WORK_OR_EDUCATION),
        )
        .group_by(ParticipationPeriod.network_id),
    )
    return by_type, people


@report_section(
    "activities",
    title=_l("Activities and facilitators"),
    order=50,
    labels={
        "activities.held": _l("Activities held"),
        "activities.signups": _l("Facilitator sign-ups"),
        "activities.unfilled": _l("Unfilled facilitator places"),
        "activities.facilitators": _l("Facilitators who signed up"),
        "activities.hours": _l("Facilitator hours"),
        "activities.hours_per_work_or_education": _l(
            "Facilitator hours per participant who left for work or education"
        ),
        ACTIVITY_TABLE: _l("Activities held and facilitator hours, by type"),
        "held": _l("Held"),
        "hours": _l("Facilitator hours"),
        NO_TYPE: _l("No type"),
    },
)
def activities_section(network_ids: Sequence[int], first: date, last: date) -> dict[int, dict]:
    """Activities held by type, sign-ups, unfilled places, facilitators and their hours, and
    hours per participant who left for work or education (two queries).

    Activities cancelled, or on a cancelled meeting, do not count. Hours are the confirmed
    hours of activities held, as the activities' own hour counts have them.
    """
    parameters = month_parameters(network_ids, first, last)
    by_type_statement, people_statement = _activities_statements()
    by_type = db.session.execute(by_type_statement, parameters).all()
    # Two counts per network in one statement: facilitators who signed up, and participants
    # who left for work or education (the base of hours per such leaver).
    people = db.session.execute(people_statement, parameters).all()
    facilitators = {n: c for kind, n, c in people if kind == "facilitators"}
    left_for_work_or_education = {n: c for kind, n, c in people if kind != "facilitators"}
    totals = {network_id: [0, 0, 0, 0.0] for network_id in network_ids}
    per_type: dict[int, list[dict]] = {network_id: [] for network_id in network_ids}
    for network_id, key, name_da, name_en, n_held, signups, unfilled, type_hours in by_type:
        line = totals[network_id]
        line[0] += int(n_held or 0)
        line[1] += int(signups or 0)
        line[2] += int(unfilled or 0)
        line[3] += float(type_hours or 0)
        if not (n_held or type_hours):
            continue
        if name_da is None:
            row, names = NO_TYPE, None
        else:
            # Default types share their key across networks, so the sum adds them up.
            row, names = key or f"name:{name_da}", {"da": name_da, "en": name_en}
        per_type[network_id].append(
            {"row": row, "names": names, "held": int(n_held or 0), "hours": type_hours or 0}
        )
    figures_of: dict[int, list[dict]] = {}
    for network_id in network_ids:
        n_held, signups, unfilled, total_hours = totals[network_id]
        leavers = int(left_for_work_or_education.get(network_id, 0))
        figures = figures_of[network_id] = [
            number_figure("activities.held", n_held),
            number_figure("activities.signups", signups),
            number_figure("activities.unfilled", unfilled),
            number_figure("activities.facilitators", int(facilitators.get(network_id, 0))),
            hours("activities.hours", total_hours),
            mean(
                "activities.hours_per_work_or_education",
                total_hours,
                leavers,
                base=leavers,
                refs=[WE_LEFT],
                den_ref=WE_LEFT,
                numbers=["num"],
            ),
        ]
        for entry in per_type[network_id]:
            row = entry["row"]
            figures.append(
                in_table(
                    number_figure(f"activities.held.{row}", entry["held"]),
                    ACTIVITY_TABLE,
                    row,
                    "held",
                    row_names=entry["names"],
                )
            )
            figures.append(
                in_table(
                    hours(f"activities.hours.{row}", entry["hours"]),
                    ACTIVITY_TABLE,
                    row,
                    "hours",
                    row_names=entry["names"],
                )
            )
    return loose_figures(figures_of)


# Exit evaluation ---------------------------------------------------------------------------

EVALUATION_TABLE = "evaluations.means"


@built_once
def _evaluation_statements():
    """Per network: exit evaluations answered and each scale question's sum and answers; and
    the wording of the scale questions."""
    exit_answers = and_(
        Submission.network_id.in_(ids()),
        Submission.year == number("year"),
        Submission.month == number("month"),
        EvaluationForm.purpose == "exit",
    )
    # The number of evaluations answered (the row with no question key) and, per scale
    # question, the sum and number of its answers, in one statement.
    answered = (
        select(Submission.network_id, null(), null(), func.count(Submission.id))
        .join(FormVersion, FormVersion.id == Submission.version_id)
        .join(EvaluationForm, EvaluationForm.id == FormVersion.form_id)
        .where(exit_answers)
        .group_by(Submission.network_id)
    )
    per_question = (
        select(
            Submission.network_id,
            FormQuestion.key,
            func.sum(AnswerItem.number),
            func.count(AnswerItem.number),
        )
        .join(FormVersion, FormVersion.id == Submission.version_id)
        .join(EvaluationForm, EvaluationForm.id == FormVersion.form_id)
        .join(AnswerItem, AnswerItem.submission_id == Submission.id)
        .join(FormQuestion, FormQuestion.id == AnswerItem.question_id)
        .where(exit_answers, FormQuestion.kind == "scale", AnswerItem.number.is_not(None))
        .group_by(Submission.network_id, FormQuestion.key)
    )
    # The wording of each scale question: its newest version's, in both languages.
    wordings = (
        select(
            FormVersion.network_id,
            FormQuestion.key,
            FormQuestion.text_da,
            FormQuestion.text_en,
        )
        .join(FormVersion, FormVersion.id == FormQuestion.version_id)
        .join(EvaluationForm, EvaluationForm.id == FormVersion.form_id)
        .where(
            FormVersion.network_id.in_(ids()),
            EvaluationForm.purpose == "exit",
            FormQuestion.kind == "scale",
        )
        .order_by(
            FormVersion.network_id, EvaluationForm.id, FormVersion.number, FormQuestion.position
        )
    )
    return union_all(per_question, answered), wordings


@report_section(
    "evaluations",
    title=_l("Exit evaluation"),
    order=60,
    labels={
        "evaluations.answers": _l("Exit evaluations answered"),
        EVALUATION_TABLE: _l("Mean per question (scale 1–5)"),
        "answers": _l("Answers"),
        "mean": _l("Mean"),
    },
)
def evaluations_section(network_ids: Sequence[int], first: date, last: date) -> dict[int, dict]:
    """The number of exit evaluations answered in the month and the mean of each scale
    question, followed across form versions by its key (two queries; no free text)."""
    parameters = month_parameters(network_ids, first, last)
    sums_statement, wordings_statement = _evaluation_statements()
    sums = db.session.execute(sums_statement, parameters).all()
    answers = {network_id: n for network_id, key, _total, n in sums if key is None}
    # The wording of each scale question: its newest version's, in both languages.
    wordings = db.session.execute(wordings_statement, parameters).all()
    order: dict[int, dict[str, dict]] = {network_id: {} for network_id in network_ids}
    for network_id, key, text_da, text_en in wordings:
        order[network_id].pop(key, None)  # the newest version decides the place and words
        order[network_id][key] = {"da": text_da, "en": text_en}
    means = {
        (network_id, key): (int(total or 0), int(n))
        for network_id, key, total, n in sums
        if key is not None
    }
    figures_of: dict[int, list[dict]] = {}
    for network_id in network_ids:
        figures = figures_of[network_id] = [
            count("evaluations.answers", int(answers.get(network_id, 0)))
        ]
        for key, names in order[network_id].items():
            if (network_id, key) not in means:
                continue
            total, n = means[(network_id, key)]
            answered = f"evaluations.answered.{key}"
            figures.append(
                in_table(count(answered, n), EVALUATION_TABLE, key, "answers", row_names=names)
            )
            figures.append(
                in_table(
                    mean(
                        f"evaluations.mean.{key}",
                        total,
                        n,
                        base=n,
                        refs=["evaluations.answers", answered],
                        den_ref=answered,
                        scale=(1, 5),
                    ),
                    EVALUATION_TABLE,
                    key,
                    "mean",
                    row_names=names,
                )
            )
    return loose_figures(figures_of)


# Wheel of life -----------------------------------------------------------------------------

WHEEL_TABLE = "wheel.by_area"


@report_section(
    "wheel",
    title=_l("Wheel of life"),
    order=70,
    labels={
        WHEEL_TABLE: _l(
            "Average change per area from intake, for those scored again this month "
            "(shown when at least %(n)d people have two scorings)",
            n=MIN_PEOPLE,
        ),
        "people": _l("People with two scorings"),
        "change": _l("Average change (0–10 scale)"),
    },
)
def wheel_section(network_ids: Sequence[int], first: date, last: date) -> dict[int, dict]:
    """Average change per area from intake to the latest scoring, for the people whose latest
    scoring falls in the month (one query, through `wheel.services.change_per_area`)."""
    changes = change_per_area(network_ids, last, start=first)
    figures_of: dict[int, list[dict]] = {}
    for network_id in network_ids:
        figures = figures_of[network_id] = []
        for area in changes[network_id].values():
            if not area["people"]:
                continue
            # Areas are the network's own; the Danish name joins them up across networks.
            row = area["name_da"]
            names = {"da": area["name_da"], "en": area["name_en"]}
            people_key = f"wheel.people.{row}"
            figures.append(
                in_table(
                    count(people_key, area["people"]), WHEEL_TABLE, row, "people", row_names=names
                )
            )
            figures.append(
                in_table(
                    mean(
                        f"wheel.change.{row}",
                        area["total_change"],
                        area["people"],
                        base=area["people"],
                        refs=[people_key],
                        den_ref=people_key,
                        scale=(-10, 10),
                    ),
                    WHEEL_TABLE,
                    row,
                    "change",
                    row_names=names,
                    min_base=MIN_PEOPLE,
                )
            )
    return loose_figures(figures_of)


trend_metric(CHORE_TOTALS["done"], _l("Chores done"), order=70)
trend_metric("activities.held", _l("Activities held"), order=80)
trend_metric("activities.hours", _l("Facilitator hours"), order=90)
trend_metric("evaluations.answers", _l("Exit evaluations answered"), order=100)
