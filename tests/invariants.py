"""The domain's invariants, as plain checks of one network: the stateful test (a month of
use, `tests/meetings/test_month_of_use.py`) asserts them after every step, and the
double-submit test (`tests/security/test_double_submit.py`) after every burst of requests."""

from datetime import date

from sqlalchemy import and_, case, func, or_, select

from netvaerk.activities.models import Activity, SignUp, WaitlistEntry
from netvaerk.core.models import Membership, User
from netvaerk.meetings.models import Meeting
from netvaerk.participants.models import Participant, ParticipationPeriod
from netvaerk.rota.models import ChoreAssignment


def one_meeting_a_day(session, network_id: int) -> list:
    """At most one meeting held per network and day."""
    return session.execute(
        select(Meeting.date)
        .where(Meeting.network_id == network_id, Meeting.is_cancelled.is_(False))
        .group_by(Meeting.date)
        .having(func.count() > 1)
    ).all()


def activities_on_meetings_share_their_date(session, network_id: int) -> list:
    """Every activity on a meeting has the meeting's date."""
    return session.execute(
        select(Activity.id)
        .join(Meeting, Meeting.id == Activity.meeting_id)
        .where(Activity.network_id == network_id, Activity.date != Meeting.date)
    ).all()


def future_chores_belong_to_active_people(session, network_id: int, today: date) -> list:
    """No future chore (not done) belongs to someone who is not active."""
    return session.execute(
        select(ChoreAssignment.id)
        .join(Meeting, Meeting.id == ChoreAssignment.meeting_id)
        .join(Participant, Participant.id == ChoreAssignment.participant_id)
        .where(
            ChoreAssignment.network_id == network_id,
            ChoreAssignment.is_done.is_(False),
            Meeting.date > today,
            Participant.status != "active",
        )
    ).all()


def future_places_belong_to_people_who_can_run_activities(
    session, network_id: int, today: date
) -> list:
    """No future place on an activity for someone disabled or without the role."""
    can_run = (
        select(Membership.id)
        .where(
            Membership.user_id == SignUp.user_id,
            Membership.network_id == SignUp.network_id,
            Membership.role.in_(("coordinator", "facilitator")),
        )
        .exists()
    )
    return session.execute(
        select(SignUp.id)
        .join(Activity, Activity.id == SignUp.activity_id)
        .join(User, User.id == SignUp.user_id)
        .where(
            SignUp.network_id == network_id,
            Activity.date > today,
            or_(User.is_enabled.is_(False), ~can_run),
        )
    ).all()


def seats_within_places(session, network_id: int) -> list:
    """No seat beyond the activity's places."""
    return session.execute(
        select(SignUp.id)
        .join(Activity, Activity.id == SignUp.activity_id)
        .where(SignUp.network_id == network_id, SignUp.seat > Activity.facilitators_needed)
    ).all()


def nobody_waits_while_a_place_is_free(session, network_id: int) -> list:
    """The wait list moves whenever a seat frees."""
    taken = select(func.count(SignUp.id)).where(SignUp.activity_id == Activity.id).scalar_subquery()
    waiting = select(WaitlistEntry.id).where(WaitlistEntry.activity_id == Activity.id).exists()
    return session.execute(
        select(Activity.id).where(
            and_(
                Activity.network_id == network_id,
                Activity.is_cancelled.is_(False),
                waiting,
                taken < Activity.facilitators_needed,
            )
        )
    ).all()


def one_open_period_for_the_active(session, network_id: int) -> list:
    """Issue 27: an active person has exactly one open period, anyone else none."""
    open_periods = (
        select(func.count(ParticipationPeriod.id))
        .where(
            ParticipationPeriod.participant_id == Participant.id,
            ParticipationPeriod.end_date.is_(None),
        )
        .scalar_subquery()
    )
    expected = case((Participant.status == "active", 1), else_=0)
    return session.execute(
        select(Participant.id, Participant.status, open_periods).where(
            Participant.network_id == network_id, open_periods != expected
        )
    ).all()


CHECKS = (
    one_meeting_a_day,
    activities_on_meetings_share_their_date,
    future_chores_belong_to_active_people,
    future_places_belong_to_people_who_can_run_activities,
    seats_within_places,
    nobody_waits_while_a_place_is_free,
    one_open_period_for_the_active,
)
DATED = {
    future_chores_belong_to_active_people,
    future_places_belong_to_people_who_can_run_activities,
}


def broken(session, network_id: int, today: date) -> dict[str, list]:
    """{invariant: offending rows} of every invariant the network breaks (empty: all hold)."""
    found = {}
    for check in CHECKS:
        rows = check(session, network_id, today) if check in DATED else check(session, network_id)
        if rows:
            found[check.__name__] = rows
    return found
