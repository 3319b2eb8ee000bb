"""Issue #17: a month of real use, as a stateful property test.

Hypothesis drives the operations of meetings, participants, the rota, activities and accounts
in random order, each step one "request" (committed, or rolled back when a rule refuses it),
and after every step checks the invariants that keep them consistent:

- at most one meeting held per network and day;
- every activity on a meeting has the meeting's date;
- no future chore belongs to someone who is not active, and no future place on an activity
  to someone who cannot run activities (disabled, or without the role);
- seats never exceed places;
- the wait list moves whenever a seat frees (nobody waits while a place is free);
- an active person has exactly one open participation period, anyone else none.

(That a check-in's language follows the resident is a request-level rule, tested in
`test_consistency.py`.) It runs NETVAERK_STATEFUL_EXAMPLES examples (default 500) on the
test database: SQLite in `make test`, PostgreSQL in CI.
"""

import os
from datetime import date, datetime, time, timedelta
from itertools import count

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from netvaerk.activities import services as activities
from netvaerk.activities.models import Activity, SignUp
from netvaerk.admin import services as accounts
from netvaerk.core.errors import UserError
from netvaerk.core.models import Membership, User
from netvaerk.extensions import db
from netvaerk.meetings import calendar
from netvaerk.meetings import services as meetings
from netvaerk.meetings.models import Closure, Meeting
from netvaerk.participants import services as participants
from netvaerk.participants.models import Participant, ParticipationPeriod
from netvaerk.rota import services as rota
from netvaerk.rota.models import Chore, ChoreAssignment

from .. import invariants
from ..factories import make_network

NOW = datetime(2027, 1, 29, 8, 0)  # a Friday; the month of use is February 2027
TODAY = NOW.date()
FIRST = date(2027, 2, 1)
DAYS = 28
EXAMPLES = int(os.environ.get("NETVAERK_STATEFUL_EXAMPLES", "500"))
_names = count()

# Errors a rule may answer with: the step is refused, and nothing of it is saved.
try:
    from netvaerk.participants.services import CapacityWarning, FlowError

    REFUSED: tuple = (UserError, FlowError, CapacityWarning)
except ImportError:  # pragma: no cover - once they are UserErrors
    REFUSED = (UserError,)

day_offsets = st.integers(0, DAYS - 1)
picks = st.integers(0, 1000)


def _pick(rows, index):
    return rows[index % len(rows)] if rows else None


