"""The sections of the monthly report, and the registry through which capabilities add theirs.

How a capability adds a section (e.g. chores, once rotas exist)::

    from netvaerk.stats.sections import count, report_section, table

    @report_section("chores", title=_l("Chores"), order=40,
                    labels={"chores.by_chore": _l("Chores by kind"),
                            "assigned": _l("Assigned"), "done": _l("Done")})
    def chores_section(network_ids, first, last):
        rows = db.session.execute(
            select(ChoreAssignment.network_id, Chore.name,
                   func.count(), func.count(ChoreAssignment.done_at))
            .join(...).where(ChoreAssignment.network_id.in_(network_ids), ...)
            .group_by(ChoreAssignment.network_id, Chore.name)
        ).all()
        ...                       # arrange the grouped rows per network
        return {network_id: {"tables": [table("chores.by_chore", names, ["assigned", "done"],
                                               cells, personal=False)],
                              "figures": [count("chores.done", done)]}
                for network_id in network_ids}

Rules for a section function `(network_ids, first, last) -> {network_id: section}`:

- aggregate in the database (GROUP BY network_id, ...) with a fixed number of queries,
  whatever the number of networks or rows; return an entry for every network id asked for;
- return counts only, never a person: `table(...)` for breakdowns, `count` for counts of
  people, `number` for non-personal numbers (meetings held), `share` and `mean` for ratios
  (give `base`, the number of people behind it, and `refs`, the ids of the counts it is
  computed from), `hours` for amounts of work. Free text and individual scores never go in;
- figures that form a table (a mean per question, hours per activity type) are placed in one
  with `in_table(figure, table_key, row, column, row_names={"da": ..., "en": ...})`; the
  row names are frozen with the month and shown in the reader's language;
- keys are dotted and start with the section key; tables sharing a total name it in
  `total_ids` (see `participants`); labels for table, column, figure and fixed row keys go
  in `labels`; `row_label(table_key, row, network)` labels rows that depend on the network.

Suppression, closing (the section lands in the frozen snapshot), sums over networks, the
page, the CSV/XLSX/PDF exports and the trend (`trend_metric`) all pick it up from here.
Months closed before a section existed simply do not show it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, distinct, func, literal, null, or_, select, union_all

from ..core.models import HousingArea
from ..extensions import db
from ..labels import OUTCOME_LABELS, group_label
from ..meetings.models import Attendance, Meeting
from ..participants.models import (
    OUTCOMES,
    WORK_OR_EDUCATION,
    Participant,
    ParticipationPeriod,
)
from .suppression import column_total_id, subtotal_id

SectionFunction = Callable[[Sequence[int], date, date], dict[int, dict]]


@dataclass(frozen=True)
class ReportSection:
    """One registered section of the monthly report."""

    key: str
    title: object
    compute: SectionFunction
    order: int = 50
    labels: Mapping[str, object] = field(default_factory=dict)
    row_label: Callable[[str, str, object], str] | None = None


@dataclass(frozen=True)
class TrendMetric:
    """A figure drawn as a 12-month chart (the id of a count, total, share or mean)."""

    key: str
    label: object
    order: int = 50


REPORT_SECTIONS: list[ReportSection] = []
TREND_METRICS: list[TrendMetric] = []


def report_section(
    key: str,
    *,
    title,
    order: int = 50,
    labels: Mapping[str, object] | None = None,
    row_label: Callable[[str, str, object], str] | None = None,
):
    """Decorator: register a section function of the monthly report (idempotent)."""

    def register(func: SectionFunction) -> SectionFunction:
        if all(existing.key != key for existing in REPORT_SECTIONS):
            REPORT_SECTIONS.append(ReportSection(key, title, func, order, labels or {}, row_label))
            REPORT_SECTIONS.sort(key=lambda s: s.order)
        return func

    return register


def trend_metric(key: str, label, order: int = 50) -> None:
    """Register a figure (by id) to be drawn in the 12-month trend (idempotent)."""
    if all(existing.key != key for existing in TREND_METRICS):
        TREND_METRICS.append(TrendMetric(key, label, order))
        TREND_METRICS.sort(key=lambda m: m.order)


def section_by_key(key: str) -> ReportSection | None:
    """The registered section with this key."""
    return next((s for s in REPORT_SECTIONS if s.key == key), None)


# Building blocks of a section ------------------------------------------------------------


def table(
    key: str,
    rows: Sequence[str],
    columns: Sequence[str],
    cells: Sequence[Sequence[int]],
    *,
    column_totals: bool = True,
    row_totals: bool = False,
    total_ids: Mapping[str, str] | None = None,
    subtotals: Sequence[Mapping] = (),
    personal: bool = True,
) -> dict:
    """A table of counts; `personal=False` for counts of things, not people (no suppression)."""
    return {
        "key": key,
        "rows": [str(r) for r in rows],
        "columns": list(columns),
        "cells": [[int(v) for v in line] for line in cells],
        "column_totals": column_totals,
        "row_totals": row_totals,
        "total_ids": dict(total_ids or {}),
        "subtotals": [dict(s) for s in subtotals],
        "personal": personal,
    }


def count(key: str, value: int) -> dict:
    """A count of people (suppressed when small)."""
    return {"key": key, "kind": "count", "value": int(value)}


def number(key: str, value: int) -> dict:
    """A count of things, not people (meetings held): never suppressed."""
    return {"key": key, "kind": "number", "value": int(value)}


def share(key: str, num: int, den: int, *, refs: Sequence[str] = (), base: int | None = None):
    """A share num/den of people; hidden when based on few people or on a hidden count."""
    return {
        "key": key,
        "kind": "share",
        "num": int(num),
        "den": int(den),
        "base": int(den if base is None else base),
        "refs": list(refs),
    }


def mean(key: str, num: float, den: int, *, base: int, refs: Sequence[str] = ()):
    """A mean num/den; `base` is the number of people it rests on."""
    return {
        "key": key,
        "kind": "mean",
        "num": num,
        "den": int(den),
        "base": int(base),
        "refs": list(refs),
    }


def hours(key: str, value) -> dict:
    """Hours of work (facilitator hours): a non-personal amount, never suppressed."""
    return {"key": key, "kind": "hours", "value": float(value or 0)}


def in_table(
    figure: dict,
    table_key: str,
    row: str,
    column: str,
    *,
    row_names: Mapping[str, str] | None = None,
    min_base: int = 0,
) -> dict:
    """Place a figure in a table of figures (`table_key`, one row per `row`, e.g. per area).

    `row_names` ({"da": ..., "en": ...}) label the row in the reader's language and are frozen
    with the month; `min_base` hides a share or mean resting on fewer people than this even
    when the threshold is lower.
    """
    figure["table"] = {"key": table_key, "row": str(row), "column": column}
    if row_names:
        figure["row_names"] = {lang: str(name) for lang, name in row_names.items()}
    if min_base:
        figure["min_base"] = int(min_base)
    return figure


def merge_sections(sections: Sequence[Mapping]) -> dict:
    """Add up one section over several networks (cells, counts, numerators, denominators)."""
    merged: dict = {"key": sections[0]["key"], "tables": [], "figures": []}
    tables: dict[str, dict] = {}
    figures: dict[str, dict] = {}
    for section in sections:
        for tbl in section.get("tables", ()):
            target = tables.get(tbl["key"])
            if target is None:
                target = {**tbl, "rows": [], "cells": []}
                tables[tbl["key"]] = target
                merged["tables"].append(target)
            for r, row in enumerate(tbl["rows"]):
                if row not in target["rows"]:
                    target["rows"].append(row)
                    target["cells"].append([0] * len(target["columns"]))
                line = target["cells"][target["rows"].index(row)]
                for c, column in enumerate(tbl["columns"]):
                    if column in target["columns"]:
                        line[target["columns"].index(column)] += tbl["cells"][r][c]
        for fig in section.get("figures", ()):
            target = figures.get(fig["key"])
            if target is None:
                figures[fig["key"]] = dict(fig)
                merged["figures"].append(figures[fig["key"]])
                continue
            for name in ("value", "num", "den", "base"):
                if name in fig:
                    target[name] = target.get(name, 0) + fig[name]
    return merged


# The sections built on participants, meetings and attendance ----------------------------

AGE_BANDS = ("18-24", "25-29", "30-39", "40-49", "50-59", "60-64")
AGE_BAND_ROWS = ("under-18", *AGE_BANDS, "65+", "unknown")
PARTICIPANT_COLUMNS = ("active", "new", "left")
# The three breakdowns add up to the same totals: one id each, shared by the tables.
PARTICIPANT_TOTALS = {column: f"participants.{column}" for column in PARTICIPANT_COLUMNS}
NO_AREA = "-"


def age_band_sql(birth_year, year: int):
    """`labels.age_band` as SQL, so that the database groups people by age band."""
    age = literal(year) - birth_year
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
        "left": _l("Left"),
    },
    row_label=_participant_row_label,
)
def participants_section(network_ids: Sequence[int], first: date, last: date) -> dict[int, dict]:
    """Participants active, started and leaving, by readiness group, age band and area."""
    period = ParticipationPeriod
    in_month = and_(
        period.network_id.in_(network_ids),
        period.start_date <= last,
        or_(period.end_date.is_(None), period.end_date >= first),
    )
    per_person = (
        select(
            period.network_id,
            period.participant_id,
            func.sum(case((period.start_date >= first, 1), else_=0)).label("started"),
            func.sum(case((period.end_date <= last, 1), else_=0)).label("ended"),
        )
        .where(in_month)
        .group_by(period.network_id, period.participant_id)
        .subquery()
    )
    band = age_band_sql(Participant.birth_year, first.year).label("band")
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
    ).where(HousingArea.network_id.in_(network_ids))
    rows = union_all(grouped, every_area).subquery()
    # Ordered by area, so that the areas' rows come in their names' order.
    grouped_rows = db.session.execute(
        select(rows).order_by(rows.c.area, rows.c.group.is_not(None))
    ).all()

    def empty() -> dict[str, dict[str, list[int]]]:
        return {
            "readiness_group": {"1": [0, 0, 0], "3": [0, 0, 0]},
            "age_band": {band_key: [0, 0, 0] for band_key in AGE_BAND_ROWS},
            "housing_area": {},
        }

    counts = {network_id: empty() for network_id in network_ids}
    for network_id, group, band_key, area_name, active, started, ended in grouped_rows:
        if group is None:  # an area of the network
            counts[network_id]["housing_area"].setdefault(area_name, [0, 0, 0])
            continue
        figures = (int(active), int(started or 0), int(ended or 0))
        for breakdown, row in (
            ("readiness_group", str(group)),
            ("age_band", band_key),
            ("housing_area", area_name),
        ):
            line = counts[network_id][breakdown].setdefault(row, [0, 0, 0])
            for i, value in enumerate(figures):
                line[i] += value
    result = {}
    for network_id, breakdowns in counts.items():
        tables = []
        for breakdown, lines in breakdowns.items():
            rows = [
                row
                for row, line in lines.items()
                if any(line) or breakdown != "age_band" or row in AGE_BANDS
            ]
            if breakdown == "housing_area" and NO_AREA in rows:
                rows.remove(NO_AREA)
                rows.append(NO_AREA)
            tables.append(
                table(
                    f"participants.{breakdown}",
                    rows,
                    PARTICIPANT_COLUMNS,
                    [lines[row] for row in rows],
                    total_ids=PARTICIPANT_TOTALS,
                )
            )
        result[network_id] = {"tables": tables, "figures": []}
    return result


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
    held_meeting = Meeting.is_cancelled.is_(False)
    # Each meeting with its check-ins (or none): meetings are counted by distinct id.
    meetings = {
        network_id: (int(held or 0), int(cancelled or 0), int(checkins), int(attendees))
        for network_id, held, cancelled, checkins, attendees in db.session.execute(
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
            .where(Meeting.network_id.in_(network_ids), Meeting.date.between(first, last))
            .group_by(Meeting.network_id)
        ).all()
    }
    period = ParticipationPeriod
    per_person = (
        select(
            period.network_id,
            period.participant_id,
            # A participant's periods never overlap and attendance is unique per meeting and
            # participant, so each held meeting is counted once without DISTINCT.
            func.count(Meeting.id).label("held"),
            func.sum(case((Attendance.status.in_(("present", "notified")), 1), else_=0)).label(
                "kept"
            ),
        )
        .join(
            Meeting,
            and_(
                Meeting.network_id == period.network_id,
                Meeting.date.between(first, last),
                Meeting.is_cancelled.is_(False),
                Meeting.date >= period.start_date,
                or_(period.end_date.is_(None), Meeting.date <= period.end_date),
            ),
        )
        .outerjoin(
            Attendance,
            and_(
                Attendance.meeting_id == Meeting.id,
                Attendance.participant_id == period.participant_id,
            ),
        )
        .where(period.network_id.in_(network_ids))
        .group_by(period.network_id, period.participant_id)
        .subquery()
    )
    commitment = {
        network_id: (int(expected), int(met or 0))
        for network_id, expected, met in db.session.execute(
            select(
                per_person.c.network_id,
                func.count(),
                func.sum(case((per_person.c.kept >= per_person.c.held, 1), else_=0)),
            ).group_by(per_person.c.network_id)
        ).all()
    }
    result = {}
    for network_id in network_ids:
        held, cancelled, checkins, attendees = meetings.get(network_id, (0, 0, 0, 0))
        expected, met = commitment.get(network_id, (0, 0))
        result[network_id] = {
            "tables": [],
            "figures": [
                number("attendance.meetings_held", held),
                number("attendance.meetings_cancelled", cancelled),
                count("attendance.checkins", checkins),
                count("attendance.attendees", attendees),
                mean(
                    "attendance.avg_present",
                    checkins,
                    held,
                    base=attendees,
                    refs=["attendance.checkins"],
                ),
                count("attendance.expected", expected),
                count("attendance.commitment_met", met),
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
    period = ParticipationPeriod
    outcome = func.coalesce(period.outcome, "unknown").label("outcome")
    grouped = db.session.execute(
        select(
            period.network_id,
            outcome,
            func.sum(case((period.end_date >= first, 1), else_=0)),
            func.count(),
        )
        .where(
            period.network_id.in_(network_ids),
            period.end_date.is_not(None),
            period.end_date <= last,
        )
        .group_by(period.network_id, outcome)
    ).all()
    counts = {network_id: {key: [0, 0] for key in OUTCOMES} for network_id in network_ids}
    for network_id, key, month_count, cumulative in grouped:
        line = counts[network_id].setdefault(key, [0, 0])
        line[0] += int(month_count or 0)
        line[1] += int(cumulative)
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
            list(lines.values()),
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
trend_metric("attendance.commitment_share", _l("Share keeping the three-a-week commitment"), 50)
trend_metric(
    "outcomes.work_or_education_share_cumulative",
    _l("Share who left for work or education, since the start"),
    order=60,
)
