"""Participants: registration, the status flow, places per readiness group, kiosk codes,
search, and the participant's own data for access requests and erasure."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from ..audit.services import record_about_participant
from ..core.errors import UserError
from ..core.locks import lock_for_update
from ..core.models import Network
from ..core.registry import PARTICIPANT_LEFT_EVENT, PARTICIPANT_STARTED_EVENT, notify
from ..extensions import db
from ..labels import STATUS_LABELS
from .models import (
    EDITABLE_FIELDS,
    OUTCOMES,
    READINESS_GROUPS,
    Participant,
    ParticipationPeriod,
    StatusChange,
)

# Wrong kiosk codes allowed before the code step of that person locks for a while.
MAX_CODE_ATTEMPTS = 3
CODE_LOCK_MINUTES = 10


class FlowError(UserError):
    """A status change that the flow does not allow; the message says why, translated."""


class CapacityWarning(Exception):
    """Starting (or moving) someone would take more places in a group than the network has.

    Not a mistake but a question: the view asks the coordinator to confirm, and nothing is
    changed until they do."""

    def __init__(self, group: int, places: int, taken: int) -> None:
        super().__init__(f"group {group}: {taken} of {places} places taken")
        self.group, self.places, self.taken = group, places, taken


# The participant page shows the periods: read with the participant, in its one statement.
PAGE_LOADING = (joinedload(Participant.periods),)


# --- places per readiness group -------------------------------------------------------------


def places(network, group: int) -> int:
    """The network's number of places in a readiness group."""
    return network.places_group1 if group == 1 else network.places_group3


def active_counts(network_id: int) -> dict[int, int]:
    """Active participants per readiness group."""
    rows = db.session.execute(
        select(Participant.readiness_group, func.count(Participant.id))
        .where(Participant.network_id == network_id, Participant.status == "active")
        .group_by(Participant.readiness_group)
    ).all()
    counts = dict.fromkeys(READINESS_GROUPS, 0)
    counts.update({group: int(count) for group, count in rows})
    return counts


def check_capacity(network, group: int, exclude_id: int | None = None) -> None:
    """Raise CapacityWarning if one more active participant in `group` exceeds its places."""
    query = select(func.count(Participant.id)).where(
        Participant.network_id == network.id,
        Participant.status == "active",
        Participant.readiness_group == group,
    )
    if exclude_id is not None:
        query = query.where(Participant.id != exclude_id)
    taken = db.session.execute(query).scalar_one()
    if taken + 1 > places(network, group):
        raise CapacityWarning(group, places(network, group), taken)


# --- registering and editing ---------------------------------------------------------------


def lock_registrations(network) -> None:
    """Registrations in one network run one after the other (the network's row lock), so a
    double click finds the first one's resident among the look-alikes instead of adding a
    second."""
    lock_for_update(Network, Network.id == network.id, column="name")


def register_participant(network, data: dict, user_id: int, today: date) -> Participant:
    """Register a resident; status "interested", or "intake held" when an intake date is given."""
    participant = Participant(network_id=network.id, status="interested")
    for name in EDITABLE_FIELDS:
        setattr(participant, name, data.get(name))
    if participant.consent_date is not None:
        participant.consent_recorded_by_id = user_id
    first_day = min(today, participant.intake_date or today)
    participant.status_changes.append(
        StatusChange(status="interested", changed_on=first_day, changed_by_id=user_id)
    )
    if participant.intake_date is not None:
        participant.status = "intake"
        participant.status_changes.append(
            StatusChange(status="intake", changed_on=participant.intake_date, changed_by_id=user_id)
        )
    db.session.add(participant)
    db.session.flush()
    record_about_participant("participant.create", participant, user_id=user_id)
    db.session.flush()
    return participant


def update_participant(
    network, participant: Participant, data: dict, user_id: int, confirm_over_capacity=False
) -> list[str]:
    """Save edited fields; warns before an active participant's group change overfills it.

    Returns the names of the fields that changed (recorded in the audit trail, values not).
    """
    group = data.get("readiness_group", participant.readiness_group)
    if (
        participant.status == "active"
        and group != participant.readiness_group
        and not confirm_over_capacity
    ):
        check_capacity(network, group, exclude_id=participant.id)
    changed = [name for name in EDITABLE_FIELDS if getattr(participant, name) != data.get(name)]
    for name in changed:
        setattr(participant, name, data.get(name))
    if "consent_date" in changed or "consent_text" in changed:
        participant.consent_recorded_by_id = user_id if participant.consent_date else None
    if changed:
        record_about_participant(
            "participant.update", participant, detail=", ".join(changed), user_id=user_id
        )
    db.session.flush()
    return changed


def record_view(participant: Participant, detail: str | None = None) -> None:
    """Note in the audit trail that a coordinator looked at the participant's data."""
    record_about_participant("participant.view", participant, detail=detail)


PLACES_FIELDS = ("places_group1", "group1_label", "places_group3", "group3_label")


