"""What journeys need but the pages cannot make, run in the live server's environment.

`journey.server.run_python(prepare.SCRIPT, "<command>", *args)` runs this file against the
server's database and returns the JSON it prints. The commands (each safe to run again):

* `kiosk-resident <variant>`: a meeting open now (the server runs on the real clock), an
  active resident of its own with a chore of its own at that meeting, and an activity today;
* `long-name`: a meeting open now and an active resident with an 80-character name;
* `attendance <meeting_id> <participant_id>`: the resident's attendance rows at the meeting;
* `open-activity <variant>`: an activity eight days ahead that still needs one facilitator;
* `leaver <variant>`: an active resident who has been in the network for two months;
* `followup <variant>`: an active resident, and one who left into a job 92 days ago (so the
  3-month status check is due), with their status checks scheduled;
* `tablet-sessions <participant_id>`: the resident's forms still waiting on the tablet;
* `mypage-resident <variant>`: the `kiosk-resident` set-up for a resident of its own with the
  kiosk code 1234, a commitment, a wheel of life with a goal, and a fresh personal link;
* `unclose-last-month`: last month's report taken away again, so a coordinator can close it
  (the journey closes it, which leaves the demo as it found it);
* `kiosk-pages <variant>`: what the kiosk's pages behind its buttons need (after
  `kiosk-resident`): a resident of its own with the four-digit code 2468 (the network asks for
  codes, so tapping the name opens the code step; residents without a code are not asked), and a
  form waiting on the tablet for the kiosk resident (the evaluation on the tablet);
* `kiosk-codes <0|1>`: the network's "ask for codes" set back as it was.
"""

import json
import sys
from datetime import date, time, timedelta
from pathlib import Path

DEMO_NETWORK = "Netværket – dit jobfællesskab"  # harness.DEMO_NETWORK (this runs on its own)


def first_name(variant: str) -> str:
    """A first name of its own per variant ("TabletDa"): the kiosk shows first names."""
    return "".join(part.title() for part in variant.split("-"))


