"""A large, realistic data set for benchmarks: many networks over years, written in bulk.

`flask generate --networks N --years Y --seed S` adds N networks, each with 8-16 active
participants and turnover every few months, three meetings a week (Danish public holidays and
a summer break skipped), check-ins with realistic absence, chore rotas, activities with
facilitator sign-ups, exit evaluations, wheel-of-life scorings and staff accounts, and closes
every complete month but the last through the statistics' own snapshot mechanism.

Rows are written in bulk: `COPY` on PostgreSQL (psycopg 3), Core `insert()` executemany on
SQLite; only the networks themselves go through `create_network`, so every network gets the
same defaults (activity types, wheel areas) as one made by hand. The same seed and end date
give the same data.
"""

from __future__ import annotations

import random
import time as clock
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, insert, select, text

from .core.registry import current_registry
from .extensions import db
from .timeutil import LOCAL_TZ

PASSWORD = "netvaerk-generated"
EMAIL_DOMAIN = "generated.example.org"
FACILITATORS_PER_NETWORK = 3
BATCH_NETWORKS = 10

AREAS = (
    "Gellerupparken",
    "Toveshøj",
    "Vollsmose",
    "Mjølnerparken",
    "Tingbjerg",
    "Husumgård",
    "Bispehaven",
    "Skovparken",
    "Skovvejen",
    "Korsløkkeparken",
    "Agervang",
    "Munkebo",
    "Nørrebro Park",
    "Stengårdsvej",
    "Sydbyen",
    "Solbakken",
    "Ringparken",
    "Ellekonebakken",
    "Finlandsparken",
    "Carl Blochs Gade",
)
FIRST_NAMES = (
    "Amina Fatima Mette Lone Nadia Sara Hanne Leyla Zainab Maria Susanne Aysel Hodan Dorte "
    "Ahmad Tariq Jesper Omar Ali Mohamed Henrik Bilal Yusuf Kim Lars Mustafa Ibrahim Peter"
).split()
LAST_NAMES = (
    "Hassan Jensen Nielsen Hansen Ali Pedersen Ahmed Andersen Yilmaz Christensen Larsen "
    "Abdi Sørensen Rasmussen Mohammad Kaya Petersen Madsen Khan Olsen"
).split()
WEEKDAY_PATTERNS = ("0,2,3", "0,2,3", "0,2,4", "1,2,4", "0,1,3")
CHORES = (
    ("Kaffe og te", 1, None),
    ("Opvask", 2, None),
    ("Oprydning", 1, None),
    ("Rengøring", 1, -1),
)
OUTCOME_WEIGHTS = (
    ("ordinary_job", 30),
    ("flex_job", 8),
    ("wage_subsidy_job", 10),
    ("internship", 10),
    ("education", 12),
    ("other_programme", 10),
    ("moved_away", 6),
    ("stopped", 10),
    ("unknown", 4),
)
REASONS = ("personal", "personal", "job_interview", "internship", "course", "other")
GOALS = (
    "Et fast job i et lager",
    "Blive bedre til dansk",
    "Starte på en uddannelse som SOSU-hjælper",
    "Komme i praktik i en butik",
    "Få styr på min økonomi",
    "Et job som chauffør",
)
EXIT_QUESTIONS = (
    ("scale", "Hvor nyttigt har Netværket været for dig?", "How useful has the network been?"),
    ("scale", "Har du følt dig som en del af fællesskabet?", "Have you felt part of it?"),
    ("yes_no", "Vil du anbefale Netværket til andre?", "Would you recommend the network?"),
)


class GenerateRefused(Exception):
    """The database already holds networks with the generated names."""


@dataclass
class Person:
    """One simulated participant: their period and how often they come."""

    id: int
    start: date
    end: date | None
    outcome: str | None
    propensity: float
    rows: list = field(default_factory=list)


@dataclass
class Totals:
    """How many rows of each kind were written."""

    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))