def set_places(network, data: dict) -> None:
    """Save the places per readiness group and the groups' own names."""
    for name in PLACES_FIELDS:
        setattr(network, name, data[name])
    db.session.flush()


# --- the status flow -----------------------------------------------------------------------


def changed_meanwhile(status: str):
    """The message when another request changed the status first (a double click)."""
    return _l(
        "Someone changed this participant's status at the same moment (it is now: %(status)s), "
        "so nothing was saved. Look at the page again.",
        status=STATUS_LABELS.get(status, status),
    )


def lock_for_status_change(participant: Participant) -> None:
    """Take the participant's row lock for the rest of the transaction and read it afresh.

    Every status step reads the status and then writes on it, so two requests at once (a
    double click, two coordinators) must run one after the other: `SELECT … FOR UPDATE` on
    PostgreSQL, the database's write lock on SQLite (a no-op UPDATE, see `lock_for_update`, so the
    read below happens inside the write transaction). When another request changed the status
    while this one waited, nothing is done and the user is told so.
    """
    seen = participant.status
    lock_for_update(Participant, Participant.id == participant.id, column="status")
    db.session.refresh(participant)
    db.session.expire(participant, ["periods", "status_changes"])
    if participant.status != seen:
        raise FlowError(changed_meanwhile(participant.status))


def _last_change_date(participant: Participant) -> date | None:
    return max((c.changed_on for c in participant.status_changes), default=None)


def _step(
    participant: Participant, status: str, on: date, user_id: int, today: date, field: str
) -> None:
    """Move to `status` on date `on`, checking the date; records the StatusChange and audit."""
    if on > today:
        raise FlowError(_l("The date cannot be in the future."), field=field)
    last = _last_change_date(participant)
    if last is not None and on < last:
        raise FlowError(
            _l("The date cannot be before the last change of status (%(day)s).", day=last),
            field=field,
        )
    participant.status = status
    participant.status_changes.append(
        StatusChange(status=status, changed_on=on, changed_by_id=user_id)
    )
    record_about_participant(
        f"participant.{status}", participant, detail=f"{status} {on.isoformat()}", user_id=user_id
    )


def record_intake(
    participant: Participant, on: date, note: str | None, user_id: int, today: date
) -> None:
    """The intake conversation was held: interested → intake held."""
    lock_for_status_change(participant)
    if participant.status != "interested":
        raise FlowError(_l("The intake can only be recorded for someone who is interested."))
    _step(participant, "intake", on, user_id, today, "intake_on")
    participant.intake_date = on
    if note:
        participant.intake_note = note
    db.session.flush()


def start_participation(
    network,
    participant: Participant,
    on: date,
    user_id: int,
    today: date,
    confirm_over_capacity: bool = False,
) -> None:
    """Give a place: intake held → active (or left → active when coming back); new period.

    Raises CapacityWarning unless `confirm_over_capacity`, when the group's places are taken.
    """
    lock_for_status_change(participant)
    if participant.status not in ("intake", "left"):
        raise FlowError(_l("Only someone whose intake is held, or who has left, can start."))
    previous_end = max((p.end_date for p in participant.periods if p.end_date), default=None)
    if previous_end is not None and on <= previous_end:
        raise FlowError(
            _l("The new start must be after the last period ended (%(day)s).", day=previous_end),
            field="start_on",
        )
    if not confirm_over_capacity:
        check_capacity(network, participant.readiness_group, participant.id)
    _step(participant, "active", on, user_id, today, "start_on")
    period = ParticipationPeriod(network_id=participant.network_id, start_date=on)
    try:
        with db.session.begin_nested():
            participant.periods.append(period)
    except IntegrityError as clash:  # another open period: the partial unique index refused it
        raise FlowError(changed_meanwhile("active")) from clash
    notify(
        PARTICIPANT_STARTED_EVENT,
        participant=participant,
        period=period,
        user_id=user_id,
    )
    db.session.flush()


def leave(participant: Participant, on: date, outcome: str, user_id: int, today: date) -> None:
    """Leaving: active → left; the open period ends on `on` with the outcome."""
    lock_for_status_change(participant)
    period = participant.current_period
    if participant.status != "active" or period is None:
        raise FlowError(_l("Only an active participant can leave."))
    if outcome not in OUTCOMES:
        raise FlowError(_l("Choose an outcome from the list."), field="outcome")
    if on < period.start_date:
        raise FlowError(
            _l("The end date cannot be before the start (%(day)s).", day=period.start_date),
            field="end_on",
        )
    _step(participant, "left", on, user_id, today, "end_on")
    period.end_date = on
    period.outcome = outcome
    db.session.flush()
    notify(PARTICIPANT_LEFT_EVENT, participant=participant, period=period, user_id=user_id)


def next_steps(status: str) -> tuple[str, ...]:
    """The steps the flow offers from a status."""
    return {
        "interested": ("intake",),
        "intake": ("start",),
        "active": ("leave",),
        "left": ("return",),
    }[status]


