"""The report's sections on participants, meetings and attendance, and outcomes.

Every count of people carries its cell key: the sum of its contributors' record keys modulo
256 (`ckm`). A person counted once in a month contributes the record key of their period in
it (the largest, in the rare month with two periods of one person).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    ColumnElement,
    and_,
    case,
    distinct,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)

from ..core.models import HousingArea
from ..core.statements import built_once, day, ids, number
from ..extensions import db
from ..labels import OUTCOME_LABELS, group_label
from ..meetings.models import Attendance, Meeting
from ..participants.models import (
    OUTCOMES,
    WORK_OR_EDUCATION,
    Participant,
    ParticipationPeriod,
)
from .ckm import KEY_RANGE
from .figures import column_total_id, subtotal_id
from .models import RecordKey
from .sections import count, mean, month_parameters, report_section, share, table, trend_metric
from .sections import number as number_figure

AGE_BANDS = ("18-24", "25-29", "30-39", "40-49", "50-59", "60-64")
AGE_BAND_ROWS = ("under-18", *AGE_BANDS, "65+", "unknown")
PARTICIPANT_COLUMNS = ("active", "new", "left")
# The three breakdowns add up to the same totals: one id each, shared by the tables.
PARTICIPANT_TOTALS = {column: f"participants.{column}" for column in PARTICIPANT_COLUMNS}
NO_AREA = "-"


def age_band_sql(birth_year, year):
    """`labels.age_band` as SQL, so that the database groups people by age band (`year`: a
    number, or a bound parameter)."""
    age = (year if isinstance(year, ColumnElement) else literal(year)) - birth_year
    whens = [(birth_year.is_(None), literal("unknown")), (age < 18, literal("under-18"))]
    for band in AGE_BANDS:
        high = int(band.split("-")[1])
        whens.append((age <= high, literal(band)))
    return case(*whens, else_=literal("65+"))


def _participant_row_label(table_key: str, row: str, network) -> str:
    if table_key == "participants.readiness_group":
        if network is not None:
            return group_label(network, int(row))
        return str(_l("Group %(n)d", n=int(row)))
    if table_key == "participants.age_band":
        return str(AGE_BAND_LABELS.get(row) or _l("%(band)s years", band=row.replace("-", "–")))
    if table_key == "participants.housing_area":
        return str(_l("Not recorded")) if row == NO_AREA else row
    return row


AGE_BAND_LABELS = {
    "under-18": _l("Under 18"),
    "65+": _l("65 and over"),
    "unknown": _l("Age not recorded"),
}


@built_once
def _participants_statement():
    """Per network, readiness group, age band and area: active, started, left and their keys;
    and every area of the networks as a row of no one."""
    period = ParticipationPeriod
    first, last = day("first"), day("last")
    in_month = and_(
        period.network_id.in_(ids()),
        period.start_date <= last,
        or_(period.end_date.is_(None), period.end_date >= first),
    )
    per_person = (
        select(
            period.network_id,
            period.participant_id,
            # 1 or 0 per person: someone who left and came back within the month (or a
            # period duplicated by a double click, before 0020) is one person started.
            func.max(case((period.start_date >= first, 1), else_=0)).label("started"),
            func.max(case((period.end_date <= last, 1), else_=0)).label("ended"),
            func.max(func.coalesce(RecordKey.key, 0)).label("rkey"),
        )
        .outerjoin(RecordKey, RecordKey.period_id == period.id)
        .where(in_month)
        .group_by(period.network_id, period.participant_id)
        .subquery()
    )
    band = age_band_sql(Participant.birth_year, number("year")).label("band")
    area = func.coalesce(HousingArea.name, NO_AREA).label("area")
    grouped = (
        select(
            per_person.c.network_id.label("network_id"),
            Participant.readiness_group.label("group"),
            band,
            area,
            func.count().label("active"),
            func.sum(per_person.c.started).label("started"),
            func.sum(per_person.c.ended).label("ended"),
            func.sum(per_person.c.rkey).label("active_key"),
            func.sum(case((per_person.c.started > 0, per_person.c.rkey), else_=0)).label("new_key"),
            func.sum(case((per_person.c.ended > 0, per_person.c.rkey), else_=0)).label("left_key"),
        )
        .join(Participant, Participant.id == per_person.c.participant_id)
        .outerjoin(HousingArea, HousingArea.id == Participant.housing_area_id)
        .group_by(per_person.c.network_id, Participant.readiness_group, band, area)
    )
    # Every housing area of the networks, as a row of no one, so that an area no one came
    # from this month still shows with its zeros.
    every_area = select(
        HousingArea.network_id,
        null(),
        null(),
        HousingArea.name,
        literal(0),
        literal(0),
        literal(0),
        literal(0),
        literal(0),
        literal(0),
    ).where(HousingArea.network_id.in_(ids()))
    rows = union_all(grouped, every_area).subquery()
    # Ordered by area, so that the areas' rows come in their names' order.
    return select(rows).order_by(rows.c.area, rows.c.group.is_not(None))


@report_section(
    "participants",
    title=_l("Participants"),
    order=10,
    labels={
        "participants.readiness_group": _l("By readiness group"),
        "participants.age_band": _l("By age band"),
        "participants.housing_area": _l("By housing area"),
        "active": _l("Active during the month"),
        "new": _l("Started"),
        "left": _l("Left during the month"),
    },
    row_label=_participant_row_label,
)
def participants_section(network_ids: Sequence[int], first: date, last: date) -> dict[int, dict]:
    """Participants active, started and leaving, by readiness group, age band and area."""
    grouped_rows = db.session.execute(
        _participants_statement(), month_parameters(network_ids, first, last)
    ).all()

    # Each line: active, started, left, then the three cell keys.
    def empty() -> dict[str, dict[str, list[int]]]:
        return {
            "readiness_group": {"1": [0] * 6, "3": [0] * 6},
            "age_band": {band_key: [0] * 6 for band_key in AGE_BAND_ROWS},
            "housing_area": {},
        }

    counts = {network_id: empty() for network_id in network_ids}
    for network_id, group, band_key, area_name, *numbers in grouped_rows:
        if group is None:  # an area of the network
            counts[network_id]["housing_area"].setdefault(area_name, [0] * 6)
            continue
        figures = [int(n or 0) for n in numbers]
        for breakdown, row in (
            ("readiness_group", str(group)),
            ("age_band", band_key),
            ("housing_area", area_name),
        ):
            line = counts[network_id][breakdown].setdefault(row, [0] * 6)
            for i, value in enumerate(figures):
                line[i] = (line[i] + value) % KEY_RANGE if i >= 3 else line[i] + value
    result = {}
    for network_id, breakdowns in counts.items():
        tables = []
        for breakdown, lines in breakdowns.items():
            rows = [
                row
                for row, line in lines.items()
                if any(line[:3]) or breakdown != "age_band" or row in AGE_BANDS
            ]
            if breakdown == "housing_area" and NO_AREA in rows:
                rows.remove(NO_AREA)
                rows.append(NO_AREA)
            tables.append(
                table(
                    f"participants.{breakdown}",
                    rows,
                    PARTICIPANT_COLUMNS,
                    [lines[row][:3] for row in rows],
                    total_ids=PARTICIPANT_TOTALS,
                    keys=[lines[row][3:] for row in rows],
                )
            )
        result[network_id] = {"tables": tables, "figures": []}
    return result


@built_once
def _attendance_statements():
    """Per network: the month's meetings with their check-ins; and the commitment kept."""
    first, last = day("first"), day("last")
    held_meeting = Meeting.is_cancelled.is_(False)
    # Each meeting with its check-ins (or none): meetings are counted by distinct id.
    meetings = (
        select(
            Meeting.network_id,
            func.count(distinct(case((held_meeting, Meeting.id)))),
            func.count(distinct(case((Meeting.is_cancelled.is_(True), Meeting.id)))),
            func.count(case((held_meeting, Attendance.id))),
            func.count(distinct(case((held_meeting, Attendance.participant_id)))),
        )
        .outerjoin(
            Attendance,
            and_(Attendance.meeting_id == Meeting.id, Attendance.status == "present"),
        )
        .where(Meeting.network_id.in_(ids()), Meeting.date.between(first, last))
        .group_by(Meeting.network_id)
    )
    period = ParticipationPeriod
    # The attendance at the month's held meetings of the networks, read once through the
    # meetings' index (MATERIALIZED: else PostgreSQL either hashes every year of the table or
    # looks each person-meeting up on its own).
    month_attendance = (
        select(Attendance.meeting_id, Attendance.participant_id, Attendance.status)
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(
            Meeting.network_id.in_(ids()),
            Meeting.date.between(first, last),
            Meeting.is_cancelled.is_(False),
        )
        .cte("month_attendance")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    per_person = (
        select(
            period.network_id,
            period.participant_id,
            # A participant's periods never overlap and attendance is unique per meeting and
            # participant, so each held meeting is counted once without DISTINCT.
            func.count(Meeting.id).label("held"),
            func.sum(
                case((month_attendance.c.status.in_(("present", "notified")), 1), else_=0)
            ).label("kept"),
            func.max(func.coalesce(RecordKey.key, 0)).label("rkey"),
        )
        .join(
            Meeting,
            and_(
                Meeting.network_id == period.network_id,
                Meeting.network_id.in_(ids()),
                Meeting.date.between(first, last),
                Meeting.is_cancelled.is_(False),
                Meeting.date >= period.start_date,
                or_(period.end_date.is_(None), Meeting.date <= period.end_date),
            ),
        )
        .outerjoin(
            month_attendance,
            and_(
                month_attendance.c.meeting_id == Meeting.id,
                month_attendance.c.participant_id == period.participant_id,
            ),
        )
        .outerjoin(RecordKey, RecordKey.period_id == period.id)
        .where(
            period.network_id.in_(ids()),
            # Implied by the join (a meeting of the month within the period); stated so that
            # only the periods overlapping the month are read.
            period.start_date <= last,
            or_(period.end_date.is_(None), period.end_date >= first),
        )
        .group_by(period.network_id, period.participant_id)
        .subquery()
    )
    keeps = per_person.c.kept >= per_person.c.held
    commitment = select(
        per_person.c.network_id,
        literal(0),
        func.count(),
        func.sum(case((keeps, 1), else_=0)),
        func.sum(per_person.c.rkey),
        func.sum(case((keeps, per_person.c.rkey), else_=0)),
    ).group_by(per_person.c.network_id)
    # One statement: the commitment's rows (0) and the check-ins' keys (1).
    return meetings, union_all(commitment, _checkin_keys_statement(month_attendance, last))


def _checkin_keys_statement(month_attendance, last):
    """Per network: the cell keys of the check-ins and of the people who came, from every
    check-in the count has. Each person's check-ins carry the record key of their latest
    period started by the month's end, whatever its end date: a leave recorded late (its date
    before some of the person's check-ins) changes neither the count nor its key, so a
    reopened month publishes the same check-ins (it once moved 53 to 54, see the README)."""
    period = ParticipationPeriod
    present = (
        select(month_attendance.c.participant_id, func.count().label("checkins"))
        .where(month_attendance.c.status == "present")
        .group_by(month_attendance.c.participant_id)
        .subquery()
    )
    latest = (
        select(period.participant_id, func.max(period.start_date).label("start"))
        .where(period.network_id.in_(ids()), period.start_date <= last)
        .group_by(period.participant_id)
        .subquery()
    )
    rkey = func.coalesce(RecordKey.key, 0)
    return (
        select(
            period.network_id,
            literal(1),
            func.sum(present.c.checkins * rkey),
            func.sum(rkey),
            literal(0),
            literal(0),
        )
        .select_from(present)
        .join(latest, latest.c.participant_id == present.c.participant_id)
        .join(
            period,
            and_(
                period.participant_id == latest.c.participant_id,
                period.start_date == latest.c.start,
            ),
        )
        .outerjoin(RecordKey, RecordKey.period_id == period.id)
        .group_by(period.network_id)
    )


@report_section(
    "attendance",
    title=_l("Meetings and attendance"),
    order=20,
    labels={
        "attendance.meetings_held": _l("Meetings held"),
        "attendance.meetings_cancelled": _l("Meetings cancelled"),
        "attendance.checkins": _l("Check-ins"),
        "attendance.attendees": _l("Participants who came at least once"),
        "attendance.avg_present": _l("Average present per meeting"),
        "attendance.expected": _l("Participants expected at meetings"),
        "attendance.commitment_met": _l("Participants keeping the three-a-week commitment"),
        "attendance.commitment_share": _l("Share keeping the three-a-week commitment"),
    },
)
def attendance_section(network_ids: Sequence[int], first: date, last: date) -> dict[int, dict]:
    """Meetings held and cancelled, check-ins, average present, the three-a-week commitment.

    Keeping the commitment: present at every meeting held while one was active that month,
    with absence notified in advance (illness, job interview, internship, course) excused.
    """
    parameters = month_parameters(network_ids, first, last)
    meetings_statement, commitment_statement = _attendance_statements()
    # Per network: meetings held and cancelled, check-ins and attendees.
    meetings = {
        network_id: (int(held or 0), int(cancelled or 0), int(checkins), int(attendees))
        for network_id, held, cancelled, checkins, attendees in db.session.execute(
            meetings_statement, parameters
        ).all()
    }
    # Per network: expected, met, and the cell keys of expected, met; of check-ins, attendees.
    commitment: dict[int, list[int]] = {}
    checkin_keys: dict[int, tuple[int, int]] = {}
    for network_id, kind, *numbers in db.session.execute(commitment_statement, parameters):
        numbers = [int(n or 0) for n in numbers]
        if kind == 0:
            commitment[network_id] = numbers
        else:
            checkin_keys[network_id] = (numbers[0], numbers[1])
    result = {}
    for network_id in network_ids:
        held, cancelled, checkins, attendees = meetings.get(network_id, (0, 0, 0, 0))
        expected, met, expected_key, met_key = commitment.get(network_id, (0,) * 4)
        checkins_key, attendees_key = checkin_keys.get(network_id, (0, 0))
        result[network_id] = {
            "tables": [],
            "figures": [
                number_figure("attendance.meetings_held", held),
                number_figure("attendance.meetings_cancelled", cancelled),
                count("attendance.checkins", checkins, checkins_key),
                count("attendance.attendees", attendees, attendees_key),
                mean(
                    "attendance.avg_present",
                    checkins,
                    held,
                    base=attendees,
                    refs=["attendance.checkins", "attendance.attendees"],
                    num_ref="attendance.checkins",
                    base_ref="attendance.attendees",
                    numbers=["den"],
                ),
                count("attendance.expected", expected, expected_key),
                count("attendance.commitment_met", met, met_key),
                share(
                    "attendance.commitment_share",
                    met,
                    expected,
                    refs=["attendance.commitment_met", "attendance.expected"],
                ),
            ],
        }
    return result


OUTCOME_TABLE = "outcomes.by_outcome"
WORK_OR_EDUCATION_ROWS = "work_or_education"


def _outcome_row_label(table_key: str, row: str, network) -> str:
    return str(OUTCOME_LABELS.get(row, row))


@built_once
def _outcomes_statement():
    """Per network and outcome: those who left this month and since the start, with keys."""
    first, last = day("first"), day("last")
    period = ParticipationPeriod
    outcome = func.coalesce(period.outcome, "unknown").label("outcome")
    return (
        select(
            period.network_id,
            outcome,
            func.sum(case((period.end_date >= first, 1), else_=0)),
            func.count(),
            func.sum(case((period.end_date >= first, func.coalesce(RecordKey.key, 0)), else_=0)),
            func.sum(func.coalesce(RecordKey.key, 0)),
        )
        .outerjoin(RecordKey, RecordKey.period_id == period.id)
        .where(
            period.network_id.in_(ids()),
            period.end_date.is_not(None),
            period.end_date <= last,
        )
        .group_by(period.network_id, outcome)
    )


@report_section(
    "outcomes",
    title=_l("Outcomes of those who left"),
    order=30,
    labels={
        OUTCOME_TABLE: _l("Outcome"),
        "month": _l("This month"),
        "cumulative": _l("Since the start"),
        WORK_OR_EDUCATION_ROWS: _l("Work or education in all"),
        "outcomes.work_or_education_share_month": _l(
            "Share who left for work or education, this month"
        ),
        "outcomes.work_or_education_share_cumulative": _l(
            "Share who left for work or education, since the start"
        ),
    },
    row_label=_outcome_row_label,
)
def outcomes_section(network_ids: Sequence[int], first: date, last: date) -> dict[int, dict]:
    """Outcomes of those who left, this month and since the network started."""
    grouped = db.session.execute(
        _outcomes_statement(), month_parameters(network_ids, first, last)
    ).all()
    # Each line: this month, since the start, and their cell keys.
    counts = {network_id: {key: [0] * 4 for key in OUTCOMES} for network_id in network_ids}
    for network_id, key, *numbers in grouped:
        line = counts[network_id].setdefault(key, [0] * 4)
        for i, value in enumerate(numbers):
            line[i] += int(value or 0)
    result = {}
    for network_id, lines in counts.items():
        month_we = sum(lines[key][0] for key in WORK_OR_EDUCATION)
        total_we = sum(lines[key][1] for key in WORK_OR_EDUCATION)
        month_all = sum(line[0] for line in lines.values())
        total_all = sum(line[1] for line in lines.values())
        tbl = table(
            OUTCOME_TABLE,
            list(lines),
            ["month", "cumulative"],
            [line[:2] for line in lines.values()],
            keys=[line[2:] for line in lines.values()],
            # Leaving this month is the same number as the participants' "left" total.
            total_ids={"month": PARTICIPANT_TOTALS["left"]},
            subtotals=[{"key": WORK_OR_EDUCATION_ROWS, "rows": list(WORK_OR_EDUCATION)}],
        )
        result[network_id] = {
            "tables": [tbl],
            "figures": [
                share(
                    "outcomes.work_or_education_share_month",
                    month_we,
                    month_all,
                    refs=[
                        subtotal_id(tbl, WORK_OR_EDUCATION_ROWS, "month"),
                        column_total_id(tbl, "month"),
                    ],
                ),
                share(
                    "outcomes.work_or_education_share_cumulative",
                    total_we,
                    total_all,
                    refs=[
                        subtotal_id(tbl, WORK_OR_EDUCATION_ROWS, "cumulative"),
                        column_total_id(tbl, "cumulative"),
                    ],
                ),
            ],
        }
    return result


trend_metric(PARTICIPANT_TOTALS["active"], _l("Participants active"), order=10)
trend_metric(PARTICIPANT_TOTALS["new"], _l("Participants started"), order=20)
trend_metric(PARTICIPANT_TOTALS["left"], _l("Participants who left"), order=30)
trend_metric("attendance.avg_present", _l("Average present per meeting"), order=40)
trend_metric(
    "attendance.commitment_share",
    _l("Share keeping the three-a-week commitment"),
    50,
    kind="share",
)
trend_metric(
    "outcomes.work_or_education_share_cumulative",
    _l("Share who left for work or education, since the start"),
    order=60,
    kind="share",
)
