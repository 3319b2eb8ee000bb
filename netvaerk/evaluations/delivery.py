"""Offering a form to a participant: on the tablet, by a one-time link or on paper, and the
exit evaluation's status ("answered" is read from the offer's token being gone, never written)."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _
from sqlalchemy import delete, or_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ..audit.services import record_about_participant
from ..core.errors import UserError
from ..core.locks import lock_for_update
from ..core.security import token_hash
from ..extensions import db
from ..participants.models import Participant, ParticipationPeriod
from .answers import exit_period
from .models import AnswerLink, EvaluationForm, ExitEvaluationStatus, TabletSession

# A form opened on the tablet waits this long before it is dropped from the kiosk screen.
TABLET_SESSION_HOURS = 12
# How far back the coordinator is reminded of exit evaluations that were not answered.
REMINDER_WEEKS = 8
# A paper offer stays open this long for the paper answer to be typed in.
PAPER_DAYS = 60


# --- the exit evaluation's status ------------------------------------------------------------


def _open_tokens(participant_id):
    """An EXISTS clause: the participant still has a tablet session or link for an exit form."""
    exit_forms = db.select(EvaluationForm.id).where(EvaluationForm.purpose == "exit")
    return or_(
        db.select(TabletSession.id)
        .where(
            TabletSession.participant_id == participant_id,
            TabletSession.form_id.in_(exit_forms),
        )
        .exists(),
        db.select(AnswerLink.id)
        .where(
            AnswerLink.participant_id == participant_id,
            AnswerLink.form_id.in_(exit_forms),
            AnswerLink.used.is_(False),
        )
        .exists(),
    )


def _set_exit_status(period: ParticipationPeriod, status: str) -> None:
    row = db.session.execute(
        db.select(ExitEvaluationStatus).where(ExitEvaluationStatus.period_id == period.id)
    ).scalar_one_or_none()
    if row is None:
        db.session.add(
            ExitEvaluationStatus(network_id=period.network_id, period_id=period.id, status=status)
        )
    elif row.status != "answered":
        row.status = status


def _lock_offers_of(participant_id: int) -> None:
    """Offers and their status are read and then written: two at once for one person (a double
    click, two coordinators) run one after the other, on the participant's row lock."""
    lock_for_update(Participant, Participant.id == participant_id, column="status")


def set_exit_status(period: ParticipationPeriod, status: str) -> None:
    """Record that the exit evaluation was offered or declined for a period."""
    _lock_offers_of(period.participant_id)
    try:
        with db.session.begin_nested():
            _set_exit_status(period, status)
    except IntegrityError:  # two clicks at once: the other one made the row; change it
        _set_exit_status(period, status)
    if status == "declined":
        record_about_participant("evaluation.exit_declined", period)
    db.session.flush()


def exit_status(period: ParticipationPeriod | None) -> str | None:
    """ "offered", "answered", "declined" or None for a period. An offer whose tablet session or
    link is gone (not expired: expired ones are kept) was answered."""
    if period is None:
        return None
    status = db.session.execute(
        db.select(ExitEvaluationStatus.status).where(ExitEvaluationStatus.period_id == period.id)
    ).scalar_one_or_none()
    if status != "offered":
        return status
    waiting = db.session.execute(db.select(_open_tokens(period.participant_id))).scalar_one()
    return "offered" if waiting else "answered"


def missing_exit_evaluations(network_id: int, today: date, weeks: int = REMINDER_WEEKS):
    """(participant, period, status) for people who left in the last weeks with an outcome
    and have neither answered nor declined the exit evaluation."""
    rows = db.session.execute(
        db.select(ParticipationPeriod, ExitEvaluationStatus.status)
        .outerjoin(ExitEvaluationStatus, ExitEvaluationStatus.period_id == ParticipationPeriod.id)
        .where(
            ParticipationPeriod.network_id == network_id,
            ParticipationPeriod.outcome.is_not(None),
            ParticipationPeriod.end_date >= today - timedelta(weeks=weeks),
            ParticipationPeriod.end_date <= today,
            or_(
                ExitEvaluationStatus.status.is_(None),
                (ExitEvaluationStatus.status == "offered")
                & _open_tokens(ParticipationPeriod.participant_id),
            ),
        )
        .order_by(ParticipationPeriod.end_date.desc())
        .options(joinedload(ParticipationPeriod.participant))
    ).all()
    return [(period.participant, period, status) for period, status in rows]


