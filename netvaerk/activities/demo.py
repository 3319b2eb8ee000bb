"""Demo programme: activity types, volunteer facilitators and activities around the meetings."""

from datetime import date, time, timedelta
from decimal import Decimal

from ..auth.services import create_user
from ..core.demo import DEMO_PASSWORD, EXTRA_DEMO_EMAILS
from ..core.models import Membership, Network, User
from ..extensions import db
from ..meetings.models import Meeting
from ..timeutil import utcnow
from .models import Activity, ActivityType, SignUp, Wish

DEMO_VOLUNTEERS = (
    ("lone.frivillig@example.org", "Lone Berg"),
    ("mehmet.jobcenter@example.org", "Mehmet Yilmaz"),
    ("karen.virksomhed@example.org", "Karen Dahl"),
)
EXTRA_DEMO_EMAILS.update(email for email, _ in DEMO_VOLUNTEERS)

# (type key, title, place, facilitators needed, hours)
PLAN = (
    ("morning_exercise", "Morgengymnastik i gården", "Gården ved pavillonen", 1),
    ("cv", "CV-værksted", "Pavillonen", 2),
    ("danish", "Dansk – samtaletræning", "Pavillonen, lille rum", 1),
    ("interview_training", "Træn jobsamtalen", "Pavillonen", 2),
    ("walk_and_talk", "Walk and talk rundt om søen", "Mødested: pavillonen", 1),
    ("talk_job_centre", "Oplæg: Sådan bruger du Jobnet", "Pavillonen", 1),
    ("linkedin", "Opdatér din LinkedIn-profil", "Pavillonen, computerne", 2),
    ("applications", "Skriv ansøgningen færdig", "Pavillonen", 2),
    ("portrait_photo", "Portrætfoto til ansøgningen", "Pavillonen", 1),
    ("talk_business_owner", "Oplæg fra den lokale cykelhandler", "Pavillonen", 1),
)


def _volunteers(network: Network) -> list[User]:
    people = []
    for email, name in DEMO_VOLUNTEERS:
        user = db.session.execute(db.select(User).where(User.email == email)).scalar_one_or_none()
        if user is None:
            user = create_user(email, DEMO_PASSWORD, name=name)
        if not any(m.network_id == network.id for m in user.memberships):
            db.session.add(Membership(user_id=user.id, network_id=network.id, role="facilitator"))
        people.append(user)
    facilitator = db.session.execute(
        db.select(User).where(User.email == "facilitator@example.org")
    ).scalar_one_or_none()
    if facilitator is not None:
        people.insert(0, facilitator)
    db.session.flush()
    return people


def _first_of_previous_month(today: date) -> date:
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def _slots(network: Network, today: date) -> list[tuple[date, time, time, int | None]]:
    """Meeting days from the start of last month (so the monthly statistics have a whole
    month of activities) to four weeks ahead, or weekdays if no meetings exist."""
    since = _first_of_previous_month(today)
    meetings = db.session.scalars(
        db.select(Meeting)
        .where(
            Meeting.network_id == network.id,
            Meeting.date.between(since, today + timedelta(days=28)),
            Meeting.is_cancelled.is_(False),
        )
        .order_by(Meeting.date)
    ).all()
    if meetings:
        return [(m.date, m.start_time, m.end_time, m.id) for m in meetings]
    days = [since + timedelta(days=n) for n in range((today - since).days + 29)]
    return [
        (d, network.meeting_start, network.meeting_end, None)
        for d in days
        if d.weekday() in network.weekdays
    ]


def demo_activities(network: Network, today: date) -> None:
    """A programme with filled and open places, past activities with hours, and wishes."""
    people = _volunteers(network)
    if db.session.execute(
        db.select(Activity.id).where(Activity.network_id == network.id).limit(1)
    ).first():
        return
    types = {
        t.key: t
        for t in db.session.execute(
            db.select(ActivityType).where(ActivityType.network_id == network.id)
        ).scalars()
    }
    for index, (day, start, end, meeting_id) in enumerate(_slots(network, today)):
        key, title, place, needed = PLAN[index % len(PLAN)]
        first_end = min(end, (time(start.hour + 1, start.minute)))
        activity = Activity(
            network_id=network.id,
            type_id=types[key].id,
            meeting_id=meeting_id,
            date=day,
            start_time=start,
            end_time=first_end,
            title=title,
            place=place,
            description="",
            facilitators_needed=needed,
            has_waitlist=index % 3 == 0,
        )
        db.session.add(activity)
        db.session.flush()
        past = day < today
        # Past ones are staffed and confirmed (now and then one place stayed empty); coming
        # ones are partly open.
        taken = (needed - (index % 7 == 1 and needed > 1)) if past else (index % (needed + 1))
        for seat in range(1, taken + 1):
            person = people[(index + seat) % len(people)]
            db.session.add(
                SignUp(
                    network_id=network.id,
                    activity_id=activity.id,
                    user_id=person.id,
                    seat=seat,
                    hours=Decimal("1.5") if past else None,
                    hours_confirmed_at=utcnow() if past else None,
                )
            )
        if past:
            activity.was_held = True
    visit_day = today + timedelta(days=10)
    while visit_day.weekday() != 1:  # a Tuesday, outside the meetings
        visit_day += timedelta(days=1)
    db.session.add(
        Activity(
            network_id=network.id,
            type_id=types["company_visit"].id,
            date=visit_day,
            start_time=time(10, 0),
            end_time=time(12, 30),
            title="Virksomhedsbesøg hos Albertslund Forsyning",
            place="Mødested: Albertslund Station",
            description="Vi hører om jobbene i forsyningen og mulighederne for praktik.",
            facilitators_needed=2,
            has_waitlist=True,
        )
    )
    for text, key in (
        ("Oplæg om at starte egen virksomhed", "talk_business_owner"),
        ("Mere hjælp til at skrive ansøgninger på engelsk", "applications"),
        ("Besøg på et lager eller et byggeri", "company_visit"),
    ):
        db.session.add(Wish(network_id=network.id, text=text, type_id=types[key].id))