class Ids:
    """Explicit primary keys: one counter per table, starting after the largest id there."""

    def __init__(self, connection, tables: Iterable[str]):
        self.next: dict[str, int] = {}
        for name in tables:
            table = db.metadata.tables[name]
            largest = connection.execute(select(func.max(table.c.id))).scalar()
            self.next[name] = (largest or 0) + 1

    def take(self, table: str) -> int:
        """The next id of a table."""
        value = self.next[table]
        self.next[table] = value + 1
        return value


# Tables whose ids the generator sets itself (PostgreSQL's sequences are moved on after).
ID_TABLES = (
    "netvaerk_user",
    "netvaerk_membership",
    "netvaerk_participant",
    "netvaerk_participation_period",
    "netvaerk_status_change",
    "netvaerk_meeting",
    "netvaerk_closure",
    "netvaerk_attendance",
    "netvaerk_chore",
    "netvaerk_chore_assignment",
    "netvaerk_activity",
    "netvaerk_activity_signup",
    "netvaerk_evaluation_form",
    "netvaerk_evaluation_form_version",
    "netvaerk_evaluation_question",
    "netvaerk_exit_evaluation_status",
    "netvaerk_wheel_scoring",
    "netvaerk_wheel_score",
)

COLUMNS = {
    "netvaerk_user": ("id email name password_hash is_admin is_enabled session_version created_at"),
    "netvaerk_membership": "id user_id network_id role",
    "netvaerk_participant": (
        "id network_id first_name last_name housing_area_id birth_year readiness_group status "
        "intake_date intake_note consent_date consent_text checkin_code_failures created_at"
    ),
    "netvaerk_participation_period": "id participant_id network_id start_date end_date outcome",
    "netvaerk_status_change": "id participant_id status changed_on created_at",
    "netvaerk_meeting": (
        "id network_id date start_time end_time pattern_date is_cancelled cancel_reason created_at"
    ),
    "netvaerk_closure": "id network_id start_date end_date reason",
    "netvaerk_attendance": (
        "id meeting_id participant_id status absence_reason checked_in_at source updated_at"
    ),
    "netvaerk_chore": "id network_id name people_needed weekdays is_active created_at",
    "netvaerk_chore_assignment": (
        "id network_id meeting_id chore_id slot_no participant_id is_manual is_done done_at "
        "created_at"
    ),
    "netvaerk_activity": (
        "id network_id type_id meeting_id date start_time end_time title description place "
        "facilitators_needed has_waitlist is_cancelled was_held created_at"
    ),
    "netvaerk_activity_signup": (
        "id network_id activity_id user_id seat places created_at hours hours_confirmed_at"
    ),
    "netvaerk_evaluation_form": (
        "id network_id purpose is_named title_da title_en intro_da intro_en is_active created_at"
    ),
    "netvaerk_evaluation_form_version": "id form_id network_id number created_at",
    "netvaerk_evaluation_question": (
        "id version_id key position kind required text_da text_en low_label_da low_label_en "
        "high_label_da high_label_en choices"
    ),
    "netvaerk_evaluation_submission": "id network_id version_id year month outcome",
    "netvaerk_evaluation_answer": "id submission_id question_id number redacted",
    "netvaerk_exit_evaluation_status": "id network_id period_id status",
    "netvaerk_wheel_scoring": (
        "id network_id participant_id scored_on goal plan_a plan_b plan_c created_at"
    ),
    "netvaerk_wheel_score": "id scoring_id area_id score",
}
# Write order: parents before children.
TABLE_ORDER = tuple(COLUMNS)
# Tables small enough (or with JSON) to always go through Core insert().
CORE_ONLY = {"netvaerk_evaluation_question"}


def write_rows(connection, table_name: str, rows: Sequence[tuple]) -> None:
    """Bulk-write rows (tuples in COLUMNS order): COPY on PostgreSQL, executemany elsewhere."""
    if not rows:
        return
    columns = COLUMNS[table_name].split()
    if connection.dialect.name == "postgresql" and table_name not in CORE_ONLY:
        raw = connection.connection.driver_connection
        with raw.cursor() as cursor:
            statement = f"COPY {table_name} ({', '.join(columns)}) FROM STDIN"
            with cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
        return
    table = db.metadata.tables[table_name]
    chunk = 20000
    for start in range(0, len(rows), chunk):
        connection.execute(
            insert(table),
            [dict(zip(columns, row, strict=True)) for row in rows[start : start + chunk]],
        )


