"""The rules of the resident's page: what it counts and shows, and the personal link."""

from datetime import date, datetime, timedelta

from netvaerk import timeutil
from netvaerk.activities.models import Wish
from netvaerk.extensions import db
from netvaerk.mypage import links, services
from netvaerk.mypage.models import ResidentLink
from netvaerk.participants.services import leave
from netvaerk.wheel.services import withdraw_consent

from ..factories import make_participant
from .conftest import NOW


def test_month_starts_go_back_over_the_new_year():
    assert services.month_starts(date(2026, 2, 17)) == [
        date(2026, 2, 1),
        date(2026, 1, 1),
        date(2025, 12, 1),
        date(2025, 11, 1),
    ]


def test_attendance_counts_the_meetings_held_and_the_residents_own(residents):
    months = services.attendance_by_month(residents["amina"], NOW)
    assert [m.first_day for m in months] == services.month_starts(NOW.date())
    total_held = sum(m.held for m in months)
    # Four meetings held before today (today's is not over yet); Amina came to three.
    assert total_held == 4
    assert sum(m.present for m in months) == 3
    lone = services.attendance_by_month(residents["lone"], NOW)
    assert sum(m.present for m in lone) == 1


def test_a_month_with_every_meeting_attended_keeps_the_deal():
    assert services.MonthAttendance(date(2026, 1, 1), 12, 12).kept
    assert not services.MonthAttendance(date(2026, 1, 1), 12, 11).kept
    assert not services.MonthAttendance(date(2026, 1, 1), 0, 0).kept
    assert services.MonthAttendance(date(2026, 1, 1), 0, 0).share == 0


def test_tasks_today_and_the_coming_week_are_the_residents_own(residents):
    today, week = services.tasks(residents["amina"], NOW.date())
    assert [t.name for t in today] == ["Kaffe"]
    assert [t.name for t in week] == ["Opvask"]
    today, week = services.tasks(residents["lone"], NOW.date())
    assert [t.name for t in today] == ["LONESOPGAVE"] and week == []


def test_coming_activities_show_no_names(residents):
    coming = services.coming_activities(residents["network"].id, NOW)
    assert [a.title for a in coming] == ["Jobcafé"]
    assert set(vars(coming[0])) == {"day", "start_time", "end_time", "title", "place"}


def test_a_released_wish_is_stored_like_a_typed_in_one_without_a_person(residents):
    """Released from the pool (test_wish_pool): as a typed-in wish, by nobody, on a day."""
    third = make_participant(residents["network"], "Hassan", "Ali", start=NOW.date())
    services.send_wish(residents["amina"], "  En tur i skoven ", NOW.date())
    services.send_wish(residents["lone"], "Yoga", NOW.date())
    assert services.send_wish(third, "Svømning", NOW.date()) == 3
    db.session.commit()
    stored = db.session.scalars(db.select(Wish).where(Wish.text.like("En tur%"))).one()
    assert stored.text == "En tur i skoven"
    assert stored.recorded_by_id is None and stored.type_id is None
    assert stored.status == "open"
    # Only the day: the time cannot be matched with a visit in the access log.
    assert stored.created_at == datetime(2026, 3, 4)


def test_commitments_are_the_residents_own(residents):
    texts = [c.text for c in services.commitments(residents["amina"])]
    assert texts == ["Ring til jobcentret"]


def test_the_wheel_needs_the_consent(residents):
    amina = residents["amina"]
    shown = services.wheel_view(amina, "da")
    assert shown["goal"] == "Et job i en butik"
    assert shown["dates"] == [NOW.date() - timedelta(days=30)]
    assert shown["rows"] and all(row.first == 4 for row in shown["rows"])
    withdraw_consent(amina)
    db.session.commit()
    assert services.wheel_view(amina, "da") is None


def test_a_link_is_long_random_and_stored_only_hashed(residents):
    amina = residents["amina"]
    now = timeutil.utcnow()
    token = links.make_link(amina, None, now)
    db.session.commit()
    assert len(token) >= 43
    row = db.session.execute(db.select(ResidentLink)).scalar_one()
    assert row.token_hash == links.token_hash(token) and token not in row.token_hash
    assert links.open_link(token, now).participant.id == amina.id


def test_renewing_stops_the_old_link(residents):
    amina, now = residents["amina"], timeutil.utcnow()
    old = links.make_link(amina, None, now)
    new = links.make_link(amina, None, now)
    db.session.commit()
    assert old != new
    assert links.open_link(old, now) is None
    assert links.open_link(new, now).participant.id == amina.id
    assert db.session.scalar(db.select(db.func.count(ResidentLink.id))) == 1


def test_forged_expired_revoked_and_left_links_all_open_nothing(residents):
    amina, lone, now = residents["amina"], residents["lone"], timeutil.utcnow()
    token = links.make_link(amina, None, now)
    assert links.open_link("x" * 43, now) is None
    assert links.open_link("", now) is None
    assert links.open_link("y" * 5000, now) is None
    assert links.open_link(token, now + timedelta(days=links.LINK_DAYS + 1)) is None
    links.revoke_link(amina, None)
    assert links.open_link(token, now) is None
    other = links.make_link(lone, None, now)
    leave(lone, NOW.date(), "stopped", None, NOW.date())
    db.session.commit()
    assert links.open_link(other, now) is None
    assert db.session.scalar(db.select(db.func.count(ResidentLink.id))) == 0


def test_the_link_is_exported_without_its_token_and_erased(residents):
    amina, now = residents["amina"], timeutil.utcnow()
    token = links.make_link(amina, None, now)
    exported = links.export_link(amina)
    assert token not in str(exported) and links.token_hash(token) not in str(exported)
    assert exported["personal_link"]["made_on"] == now.date().isoformat()
    links.erase_link(amina)
    assert links.export_link(amina) == {"personal_link": None}


def test_a_kiosk_grant_opens_only_the_resident_just_checked_in_for_a_short_while(residents):
    amina, lone = residents["amina"], residents["lone"]
    network_id = residents["network"].id
    grant = links.make_grant(amina, 1000.0)
    assert links.granted_id(grant, network_id, amina.id, 1000.0) == amina.id
    assert links.granted_id(grant, network_id, amina.id, 1000.0 + links.GRANT_SECONDS) == amina.id
    assert links.granted_id(grant, network_id, amina.id, 1001.0 + links.GRANT_SECONDS) is None
    assert links.granted_id(grant, network_id, lone.id, 1000.0) is None  # Lone tapped since
    assert links.granted_id(grant, network_id + 1, amina.id, 1000.0) is None
    assert links.granted_id({"participant": "1", "at": 1000.0}, network_id, 1, 1000.0) is None
    assert links.granted_id(None, network_id, amina.id, 1000.0) is None