def main(command: str, *args: str) -> dict:
    """Run one command inside the app; returns what the journey needs to know."""
    from sqlalchemy import select

    from netvaerk import create_app, timeutil
    from netvaerk.activities.models import Activity
    from netvaerk.core.models import Network
    from netvaerk.extensions import db
    from netvaerk.meetings.models import Attendance
    from netvaerk.participants.models import Participant, ParticipationPeriod

    with create_app().app_context():
        network = db.session.execute(select(Network).filter_by(name=DEMO_NETWORK)).scalar_one()
        today = timeutil.local_today()

        def resident(first: str, last: str, start: date) -> Participant:
            found = db.session.execute(
                select(Participant).filter_by(
                    network_id=network.id, first_name=first, last_name=last
                )
            ).scalar_one_or_none()
            if found is None:
                found = Participant(
                    network_id=network.id,
                    first_name=first,
                    last_name=last,
                    status="active",
                    readiness_group=1,
                    birth_year=1980,
                    housing_area_id=network.housing_areas[0].id,
                    consent_date=start,
                )
                found.periods.append(ParticipationPeriod(network_id=network.id, start_date=start))
                db.session.add(found)
                db.session.flush()
            return found

        if command == "kiosk-resident":
            from netvaerk.meetings.demo import _ensure_open_meeting
            from netvaerk.rota.models import Chore, ChoreAssignment

            (variant,) = args
            meeting = _ensure_open_meeting(network, timeutil.local_now())
            person = resident(first_name(variant), "Kiosk", today - timedelta(days=30))
            chore_name = f"Vande planter ({variant})"
            chore = db.session.execute(
                select(Chore).filter_by(network_id=network.id, name=chore_name)
            ).scalar_one_or_none()
            if chore is None:
                chore = Chore(network_id=network.id, name=chore_name, is_active=False)
                db.session.add(chore)
                db.session.flush()
            if not db.session.execute(
                select(ChoreAssignment).filter_by(meeting_id=meeting.id, chore_id=chore.id)
            ).first():
                db.session.add(
                    ChoreAssignment(
                        network_id=network.id,
                        meeting_id=meeting.id,
                        chore_id=chore.id,
                        participant_id=person.id,
                        is_manual=True,
                    )
                )
            title = "Kaffe og jobsnak i pavillonen"
            if not db.session.execute(
                select(Activity).filter_by(network_id=network.id, date=today, title=title)
            ).first():
                db.session.add(
                    Activity(
                        network_id=network.id,
                        date=today,
                        start_time=time(0, 5),
                        end_time=time(23, 55),
                        title=title,
                        description="",
                        place="Pavillonen",
                        facilitators_needed=1,
                    )
                )
            db.session.commit()
            return {
                "participant_id": person.id,
                "name": person.first_name,
                "display_name": person.display_name,
                "meeting_id": meeting.id,
                "chore": chore_name,
                "activity": title,
            }
        if command == "long-name":
            from netvaerk.meetings.demo import _ensure_open_meeting

            # 80 characters: names must wrap in headings and on the kiosk's buttons.
            first = "Marie-Louise Alexandra Christina Josefine"
            last = "Wilhelmsen-Frederiksen-Oehlenschlægers"
            _ensure_open_meeting(network, timeutil.local_now())
            person = resident(first, last, today - timedelta(days=30))
            db.session.commit()
            return {"participant_id": person.id, "name": person.full_name}
        if command == "attendance":
            meeting_id, participant_id = map(int, args)
            rows = db.session.execute(
                select(Attendance).filter_by(meeting_id=meeting_id, participant_id=participant_id)
            ).scalars()
            return {"statuses": [row.status for row in rows]}
        if command == "open-activity":
            (variant,) = args
            title = f"Cykelværksted ({variant})"
            day = today + timedelta(days=8)
            activity = db.session.execute(
                select(Activity).filter_by(network_id=network.id, title=title)
            ).scalar_one_or_none()
            if activity is None:
                activity = Activity(
                    network_id=network.id,
                    date=day,
                    start_time=time(13, 0),
                    end_time=time(15, 0),
                    title=title,
                    description="",
                    place="Gården",
                    facilitators_needed=1,
                )
                db.session.add(activity)
                db.session.commit()
            return {"activity_id": activity.id, "title": title}
        if command == "leaver":
            (variant,) = args
            person = resident(first_name(variant), "Afsked", today - timedelta(days=60))
            db.session.commit()
            return {
                "participant_id": person.id,
                "name": person.first_name,
                "display_name": person.display_name,
            }
        if command == "followup":
            from netvaerk.participants import services as participants

            (variant,) = args
            person = resident(first_name(variant), "Samtale", today - timedelta(days=30))
            leaver = resident(first_name(variant), "Job", today - timedelta(days=300))
            if leaver.status == "active":
                participants.leave(leaver, today - timedelta(days=92), "ordinary_job", None, today)
            db.session.commit()
            return {
                "participant_id": person.id,
                "leaver_id": leaver.id,
                "leaver_name": leaver.full_name,
            }
        if command == "tablet-sessions":
            from netvaerk.evaluations.delivery import tablet_session_is_fresh
            from netvaerk.evaluations.models import TabletSession
            from netvaerk.timeutil import utcnow

            (participant_id,) = map(int, args)
            sessions = db.session.execute(
                select(TabletSession).filter_by(participant_id=participant_id)
            ).scalars()
            return {"waiting": sum(1 for s in sessions if tablet_session_is_fresh(s, utcnow()))}
        if command == "resident-names":
            from netvaerk.participants.models import Participant

            people = db.session.execute(select(Participant)).scalars()
            return {"names": sorted({n for p in people for n in (p.first_name, p.last_name)})}
        if command == "mypage-resident":
            from netvaerk.followup.models import Commitment
            from netvaerk.meetings.demo import _ensure_open_meeting
            from netvaerk.mypage import links
            from netvaerk.participants.services import set_code
            from netvaerk.rota.models import Chore, ChoreAssignment
            from netvaerk.wheel import services as wheel
            from netvaerk.wheel.areas import active_areas

            (variant,) = args
            meeting = _ensure_open_meeting(network, timeutil.local_now())
            person = resident(first_name(variant), "Minside", today - timedelta(days=30))
            set_code(person, "1234", None)
            chore_name = f"Dække bord ({variant})"
            chore = db.session.execute(
                select(Chore).filter_by(network_id=network.id, name=chore_name)
            ).scalar_one_or_none()
            if chore is None:
                chore = Chore(network_id=network.id, name=chore_name, is_active=False)
                db.session.add(chore)
                db.session.flush()
                db.session.add(
                    ChoreAssignment(
                        network_id=network.id,
                        meeting_id=meeting.id,
                        chore_id=chore.id,
                        participant_id=person.id,
                        is_manual=True,
                    )
                )
                db.session.add(
                    Commitment(
                        network_id=network.id,
                        participant_id=person.id,
                        text="Søge tre job",
                        due_on=today + timedelta(days=7),
                    )
                )
                wheel.record_scoring(
                    person,
                    today - timedelta(days=20),
                    {area.id: 5 for area in active_areas(network.id)},
                    today=today,
                    goal="Et fast job",
                    consent_now=True,
                )
            token = links.make_link(person, None, timeutil.utcnow())
            db.session.commit()
            return {
                "participant_id": person.id,
                "name": person.first_name,
                "display_name": person.display_name,
                "chore": chore_name,
                "link": f"/my/{token}",
            }
        if command == "unclose-last-month":
            from netvaerk.stats import services as stats
            from netvaerk.stats.models import MonthlyReport

            year, month = stats.add_months(today.year, today.month, -1)
            for report in db.session.execute(
                select(MonthlyReport).filter_by(network_id=network.id, year=year, month=month)
            ).scalars():
                db.session.delete(report)
            db.session.commit()
            return {"year": year, "month": month}
        if command == "kiosk-pages":
            from netvaerk.evaluations.models import EvaluationForm, TabletSession
            from netvaerk.participants import services as participants

            (variant,) = args
            before = network.checkin_code_required
            network.checkin_code_required = True
            coded = resident(first_name(variant) + "Kode", "Kiosk", today - timedelta(days=30))
            participants.set_code(coded, "2468", None)
            kiosk = resident(first_name(variant), "Kiosk", today - timedelta(days=30))
            form = next(
                f
                for f in db.session.execute(
                    select(EvaluationForm)
                    .filter_by(network_id=network.id, is_active=True)
                    .order_by(EvaluationForm.id)
                ).scalars()
                if f.current_version is not None
            )
            waiting = db.session.execute(
                select(TabletSession).filter_by(form_id=form.id, participant_id=kiosk.id)
            ).scalar_one_or_none()
            if waiting is None:
                waiting = TabletSession(
                    network_id=network.id, form_id=form.id, participant_id=kiosk.id
                )
                db.session.add(waiting)
            waiting.created_at = timeutil.utcnow()
            db.session.commit()
            return {
                "codes_before": before,
                "coded_name": coded.display_name,
                "code": "2468",
                "tablet_session_id": waiting.id,
            }
        if command == "kiosk-codes":
            (on,) = args
            network.checkin_code_required = on == "1"
            db.session.commit()
            return {"codes": network.checkin_code_required}
        raise SystemExit(f"unknown command {command}")


# Imported by the journeys: its own text, run by `python -c` (where there is no __file__).
SCRIPT = Path(__file__).read_text(encoding="utf-8") if "__file__" in globals() else ""

if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:])))


def run(journey, command: str, *args: str) -> dict:
    """Run `command` of this file against the journey's server; returns its JSON answer."""
    return json.loads(journey.server.run_python(SCRIPT, command, *args).strip().splitlines()[-1])
