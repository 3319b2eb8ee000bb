"""What the generated networks are made of: names, places, weights, and one simulated network's
shared state while its rows are made."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from ..timeutil import LOCAL_TZ
from .tables import Ids

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


@dataclass
class Person:
    """One simulated participant: their period and how often they come."""

    id: int
    start: date
    end: date | None
    outcome: str | None
    propensity: float


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


@dataclass
class Span:
    """The generated period and what holds for every network in it."""

    start: date
    end: date
    horizon: date
    holidays: set[date]
    password_hash: str
    open_now: datetime | None

    @property
    def created_at(self) -> datetime:
        return datetime.combine(self.start, time(8))


@dataclass
class Sim:
    """One network being simulated: where its rows go and what the steps share."""

    batch: dict[str, list[dict]]
    ids: Ids
    utc: Utc
    rng: random.Random
    span: Span
    network: object
    number: int
    housing_areas: list[int]
    activity_types: list[tuple[int, str]]
    staff: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))

    def add(self, table: str, **row) -> int:
        """Append a row with the table's next id; returns the id."""
        row_id = self.ids.take(table)
        self.batch[table].append({"id": row_id, **row})
        return row_id


def weighted(rng: random.Random, pairs) -> str:
    """One name from (name, weight) pairs."""
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]
