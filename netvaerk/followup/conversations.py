"""Follow-up conversations during the course: the 14-day rhythm, commitments, options, and the
list of conversations that are due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, select, true, update

from ..audit.services import record, record_about_participant
from ..core.errors import UserError
from ..core.locks import lock_or_vanished
from ..extensions import db
from ..participants.models import Participant, ParticipationPeriod
from .models import (
    DEFAULT_INTERVAL_DAYS,
    PLANS,
    Commitment,
    Conversation,
    Follower,
    FollowUpSettings,
    Option,
)

# How many days ahead the due list looks.
DUE_HORIZON_DAYS = 7
# Statuses in which a resident has follow-up conversations.
IN_COURSE = ("intake", "active")


def audit_about(row, action: str, user_id: int, detail: str | None = None) -> None:
    """Audit a change to a follow-up row (it has network_id and participant_id): the subject is
    the participant, by id only."""
    record_about_participant(action, row, detail=detail, user_id=user_id)


def settings_for(network_id: int) -> FollowUpSettings:
    """The network's follow-up settings (an unsaved row with the defaults when none is saved)."""
    found = db.session.execute(
        select(FollowUpSettings).where(FollowUpSettings.network_id == network_id)
    ).scalar_one_or_none()
    return found or FollowUpSettings(
        network_id=network_id, interval_days=DEFAULT_INTERVAL_DAYS, check_months="1,3,6,12"
    )


def save_settings(network_id: int, interval_days: int, months: list[int], user_id: int) -> None:
    """Save the days between conversations and the months after leaving with a status check."""
    if not 1 <= interval_days <= 365:
        raise UserError(_l("Give a number of days from 1 to 365."), field="interval_days")
    if not months or any(not 1 <= m <= 60 for m in months):
        raise UserError(
            _l("Give the months as numbers from 1 to 60, separated by commas."),
            field="check_months",
        )
    settings = settings_for(network_id)
    settings.interval_days = interval_days
    settings.check_months = ",".join(str(m) for m in sorted(set(months)))
    db.session.add(settings)
    record("followup.settings", network_id=network_id, user_id=user_id)
    db.session.flush()


# --- conversations and commitments -----------------------------------------------------------


def log_conversation(
    participant: Participant,
    held_on: date,
    present: str,
    agreed: str,
    next_due_on: date | None,
    commitments: list[tuple[str, date]],
    user_id: int,
    today: date,
) -> Conversation:
    """Record a conversation and the commitments made in it; the next one falls due after the
    network's interval unless another date is given."""
    if participant.status not in IN_COURSE:
        raise UserError(_l("Conversations are logged for residents in the course."))
    if held_on > today:
        raise UserError(_l("The date cannot be in the future."), field="held_on")
    start = participant.current_period.start_date if participant.current_period else None
    if participant.intake_date and (start is None or participant.intake_date < start):
        start = participant.intake_date
    if start is not None and held_on < start:
        raise UserError(
            _l("The date cannot be before the person started (%(day)s).", day=format_date(start)),
            field="held_on",
        )
    if next_due_on is None:
        next_due_on = held_on + timedelta(days=settings_for(participant.network_id).interval_days)
    if next_due_on < held_on:
        raise UserError(_l("The next conversation cannot be before this one."), field="next_due_on")
    for _text, due_on in commitments:
        if due_on < held_on:
            raise UserError(_l("A commitment cannot fall due before the conversation."))
    conversation = Conversation(
        network_id=participant.network_id,
        participant_id=participant.id,
        held_on=held_on,
        present=present.strip(),
        agreed=agreed.strip(),
        next_due_on=next_due_on,
        recorded_by_id=user_id,
    )
    for text, due_on in commitments:
        conversation.commitments.append(
            Commitment(
                network_id=participant.network_id,
                participant_id=participant.id,
                text=text.strip(),
                due_on=due_on,
            )
        )
    db.session.add(conversation)
    db.session.flush()
    audit_about(conversation, "followup.conversation", user_id, held_on.isoformat())
    return conversation


def set_commitment_done(commitment: Commitment, done: bool, user_id: int, today: date) -> None:
    """Mark a commitment done (today) or not done."""
    commitment.done = done
    commitment.done_on = today if done else None
    audit_about(commitment, "followup.commitment", user_id, "done" if done else "not done")
    db.session.flush()


def conversations_of(participant_id: int) -> list[Conversation]:
    """A resident's conversations, newest first."""
    return db.session.scalars(
        select(Conversation)
        .where(Conversation.participant_id == participant_id)
        .order_by(Conversation.held_on.desc(), Conversation.id.desc())
    ).all()


def commitments_of(participant_id: int) -> list[Commitment]:
    """A resident's commitments: open ones first, by due date."""
    return db.session.scalars(
        select(Commitment)
        .where(Commitment.participant_id == participant_id)
        .order_by(Commitment.done, Commitment.due_on, Commitment.id)
    ).all()


def _interval_days(network_id):
    """The network's days between conversations, as a column (the default when none saved)."""
    saved = (
        select(FollowUpSettings.interval_days)
        .where(FollowUpSettings.network_id == network_id)
        .scalar_subquery()
    )
    return func.coalesce(saved, DEFAULT_INTERVAL_DAYS)