class Utc:
    """Local (Copenhagen) wall-clock times to naive UTC, with the offset cached per day."""

    def __init__(self):
        self.offsets: dict[date, timedelta] = {}

    def __call__(self, day: date, at: time) -> datetime:
        offset = self.offsets.get(day)
        if offset is None:
            offset = LOCAL_TZ.utcoffset(datetime.combine(day, time(12)))
            self.offsets[day] = offset
        return datetime.combine(day, at) - offset


def _weighted(rng: random.Random, pairs) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _pattern_days(
    start: date, end: date, weekdays: list[int], skip: set[date]
) -> list[tuple[date, bool]]:
    """Pattern dates between start and end, skipping holidays; (date, in summer break)."""
    days = []
    day = start
    while day <= end:
        if day.weekday() in weekdays and day not in skip:
            days.append(day)
        day += timedelta(days=1)
    return days


def _summer_break(year: int) -> tuple[date, date]:
    """Weeks 29-30: the centre closes for the summer."""
    monday = date.fromisocalendar(year, 29, 1)
    return monday, monday + timedelta(days=13)


def generate(
    networks: int,
    years: float,
    seed: int,
    end: date | None = None,
    open_now: datetime | None = None,
    close_months: bool = True,
    echo: Callable[[str], None] = lambda message: None,
) -> dict[str, int]:
    """Add `networks` networks with `years` years of history up to `end`; returns row counts.

    `open_now` (local time) adds a meeting open at that moment in every network, for the
    kiosk benchmark. Refuses (GenerateRefused) when generated networks exist already.
    """
    from .activities.models import ActivityType
    from .auth.services import hash_password
    from .core.models import HousingArea, Network
    from .core.services import create_network
    from .meetings.services import danish_holidays
    from .wheel.models import WheelArea

    started = clock.monotonic()
    end = end or (open_now.date() if open_now else date.today())
    span_start = end - timedelta(days=int(years * 365.25))
    span_start -= timedelta(days=span_start.weekday())
    horizon = end + timedelta(weeks=5)
    names = [f"Netværk {AREAS[i % len(AREAS)]} {seed}-{i + 1:03d}" for i in range(networks)]
    taken = db.session.execute(select(Network.name).where(Network.name.in_(names))).scalars()
    if taken.first() is not None:
        raise GenerateRefused(
            "The database already holds networks generated with this seed; use another seed "
            "or an empty database."
        )

    created = []
    for i, name in enumerate(names):
        rng = random.Random(f"{seed}:network:{i}")
        area = AREAS[i % len(AREAS)]
        network = create_network(
            name,
            [area, f"{area} Syd"],
            meeting_weekdays=rng.choice(WEEKDAY_PATTERNS),
            created_at=datetime.combine(span_start, time(8)),
        )
        created.append(network.id)
    db.session.flush()
    network_rows = {
        n.id: n
        for n in db.session.execute(select(Network).where(Network.id.in_(created))).scalars()
    }
    areas_of: dict[int, list[int]] = defaultdict(list)
    for network_id, area_id in db.session.execute(
        select(HousingArea.network_id, HousingArea.id)
        .where(HousingArea.network_id.in_(created))
        .order_by(HousingArea.id)
    ):
        areas_of[network_id].append(area_id)
    types_of: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for network_id, type_id, name_da in db.session.execute(
        select(ActivityType.network_id, ActivityType.id, ActivityType.name_da)
        .where(ActivityType.network_id.in_(created))
        .order_by(ActivityType.sort_order, ActivityType.id)
    ):
        types_of[network_id].append((type_id, name_da))
    wheel_of: dict[int, list[int]] = defaultdict(list)
    for network_id, area_id in db.session.execute(
        select(WheelArea.network_id, WheelArea.id)
        .where(WheelArea.network_id.in_(created), WheelArea.is_active.is_(True))
        .order_by(WheelArea.position, WheelArea.id)
    ):
        wheel_of[network_id].append(area_id)
    echo(f"  {networks} networks created ({clock.monotonic() - started:.1f} s)")

    connection = db.session.connection()
    ids = Ids(connection, ID_TABLES)
    holidays = set(danish_holidays(span_start, horizon))
    password_hash = hash_password(PASSWORD)
    utc = Utc()
    totals: dict[str, int] = defaultdict(int)
    batch: dict[str, list[tuple]] = defaultdict(list)

    def flush_batch() -> None:
        for table_name in TABLE_ORDER:
            rows = batch.pop(table_name, [])
            write_rows(connection, table_name, rows)
            totals[table_name] += len(rows)
        batch.clear()

    for index, network_id in enumerate(created):
        _network_rows(
            batch,
            ids,
            utc,
            random.Random(f"{seed}:data:{index}"),
            network_rows[network_id],
            index,
            span_start,
            end,
            horizon,
            holidays,
            password_hash,
            areas_of[network_id],
            types_of[network_id],
            wheel_of[network_id],
            open_now,
        )
        if (index + 1) % BATCH_NETWORKS == 0:
            flush_batch()
            echo(f"  {index + 1}/{networks} networks written ({clock.monotonic() - started:.1f} s)")
    flush_batch()
    if connection.dialect.name == "postgresql":
        for table_name in ID_TABLES:
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table_name}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table_name}))"
                )
            )
    db.session.commit()
    connection = db.session.connection()
    for step in current_registry().generate_steps:  # capabilities' own generated rows
        totals.update(step.func(created, end, seed) or {})
    db.session.commit()
    connection = db.session.connection()
    connection.execute(text("ANALYZE"))
    db.session.commit()
    echo(f"  rows written ({clock.monotonic() - started:.1f} s)")
    if close_months:
        totals["netvaerk_monthly_report"] = close_past_months(created, span_start, end, echo)
        echo(f"  months closed ({clock.monotonic() - started:.1f} s)")
    return dict(totals)