# --- kiosk codes ---------------------------------------------------------------------------


def set_code(participant: Participant, code: str | None, user_id: int) -> None:
    """Set (or with None remove) the participant's four-digit kiosk code, stored hashed."""
    participant.checkin_code_hash = (
        generate_password_hash(code, method=current_app.config["NETVAERK_PASSWORD_HASH_METHOD"])
        if code
        else None
    )
    participant.checkin_code_failures = 0
    participant.checkin_code_locked_until = None
    record_about_participant(
        "participant.code_set" if code else "participant.code_removed", participant, user_id=user_id
    )
    db.session.flush()


def code_locked(participant: Participant, now_utc: datetime) -> bool:
    """True while too many wrong codes lock the participant's code step."""
    locked_until = participant.checkin_code_locked_until
    return locked_until is not None and locked_until > now_utc


def verify_code(participant: Participant, code: str, now_utc: datetime) -> bool:
    """Check a typed kiosk code; wrong ones count, and too many lock the code step a while.

    A try is taken and counted in one statement before the code is compared, so requests
    sent at the same moment cannot check more codes than MAX_CODE_ATTEMPTS between them.
    """
    if not _take_code_try(participant.id, now_utc):
        db.session.expire(participant, ["checkin_code_failures", "checkin_code_locked_until"])
        return False
    right = bool(participant.checkin_code_hash) and check_password_hash(
        participant.checkin_code_hash, code
    )
    if right:
        db.session.execute(
            update(Participant)
            .where(Participant.id == participant.id)
            .values(checkin_code_failures=0, checkin_code_locked_until=None)
            .execution_options(synchronize_session=False)
        )
    db.session.expire(participant, ["checkin_code_failures", "checkin_code_locked_until"])
    return right


def _take_code_try(participant_id: int, now_utc: datetime) -> bool:
    """Count one try unless the code step is locked (`UPDATE … WHERE … RETURNING`); the try
    that reaches MAX_CODE_ATTEMPTS locks the step for CODE_LOCK_MINUTES."""
    failures = Participant.checkin_code_failures
    locked_until = Participant.checkin_code_locked_until
    lock_over = locked_until.is_not(None) & (locked_until <= now_utc)
    counted = case((lock_over, 1), else_=failures + 1)
    taken = db.session.execute(
        update(Participant)
        .where(
            Participant.id == participant_id,
            or_(lock_over, locked_until.is_(None) & (failures < MAX_CODE_ATTEMPTS)),
        )
        .values(
            checkin_code_failures=counted,
            checkin_code_locked_until=case(
                (counted >= MAX_CODE_ATTEMPTS, now_utc + timedelta(minutes=CODE_LOCK_MINUTES)),
                else_=None,
            ),
        )
        .returning(Participant.id)
        .execution_options(synchronize_session=False)
    ).first()
    return taken is not None


# --- lists ---------------------------------------------------------------------------------


def active_participants(network_id: int) -> list[Participant]:
    """The active participants, by first name (the kiosk grid)."""
    return db.session.scalars(
        select(Participant)
        .where(Participant.network_id == network_id, Participant.status == "active")
        .order_by(Participant.first_name, Participant.last_name, Participant.id)
    ).all()


# --- personal data: access requests and erasure ---------------------------------------------


def export_participant(participant: Participant) -> dict:
    """The participant's own fields, periods and status history, JSON-able (attendance is
    exported by meetings' own hook)."""

    def iso(value):
        return value.isoformat() if value is not None else None

    return {
        "first_name": participant.first_name,
        "last_name": participant.last_name,
        "housing_area": participant.housing_area.name if participant.housing_area else None,
        "birth_year": participant.birth_year,
        "readiness_group": participant.readiness_group,
        "phone": participant.phone,
        "email": participant.email,
        "status": participant.status,
        "intake_date": iso(participant.intake_date),
        "intake_note": participant.intake_note,
        "consent_date": iso(participant.consent_date),
        "consent_text": participant.consent_text,
        "has_kiosk_code": participant.checkin_code_hash is not None,
        "registered_at": iso(participant.created_at),
        "periods": [
            {"start": iso(p.start_date), "end": iso(p.end_date), "outcome": p.outcome}
            for p in participant.periods
        ],
        "status_changes": [
            {"status": c.status, "date": iso(c.changed_on)} for c in participant.status_changes
        ],
    }


def erase_participant(participant: Participant) -> None:
    """Irreversibly anonymise the participant; periods and outcomes stay as anonymous figures
    (dates and statuses only), so the monthly statistics still add up."""
    participant.first_name = "–"
    participant.last_name = ""
    participant.birth_year = None
    participant.phone = None
    participant.email = None
    participant.preferred_locale = None
    participant.intake_note = None
    participant.consent_text = None
    participant.consent_recorded_by_id = None
    participant.checkin_code_hash = None
    participant.checkin_code_failures = 0
    participant.checkin_code_locked_until = None
    for change in participant.status_changes:
        change.changed_by_id = None
    db.session.flush()