class AlreadyAnswered(UserError):
    """A new offer of the exit evaluation for a leaving whose evaluation was answered."""


def can_offer(form: EvaluationForm, participant: Participant) -> bool:
    """False for an exit evaluation the person already answered for their last leaving: one
    answer per resident per leaving."""
    if form.purpose != "exit":
        return True
    return exit_status(exit_period(participant)) != "answered"


def offerable_forms(forms: list[EvaluationForm], participant: Participant) -> list:
    """The forms that may still be offered to the participant (for the offer buttons)."""
    answered = None
    kept = []
    for form in forms:
        if form.purpose == "exit":
            if answered is None:
                answered = not can_offer(form, participant)
            if answered:
                continue
        kept.append(form)
    return kept


def _refuse_repeat(form: EvaluationForm, participant: Participant) -> None:
    if not can_offer(form, participant):
        raise AlreadyAnswered(
            _(
                "%(name)s has already answered the exit evaluation for this leaving. It is not "
                "offered again, so that each leaving is counted once.",
                name=participant.first_name,
            )
        )


def _offer(form: EvaluationForm, participant: Participant) -> None:
    period = exit_period(participant)
    if form.purpose != "exit" or period is None:
        return
    current = db.session.execute(
        db.select(ExitEvaluationStatus.status).where(ExitEvaluationStatus.period_id == period.id)
    ).scalar_one_or_none()
    if current is None:
        _set_exit_status(period, "offered")


# --- the tablet ------------------------------------------------------------------------------


def open_on_tablet(
    form: EvaluationForm, participant: Participant, user_id: int | None, now: datetime
) -> TabletSession:
    """Put the form on the kiosk tablet for the participant (once; again is harmless).
    Refused for an exit evaluation already answered for this leaving."""
    _lock_offers_of(participant.id)
    _refuse_repeat(form, participant)
    existing = _tablet_session(form, participant)
    if existing is not None:
        existing.created_at = now
    else:
        try:
            with db.session.begin_nested():
                db.session.add(
                    TabletSession(
                        network_id=form.network_id,
                        form_id=form.id,
                        participant_id=participant.id,
                        opened_by_id=user_id,
                        created_at=now,
                    )
                )
        except IntegrityError:  # opened twice at the same moment: one is enough
            pass
    _offer(form, participant)
    record_about_participant("evaluation.tablet_opened", participant, detail=form.title_da)
    db.session.flush()
    return _tablet_session(form, participant)


def _tablet_session(form: EvaluationForm, participant: Participant) -> TabletSession | None:
    return db.session.execute(
        db.select(TabletSession).where(
            TabletSession.form_id == form.id, TabletSession.participant_id == participant.id
        )
    ).scalar_one_or_none()


def pending_tablet_sessions(network_id: int, now: datetime) -> list[TabletSession]:
    """Forms waiting on the network's tablet (recent ones only), oldest first."""
    since = now - timedelta(hours=TABLET_SESSION_HOURS)
    return db.session.scalars(
        db.select(TabletSession)
        .where(TabletSession.network_id == network_id, TabletSession.created_at >= since)
        .order_by(TabletSession.created_at, TabletSession.id)
    ).all()


def tablet_session_is_fresh(session: TabletSession, now: datetime) -> bool:
    """True while the session may still be answered on the tablet."""
    return session.created_at >= now - timedelta(hours=TABLET_SESSION_HOURS)


def cancel_tablet_session(session: TabletSession, now: datetime) -> None:
    """Take a waiting form off the tablet. It is expired, not deleted: a session that is gone
    means the form was answered."""
    session.created_at = now - timedelta(hours=TABLET_SESSION_HOURS, minutes=1)
    db.session.flush()


# --- one-time links and paper ------------------------------------------------------------------