def close_past_months(network_ids: list[int], first: date, end: date, echo) -> int:
    """Freeze every complete month but the last one through the statistics' own computation.

    The last complete month stays open, as it would be while the coordinator has not yet
    closed it; so does the current one.
    """
    from .stats.models import MonthlyReport
    from .stats.services import add_months, compute_figures

    table = MonthlyReport.__table__
    year, month = first.year, first.month
    last_year, last_month = add_months(end.year, end.month, -2)
    written = 0
    closed_at = datetime.combine(end, time(8))
    while (year, month) <= (last_year, last_month):
        figures = compute_figures(network_ids, year, month)
        db.session.execute(
            insert(table),
            [
                {
                    "network_id": network_id,
                    "year": year,
                    "month": month,
                    "figures": figures[network_id],
                    "closed_at": closed_at,
                    "revision": 1,
                }
                for network_id in network_ids
            ],
        )
        written += len(network_ids)
        year, month = add_months(year, month, 1)
    db.session.commit()
    return written


def _network_rows(
    batch,
    ids: Ids,
    utc: Utc,
    rng: random.Random,
    network,
    index: int,
    span_start: date,
    end: date,
    horizon: date,
    holidays: set[date],
    password_hash: str,
    housing_areas: list[int],
    activity_types: list[tuple[int, str]],
    wheel_areas: list[int],
    open_now: datetime | None,
) -> None:
    """Simulate one network over the whole span and append its rows to `batch`."""
    network_id = network.id
    created_at = datetime.combine(span_start, time(8))
    number = index + 1

    # Staff: a coordinator, a steering member, the kiosk tablet and a few facilitators.
    staff: dict[str, list[int]] = defaultdict(list)
    roles = ["coordinator", "steering", "kiosk"] + ["facilitator"] * FACILITATORS_PER_NETWORK
    for k, role in enumerate(roles):
        user_id = ids.take("netvaerk_user")
        email = f"{role}{k if role == 'facilitator' else ''}.{network_id}@{EMAIL_DOMAIN}"
        batch["netvaerk_user"].append(
            (user_id, email, f"{role.title()} {number}", password_hash, False, True, 1, created_at)
        )
        batch["netvaerk_membership"].append(
            (ids.take("netvaerk_membership"), user_id, network_id, role)
        )
        staff[role].append(user_id)

    # Participants: a number of places, each taken by one person after another.
    places = rng.randint(8, 16)
    people: list[Person] = []
    lanes: list[list[Person]] = []
    for _ in range(places):
        lane = []
        day = span_start - timedelta(days=rng.randint(0, 120))
        while day <= end:
            stay = int(rng.triangular(30, 420, 120))
            leaves = day + timedelta(days=stay)
            person = Person(
                ids.take("netvaerk_participant"),
                day,
                leaves if leaves < end else None,
                _weighted(rng, OUTCOME_WEIGHTS) if leaves < end else None,
                rng.uniform(0.5, 0.97),
            )
            lane.append(person)
            people.append(person)
            day = leaves + timedelta(days=rng.randint(3, 35))
        lanes.append(lane)
    for person in people:
        first_name, last_name = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        intake = person.start - timedelta(days=rng.randint(3, 14))
        status = "active" if person.end is None else "left"
        batch["netvaerk_participant"].append(
            (
                person.id,
                network_id,
                first_name,
                last_name,
                rng.choice(housing_areas),
                rng.randint(1960, 2005),
                1 if rng.random() < 0.88 else 3,
                status,
                intake,
                "Motiveret for fællesskabet.",
                intake,
                "Samtykke givet ved intakesamtalen.",
                0,
                datetime.combine(intake, time(10)),
            )
        )
        period_id = ids.take("netvaerk_participation_period")
        batch["netvaerk_participation_period"].append(
            (period_id, person.id, network_id, person.start, person.end, person.outcome)
        )
        changes = [("interested", intake - timedelta(days=7)), ("intake", intake)]
        changes.append(("active", person.start))
        if person.end is not None:
            changes.append(("left", person.end))
        for status_name, on in changes:
            batch["netvaerk_status_change"].append(
                (
                    ids.take("netvaerk_status_change"),
                    person.id,
                    status_name,
                    on,
                    datetime.combine(on, time(12)),
                )
            )
        person.rows.append(period_id)
    for k in range(rng.randint(1, 3)):  # people interested, not yet started
        batch["netvaerk_participant"].append(
            (
                ids.take("netvaerk_participant"),
                network_id,
                rng.choice(FIRST_NAMES),
                rng.choice(LAST_NAMES),
                rng.choice(housing_areas),
                rng.randint(1960, 2005),
                1,
                "interested",
                None,
                None,
                end - timedelta(days=k + 2),
                "Samtykke givet ved første kontakt.",
                0,
                datetime.combine(end - timedelta(days=k + 2), time(10)),
            )
        )

    # Chores.
    weekdays = network.weekdays
    chores = []
    for name, needed, only in CHORES:
        chore_id = ids.take("netvaerk_chore")
        days = str(weekdays[only]) if only is not None else "0,1,2,3,4,5,6"
        batch["netvaerk_chore"].append((chore_id, network_id, name, needed, days, True, created_at))
        chores.append((chore_id, needed, {int(d) for d in days.split(",")}))

    # Summer breaks, then the meetings of the pattern.
    closed: set[date] = set()
    for year in range(span_start.year, horizon.year + 1):
        first, last = _summer_break(year)
        batch["netvaerk_closure"].append(
            (ids.take("netvaerk_closure"), network_id, first, last, "Sommerferie")
        )
        closed.update(first + timedelta(days=d) for d in range((last - first).days + 1))
    days = _pattern_days(span_start, horizon, weekdays, holidays | closed)
    meetings = []
    start_time, end_time = network.meeting_start, network.meeting_end
    for day in days:
        meeting_id = ids.take("netvaerk_meeting")
        cancelled = day < end and rng.random() < 0.01
        opens, closes = start_time, end_time
        if open_now is not None and day == open_now.date():
            opens, closes = time(0, 0), time(23, 59, 59)
        batch["netvaerk_meeting"].append(
            (
                meeting_id,
                network_id,
                day,
                opens,
                closes,
                day,
                cancelled,
                "Personalemøde" if cancelled else None,
                created_at,
            )
        )
        meetings.append((meeting_id, day, cancelled))
    if open_now is not None and open_now.date() not in {d for _, d, _ in meetings}:
        meeting_id = ids.take("netvaerk_meeting")
        batch["netvaerk_meeting"].append(
            (
                meeting_id,
                network_id,
                open_now.date(),
                time(0, 0),
                time(23, 59, 59),
                None,
                False,
                None,
                created_at,
            )
        )
        meetings.append((meeting_id, open_now.date(), False))
        meetings.sort(key=lambda m: m[1])

    # Attendance, chores and activities, meeting by meeting.
    cursor = [0] * len(lanes)
    rotation = 0
    facilitators = staff["facilitator"] + staff["coordinator"]
    for meeting_id, day, cancelled in meetings:
        expected = []
        for lane_no, lane in enumerate(lanes):
            k = cursor[lane_no]
            while k < len(lane) and lane[k].end is not None and lane[k].end < day:
                k += 1
            cursor[lane_no] = k
            if k < len(lane) and lane[k].start <= day:
                expected.append(lane[k])
        past = day < end
        present = []
        if past and not cancelled:
            for person in expected:
                draw = rng.random()
                if draw < person.propensity:
                    at = (
                        datetime.combine(day, start_time) + timedelta(minutes=rng.randint(-20, 40))
                    ).time()
                    stamp = utc(day, at)
                    batch["netvaerk_attendance"].append(
                        (
                            ids.take("netvaerk_attendance"),
                            meeting_id,
                            person.id,
                            "present",
                            None,
                            stamp,
                            "kiosk" if rng.random() < 0.93 else "register",
                            stamp,
                        )
                    )
                    present.append(person)
                elif draw < person.propensity + (1 - person.propensity) * 0.45:
                    batch["netvaerk_attendance"].append(
                        (
                            ids.take("netvaerk_attendance"),
                            meeting_id,
                            person.id,
                            "notified",
                            rng.choice(REASONS),
                            None,
                            "register",
                            utc(day, start_time),
                        )
                    )
                elif draw < person.propensity + (1 - person.propensity) * 0.7:
                    batch["netvaerk_attendance"].append(
                        (
                            ids.take("netvaerk_attendance"),
                            meeting_id,
                            person.id,
                            "absent",
                            None,
                            None,
                            "register",
                            utc(day, end_time),
                        )
                    )
        if cancelled:
            continue
        pool = present if past else expected
        if pool:
            for chore_id, needed, chore_days in chores:
                if day.weekday() not in chore_days:
                    continue
                for slot in range(1, min(needed, len(pool)) + 1):
                    person = pool[rotation % len(pool)]
                    rotation += 1
                    batch["netvaerk_chore_assignment"].append(
                        (
                            ids.take("netvaerk_chore_assignment"),
                            network_id,
                            meeting_id,
                            chore_id,
                            slot,
                            person.id,
                            False,
                            past,
                            utc(day, end_time) if past else None,
                            created_at,
                        )
                    )
        if rng.random() < 0.55 and activity_types:
            type_id, title = rng.choice(activity_types)
            activity_id = ids.take("netvaerk_activity")
            needed = rng.choice((1, 1, 2))
            hour = rng.choice((9, 10, 11)) if end_time >= time(12) else start_time.hour
            a_start, a_end = time(hour, 0), time(min(hour + 1, 23), 0)
            batch["netvaerk_activity"].append(
                (
                    activity_id,
                    network_id,
                    type_id,
                    meeting_id,
                    day,
                    a_start,
                    a_end,
                    title,
                    "",
                    "",
                    needed,
                    False,
                    False,
                    True if past else None,
                    created_at,
                )
            )
            chosen = rng.sample(facilitators, needed)
            # The coordinator confirms hours a week or so later: the last days' wait for it.
            confirmed = past and (end - day).days > 7
            for seat, user_id in enumerate(chosen, start=1):
                if not past and rng.random() < 0.4:
                    continue  # an open place in the coming weeks
                batch["netvaerk_activity_signup"].append(
                    (
                        ids.take("netvaerk_activity_signup"),
                        network_id,
                        activity_id,
                        user_id,
                        seat,
                        needed,
                        created_at,
                        1 if confirmed else None,
                        utc(day, a_end) if confirmed else None,
                    )
                )

    _evaluations(batch, ids, rng, network_id, people, created_at)
    _wheel(batch, ids, rng, network_id, people, wheel_areas, end)