class MonthOfUse(RuleBasedStateMachine):
    """One network through a month: every rule is one request of a coordinator."""

    def __init__(self):
        super().__init__()
        self.network = make_network(f"Måned {next(_names)}")
        self.coordinator = self._user("coordinator")
        self.admin = self._user(None, is_admin=True)
        self.facilitators = [self._user("facilitator") for _ in range(3)]
        db.session.add_all(
            [
                Chore(network_id=self.network.id, name="Kaffe", people_needed=1, weekdays="0,2,3"),
                Chore(network_id=self.network.id, name="Opvask", people_needed=2, weekdays="0,2,3"),
            ]
        )
        db.session.commit()
        for _ in range(4):
            self._add_participant()
        # The month starts planned: meetings, a rota and an activity on a meeting.
        calendar.generate_meetings(self.network, FIRST, FIRST + timedelta(days=DAYS - 1), TODAY)
        rota.generate_rota(self.network.id, FIRST, FIRST + timedelta(days=DAYS - 1), NOW)
        first_meeting = self._held_meetings()[0]
        activities.save_activity(
            self.network.id,
            self._activity_input(1, meeting_id=first_meeting.id),
            self.coordinator.id,
        )
        db.session.commit()

    def _user(self, role, is_admin=False):
        """A staff account without a real password (hashing one per example is slow)."""
        user = User(email=f"user{next(_names)}@example.org", password_hash="!", is_admin=is_admin)
        db.session.add(user)
        db.session.flush()
        if role:
            db.session.add(Membership(user_id=user.id, network_id=self.network.id, role=role))
        db.session.commit()
        return user

    # --- the request boundary -----------------------------------------------------------------

    def _request(self, change) -> None:
        """Run one change as a request does: commit on success, roll back when refused."""
        try:
            change()
        except REFUSED:
            db.session.rollback()
        else:
            db.session.commit()
        db.session.expire_all()

    def _rows(self, model, *where, order=None):
        query = select(model).where(model.network_id == self.network.id, *where)
        return list(db.session.execute(query.order_by(order or model.id)).scalars())

    def _add_participant(self):
        person = Participant(
            network_id=self.network.id,
            first_name=f"Deltager{next(_names)}",
            last_name="Test",
            status="active",
            readiness_group=1,
            birth_year=1980,
            housing_area_id=self.network.housing_areas[0].id,
        )
        person.periods.append(
            ParticipationPeriod(network_id=self.network.id, start_date=date(2026, 6, 1))
        )
        db.session.add(person)
        db.session.commit()

    def _held_meetings(self):
        return self._rows(Meeting, Meeting.is_cancelled.is_(False), order=Meeting.date)

    # --- meetings -------------------------------------------------------------------------------

    @rule(first=day_offsets, length=st.integers(0, 13))
    def generate_meetings(self, first, length):
        start = FIRST + timedelta(days=first)
        self._request(
            lambda: calendar.generate_meetings(
                self.network, start, start + timedelta(days=length), TODAY
            )
        )

    @rule(day=day_offsets)
    def extra_meeting(self, day):
        self._request(
            lambda: calendar.add_extra_meeting(
                self.network, FIRST + timedelta(days=day), time(13), time(15), TODAY
            )
        )

    @rule(which=picks, day=day_offsets)
    def move_meeting(self, which, day):
        meeting = _pick(self._rows(Meeting), which)
        if meeting is not None:
            self._request(
                lambda: calendar.move_meeting(
                    meeting, FIRST + timedelta(days=day), time(9), time(12), TODAY
                )
            )

    @rule(which=picks)
    def cancel_meeting(self, which):
        meeting = _pick(self._held_meetings(), which)
        if meeting is not None:
            self._request(lambda: calendar.cancel_meeting(meeting, "Aflyst"))

    @rule(which=picks)
    def reinstate_meeting(self, which):
        meeting = _pick(self._rows(Meeting, Meeting.is_cancelled.is_(True)), which)
        if meeting is not None:
            self._request(lambda: calendar.reinstate_meeting(meeting))

    @rule(first=day_offsets, length=st.integers(0, 6))
    def closure(self, first, length):
        start = FIRST + timedelta(days=first)
        closure = Closure(
            network_id=self.network.id,
            start_date=start,
            end_date=start + timedelta(days=length),
            reason="Lukket",
        )
        self._request(lambda: calendar.save_closure(closure, TODAY))

    # --- participants ---------------------------------------------------------------------------

    @rule()
    def start_participant(self):
        self._add_participant()

    @rule(which=picks)
    def leave(self, which):
        person = _pick(self._rows(Participant, Participant.status == "active"), which)
        if person is not None:
            self._request(
                lambda: participants.leave(
                    person, TODAY - timedelta(days=1), "ordinary_job", self.coordinator.id, TODAY
                )
            )

    @rule(which=picks)
    def come_back(self, which):
        person = _pick(self._rows(Participant, Participant.status == "left"), which)
        if person is not None:
            self._request(
                lambda: participants.start_participation(
                    self.network, person, TODAY, self.coordinator.id, TODAY, True
                )
            )

    # --- the rota -------------------------------------------------------------------------------

    @rule(week=st.integers(0, 3), weeks=st.integers(1, 2))
    def generate_rota(self, week, weeks):
        start = FIRST + timedelta(weeks=week)
        self._request(
            lambda: rota.generate_rota(
                self.network.id, start, start + timedelta(days=7 * weeks - 1), NOW
            )
        )

    @rule(first=picks, second=picks)
    def swap(self, first, second):
        held = self._rows(
            ChoreAssignment,
            ChoreAssignment.participant_id.is_not(None),
            ChoreAssignment.is_done.is_(False),
        )
        a, b = _pick(held, first), _pick(held, second)
        if a is not None and b is not None:
            self._request(lambda: rota.swap(a, b, self.coordinator.id))

    @rule(which=picks, who=picks)
    def hand_change(self, which, who):
        """A coordinator gives a chore to someone by hand (kept by regeneration)."""
        assignment = _pick(self._rows(ChoreAssignment, ChoreAssignment.is_done.is_(False)), which)
        person = _pick(self._rows(Participant, Participant.status == "active"), who)
        if assignment is not None and person is not None:

            def change():
                try:
                    moved = rota._move_assignment(
                        assignment.id, assignment.participant_id, person.id
                    )
                except IntegrityError:  # they have that chore at that meeting already
                    db.session.rollback()
                    raise UserError("already theirs") from None
                if not moved:
                    raise UserError("changed meanwhile")

            self._request(change)

    @rule(meeting=picks, who=picks)
    def absence(self, meeting, who):
        chosen = _pick(self._held_meetings(), meeting)
        person = _pick(self._rows(Participant, Participant.status == "active"), who)
        if chosen is not None and person is not None:
            self._request(
                lambda: meetings.mark_attendance(
                    chosen, person, "notified", "course", self.coordinator.id
                )
            )

    # --- activities -----------------------------------------------------------------------------

    def _activity_input(self, needed, day=None, meeting_id=None, waitlist=True):
        return activities.ActivityInput(
            type_id=None,
            meeting_id=meeting_id,
            date=day,
            start_time=time(10),
            end_time=time(11),
            title="Aktivitet",
            description="",
            place="",
            facilitators_needed=needed,
            has_waitlist=waitlist,
        )

    @rule(day=day_offsets, needed=st.integers(1, 3), waitlist=st.booleans())
    def create_activity(self, day, needed, waitlist):
        data = self._activity_input(needed, FIRST + timedelta(days=day), waitlist=waitlist)
        self._request(lambda: activities.save_activity(self.network.id, data, self.coordinator.id))

    @rule(meeting=picks, needed=st.integers(1, 3))
    def create_activity_on_a_meeting(self, meeting, needed):
        chosen = _pick(self._held_meetings(), meeting)
        if chosen is not None:
            data = self._activity_input(needed, meeting_id=chosen.id)
            self._request(
                lambda: activities.save_activity(self.network.id, data, self.coordinator.id)
            )

    @rule(activity=picks, who=picks)
    def sign_up(self, activity, who):
        chosen = _pick(self._rows(Activity), activity)
        user = _pick(self.facilitators, who)
        if chosen is not None:
            self._request(lambda: activities.sign_up(chosen.id, user.id, NOW))

    @rule(which=picks)
    def withdraw(self, which):
        signup = _pick(self._rows(SignUp), which)
        if signup is not None:
            activity = db.session.get(Activity, signup.activity_id)
            self._request(lambda: activities.withdraw(activity, signup.user_id, "Syg", NOW, 48))

    @rule(which=picks)
    def cancel_activity(self, which):
        activity = _pick(self._rows(Activity, Activity.is_cancelled.is_(False)), which)
        if activity is not None:
            self._request(lambda: activities.cancel_activity(activity))

    @rule(which=picks, needed=st.integers(1, 3))
    def change_places(self, which, needed):
        activity = _pick(self._rows(Activity), which)
        if activity is not None:
            data = self._activity_input(
                needed, activity.date, activity.meeting_id, activity.has_waitlist
            )
            self._request(
                lambda: activities.save_activity(
                    self.network.id, data, self.coordinator.id, activity
                )
            )

    # --- accounts -------------------------------------------------------------------------------

    @rule(who=picks)
    def disable_account(self, who):
        user = _pick(self.facilitators, who)
        self._request(lambda: accounts.set_enabled(user, False, self.admin.id))

    @rule(who=picks)
    def remove_role(self, who):
        user = _pick(self.facilitators, who)
        membership = db.session.execute(
            select(Membership).where(
                Membership.user_id == user.id, Membership.network_id == self.network.id
            )
        ).scalar_one_or_none()
        if membership is not None:
            self._request(lambda: accounts.remove_role(membership))

    # --- invariants (tests/invariants.py, shared with the double-submit test) ------------------

    @invariant()
    def invariants_hold(self):
        assert invariants.broken(db.session, self.network.id, TODAY) == {}


def test_a_month_of_use_stays_consistent(app):
    run_state_machine_as_test(
        MonthOfUse,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=12,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        ),
    )