def create_answer_link(
    form: EvaluationForm,
    participant: Participant,
    user_id: int | None,
    hours: int,
    now: datetime,
    *,
    paper: bool = False,
) -> tuple[AnswerLink, str]:
    """A link valid for `hours`, usable once. Returns the row and the token (shown once).

    A paper offer is a link whose token is never shown: typing in the paper answer for the
    person consumes it, like answering through the link would. Refused for an exit evaluation
    already answered for this leaving."""
    _lock_offers_of(participant.id)
    _refuse_repeat(form, participant)
    token = secrets.token_urlsafe(24)
    link = AnswerLink(
        network_id=form.network_id,
        form_id=form.id,
        participant_id=participant.id,
        token_hash=token_hash(token),
        expires_at=now + timedelta(hours=hours),
        created_by_id=user_id,
        created_at=now,
    )
    db.session.add(link)
    _offer(form, participant)
    action = "evaluation.paper_offered" if paper else "evaluation.link_created"
    record_about_participant(action, participant, detail=form.title_da)
    db.session.flush()
    return link, token


def offer_on_paper(
    form: EvaluationForm, participant: Participant, user_id: int | None, now: datetime
) -> AnswerLink:
    """Hand the participant the form on paper: an offer the paper answer will consume."""
    link, _token = create_answer_link(form, participant, user_id, PAPER_DAYS * 24, now, paper=True)
    return link


def open_paper_offers(form: EvaluationForm, now: datetime) -> list[Participant]:
    """The participants with an open offer of the form (link or paper), for the paper page."""
    return db.session.scalars(
        db.select(Participant)
        .join(AnswerLink, AnswerLink.participant_id == Participant.id)
        .where(
            AnswerLink.form_id == form.id,
            AnswerLink.used.is_(False),
            AnswerLink.expires_at >= now,
        )
        .distinct()
        .order_by(Participant.first_name, Participant.last_name)
    ).all()


def open_offer(form: EvaluationForm, participant: Participant, now: datetime) -> AnswerLink:
    """The participant's open offer of the form (link or paper) that a paper answer uses up:
    the oldest unexpired one. Refused when there is none (nothing is stored)."""
    link = db.session.scalars(
        db.select(AnswerLink)
        .where(
            AnswerLink.form_id == form.id,
            AnswerLink.participant_id == participant.id,
            AnswerLink.used.is_(False),
            AnswerLink.expires_at >= now,
        )
        .order_by(AnswerLink.created_at, AnswerLink.id)
    ).first()
    if link is None:
        raise UserError(
            _(
                "%(name)s has no open offer of this form. Give them the form on paper from "
                "their page first; the paper answer then uses up that offer.",
                name=participant.first_name,
            ),
            field="participant_id",
        )
    return link


def link_for_token(token: str, now: datetime) -> tuple[AnswerLink | None, str | None]:
    """(link, problem): problem is None for a usable link, else a translated sentence."""
    link = db.session.execute(
        db.select(AnswerLink).where(AnswerLink.token_hash == token_hash(token or ""))
    ).scalar_one_or_none()
    if link is None:
        return None, _(
            "This link is not valid or has already been used. If you have not answered yet, "
            "ask the staff of the network for a new one."
        )
    if link.used:
        return link, _("This link has already been used. Thank you for your answer.")
    if link.expires_at < now:
        return link, _("This link has expired. Ask the staff of the network for a new one.")
    if not link.form.is_active or not link.form.current_version.questions:
        return link, _("This form is no longer in use.")
    return link, None


def erase_tokens(participant: Participant) -> None:
    """Delete the participant's links and waiting tablet forms."""
    db.session.execute(delete(AnswerLink).where(AnswerLink.participant_id == participant.id))
    db.session.execute(delete(TabletSession).where(TabletSession.participant_id == participant.id))


def network_participants(network_id: int) -> list[Participant]:
    """The network's participants a named form can be typed in for (not the merely interested)."""
    return db.session.scalars(
        db.select(Participant)
        .where(
            Participant.network_id == network_id,
            Participant.status.in_(("intake", "active", "left")),
        )
        .order_by(Participant.first_name, Participant.last_name)
    ).all()