def next_due(participant: Participant, today: date) -> date | None:
    """When the resident's next conversation falls due (None outside the course): the date
    agreed at the last conversation, else the interval after the start (one query)."""
    if participant.status not in IN_COURSE:
        return None
    last_agreed = (
        select(Conversation.next_due_on)
        .where(Conversation.participant_id == participant.id)
        .order_by(Conversation.held_on.desc(), Conversation.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    last, interval_days = db.session.execute(
        select(last_agreed, _interval_days(participant.network_id))
    ).one()
    if last is not None:
        return last
    period = participant.current_period
    started = period.start_date if period else None
    return due_date(None, started, participant.intake_date, interval_days, today)


def due_date(
    agreed: date | None,
    started: date | None,
    intake_on: date | None,
    interval_days: int,
    today: date,
) -> date:
    """The one rule for when a conversation falls due, shared by the resident's page and the due
    list: the date agreed at the last conversation, else the interval after the start of the
    open period, else after the intake (conversations begin at the intake), else after today."""
    if agreed is not None:
        return agreed
    return (started or intake_on or today) + timedelta(days=interval_days)


@dataclass(frozen=True)
class DueConversation:
    """A resident whose next conversation is due (or overdue) within the horizon."""

    participant: Participant
    due_on: date
    overdue: bool
    open_commitments: int


def due_conversations(
    network_id: int, today: date, follower_id: int | None = None
) -> list[DueConversation]:
    """Residents in the course (at intake or active) whose conversation falls due within a week,
    overdue ones first (one query; the date follows `due_date`, as on the resident's page).
    With `follower_id`, only the residents that facilitator was named to follow."""
    latest_due = (
        select(Conversation.next_due_on)
        .where(Conversation.participant_id == Participant.id)
        .order_by(Conversation.held_on.desc(), Conversation.id.desc())
        .limit(1)
        .correlate(Participant)
        .scalar_subquery()
    )
    open_count = (
        select(func.count(Commitment.id))
        .where(Commitment.participant_id == Participant.id, Commitment.done.is_(False))
        .correlate(Participant)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(
            Participant,
            ParticipationPeriod.start_date,
            latest_due,
            open_count,
            _interval_days(network_id),
        )
        .outerjoin(
            ParticipationPeriod,
            and_(
                ParticipationPeriod.participant_id == Participant.id,
                ParticipationPeriod.end_date.is_(None),
            ),
        )
        .where(
            Participant.network_id == network_id,
            Participant.status.in_(IN_COURSE),
            true()
            if follower_id is None
            else Participant.id.in_(
                select(Follower.participant_id).where(Follower.user_id == follower_id)
            ),
        )
    ).all()
    horizon = today + timedelta(days=DUE_HORIZON_DAYS)
    due = []
    for person, started, agreed, count, interval_days in rows:
        due_on = due_date(agreed, started, person.intake_date, interval_days, today)
        if due_on <= horizon:
            due.append(DueConversation(person, due_on, due_on < today, count or 0))
    return sorted(due, key=lambda d: (d.due_on, d.participant.first_name, d.participant.id))


# --- options (the 50 ideas narrowed down to plans A, B and C) ---------------------------------


def options_of(participant_id: int) -> list[Option]:
    """A resident's options: the chosen ones (plan A, B, C) first, then the rest as added."""
    found = db.session.execute(
        select(Option).where(Option.participant_id == participant_id).order_by(Option.id)
    ).scalars()
    return sorted(found, key=lambda o: (o.plan is None, o.plan or "", o.id))


def wheel_plans(participant: Participant) -> dict | None:
    """The goal and plans A, B and C of the resident's latest wheel of life (None if none),
    shown beside the chosen options."""
    from ..wheel.services import scorings

    history = scorings(participant)
    if not history:
        return None
    latest = history[-1]
    return {"goal": latest.goal, "A": latest.plan_a, "B": latest.plan_b, "C": latest.plan_c}


def add_option(participant: Participant, text: str, user_id: int) -> Option:
    """Add an idea to the resident's list of options."""
    text = text.strip()
    if not text:
        raise UserError(_l("Please fill in this field."), field="text")
    option = Option(network_id=participant.network_id, participant_id=participant.id, text=text)
    db.session.add(option)
    db.session.flush()
    audit_about(option, "followup.option", user_id)
    return option


def choose_option(option: Option, plan: str | None, user_id: int) -> None:
    """Choose an option as plan A, B or C (the one holding that plan gives it up), or unchoose."""
    if plan is not None and plan not in PLANS:
        raise UserError(_l("Choose plan A, B or C."), field="plan")
    if plan is not None:
        db.session.execute(
            update(Option)
            .where(
                Option.participant_id == option.participant_id,
                Option.plan == plan,
                Option.id != option.id,
            )
            .values(plan=None)
            .execution_options(synchronize_session=False)
        )
    option.plan = plan
    audit_about(option, "followup.option", user_id, f"plan {plan or '-'}")
    db.session.flush()


def remove_option(option: Option, user_id: int) -> None:
    """Take an idea off the list."""
    lock_or_vanished(option, "text")
    audit_about(option, "followup.option", user_id, "removed")
    db.session.delete(option)
    db.session.flush()