def _evaluations(batch, ids: Ids, rng, network_id: int, people: list[Person], created_at):
    """The network's exit evaluation and the anonymous answers of those who left."""
    form_id = ids.take("netvaerk_evaluation_form")
    batch["netvaerk_evaluation_form"].append(
        (
            form_id,
            network_id,
            "exit",
            False,
            "Exit-evaluering",
            "Exit evaluation",
            "",
            "",
            True,
            created_at,
        )
    )
    version_id = ids.take("netvaerk_evaluation_form_version")
    batch["netvaerk_evaluation_form_version"].append(
        (version_id, form_id, network_id, 1, created_at)
    )
    questions = []
    for position, (kind, text_da, text_en) in enumerate(EXIT_QUESTIONS):
        question_id = ids.take("netvaerk_evaluation_question")
        low_da, low_en, high_da, high_en = ("Slet ikke", "Not at all", "I høj grad", "Very much")
        if kind != "scale":
            low_da = low_en = high_da = high_en = ""
        batch["netvaerk_evaluation_question"].append(
            (
                question_id,
                version_id,
                f"q{position}",
                position,
                kind,
                True,
                text_da,
                text_en,
                low_da,
                low_en,
                high_da,
                high_en,
                [],
            )
        )
        questions.append((question_id, kind))
    for person in people:
        if person.end is None:
            continue
        draw = rng.random()
        status = "answered" if draw < 0.6 else "offered" if draw < 0.8 else "declined"
        batch["netvaerk_exit_evaluation_status"].append(
            (ids.take("netvaerk_exit_evaluation_status"), network_id, person.rows[0], status)
        )
        if status != "answered":
            continue
        submission_id = f"{rng.getrandbits(128):032x}"
        batch["netvaerk_evaluation_submission"].append(
            (
                submission_id,
                network_id,
                version_id,
                person.end.year,
                person.end.month,
                person.outcome,
            )
        )
        for question_id, kind in questions:
            value = rng.choice((3, 4, 4, 5, 5)) if kind == "scale" else int(rng.random() < 0.85)
            batch["netvaerk_evaluation_answer"].append(
                (f"{rng.getrandbits(128):032x}", submission_id, question_id, value, False)
            )


def _wheel(batch, ids: Ids, rng, network_id: int, people: list[Person], areas, end: date):
    """A wheel-of-life scoring at the start and about every quarter while active."""
    for person in people:
        last = min(person.end or end, end)
        day = person.start
        scores = [rng.randint(2, 7) for _ in areas]
        goal = rng.choice(GOALS)
        while day <= last:
            scoring_id = ids.take("netvaerk_wheel_scoring")
            batch["netvaerk_wheel_scoring"].append(
                (
                    scoring_id,
                    network_id,
                    person.id,
                    day,
                    goal,
                    "Søge tre job om ugen",
                    "Danskundervisning",
                    "",
                    datetime.combine(day, time(11)),
                )
            )
            for area_id, score in zip(areas, scores, strict=True):
                batch["netvaerk_wheel_score"].append(
                    (ids.take("netvaerk_wheel_score"), scoring_id, area_id, score)
                )
            scores = [min(10, s + rng.choice((0, 0, 1, 1, 2))) for s in scores]
            day += timedelta(days=rng.randint(80, 110))
