"""Issue 27: a form that creates something is saved once. Ten identical submissions of one page's
form sent at the same moment (a double click, the browser sending again) create one closure,
wish, invitation, evaluation form or option; the others are told it was already saved, never
a 500. The form's hidden one-time key is stored with a unique constraint, so the database
decides: runs on SQLite and, with NETVAERK_TEST_DATABASE_URL, on PostgreSQL."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from netvaerk import timeutil
from netvaerk.activities.models import Invitation, Wish
from netvaerk.evaluations.models import EvaluationForm
from netvaerk.extensions import db
from netvaerk.followup.models import Option
from netvaerk.meetings.models import Closure

from ..conftest import csrf_token_from, log_in
from ..factories import make_participant, make_user
from ..races import send_at_once

TIMES = 10
KEY_RE = re.compile(r'name="once_key" type="hidden" value="([^"]+)"')
ALREADY_SAVED = "allerede gemt"


def _in_days(days: int) -> str:
    return (timeutil.local_today() + timedelta(days=days)).isoformat()


# route: (the page with the form, where it posts, the form's fields, the model it adds to)
ROUTES = {
    "meetings.closures": (
        "/meetings/closures",
        "/meetings/closures",
        lambda: {"start_date": _in_days(20), "end_date": _in_days(25), "reason": "Sommer"},
        Closure,
    ),
    "activities.wishes": (
        "/activities/wishes",
        "/activities/wishes",
        lambda: {"text": "En tur i skoven", "type_id": ""},
        Wish,
    ),
    "activities.facilitator_list": (
        "/activities/facilitators",
        "/activities/facilitators",
        lambda: {"email": "lone@example.org", "name": "Lone Berg"},
        Invitation,
    ),
    "evaluations.new_form": (
        "/evaluations/new",
        "/evaluations/new",
        lambda: {"title_da": "Aktivitet", "title_en": "Activity", "purpose": "activity"},
        EvaluationForm,
    ),
    "followup.add_option": (
        "/followup/participants/{person}",
        "/followup/participants/{person}/options",
        lambda: {"text": "Kok"},
        Option,
    ),
}


def _count(model) -> int:
    with db.session.session_factory() as reader:
        return reader.execute(select(func.count()).select_from(model)).scalar_one()


@pytest.fixture
def coordinator_client(app, client, network):
    assert log_in(client, make_user("coordinator", network).email).status_code == 200
    return client


def _urls(route: str, network) -> tuple[str, str]:
    page, action, _fields, _model = ROUTES[route]
    if "{person}" in page:
        person = make_participant(network)
        db.session.commit()
        page, action = page.format(person=person.id), action.format(person=person.id)
    return page, action


def _form_of(client, page: str, fields: dict) -> dict:
    """The fields as the page's form sends them: its CSRF token and its one-time key."""
    html = client.get(page).get_data(as_text=True)
    key = KEY_RE.search(html)
    assert key, f"no one-time key on {page}"
    return {**fields, "csrf_token": csrf_token_from(html), "once_key": key.group(1)}


@pytest.mark.commits
@pytest.mark.parametrize("route", sorted(ROUTES))
def test_ten_identical_submissions_at_once_create_one_row(app, coordinator_client, network, route):
    page, action = _urls(route, network)
    model = ROUTES[route][3]
    data = _form_of(coordinator_client, page, ROUTES[route][2]())
    answers = send_at_once(app, coordinator_client, action, data, TIMES)
    assert all(answer.status < 500 for answer in answers), [a.status for a in answers]
    assert _count(model) == 1
    refused = [answer for answer in answers if ALREADY_SAVED in answer.text.lower()]
    redirected = [answer for answer in answers if answer.status in (302, 303)]
    if route == "followup.add_option":  # every answer returns to the resident's page
        assert len(redirected) == TIMES
    else:  # one is saved; the others show the form again with the message
        assert len(refused) == TIMES - 1, [(a.status, a.text[:200]) for a in answers]
    # the browser's "send again" later is refused too, and the message is shown
    again = coordinator_client.post(action, data=data, follow_redirects=True)
    assert again.status_code == 200
    assert ALREADY_SAVED in again.get_data(as_text=True).lower()
    assert _count(model) == 1


@pytest.mark.commits
def test_the_form_shown_again_after_a_mistake_keeps_working(app, coordinator_client, network):
    data = _form_of(coordinator_client, "/activities/wishes", {"text": " ", "type_id": ""})
    mistake = coordinator_client.post("/activities/wishes", data=data)
    assert mistake.status_code == 200 and _count(Wish) == 0
    kept = KEY_RE.search(mistake.get_data(as_text=True)).group(1)
    assert kept == data["once_key"]  # the page sent again keeps its key
    fixed = coordinator_client.post("/activities/wishes", data={**data, "text": "Madlavning"})
    assert fixed.status_code == 302 and _count(Wish) == 1


@pytest.mark.commits
def test_each_time_the_page_is_opened_a_new_row_can_be_added(app, coordinator_client, network):
    """The same wish, written down twice on purpose, is two wishes (two pages, two keys)."""
    for _ in range(2):
        data = _form_of(coordinator_client, "/activities/wishes", {"text": "Tur", "type_id": ""})
        assert coordinator_client.post("/activities/wishes", data=data).status_code == 302
    assert _count(Wish) == 2


def test_a_missing_or_odd_key_saves_without_the_protection(app, client, login_as, network):
    """A client that leaves out the key, or sends one this app never makes (an overlong one,
    odd characters), is saved as before; a NUL byte is refused like in any field: never a 500."""
    login_as("coordinator")
    for key, status in ((None, 302), ("x" * 500, 302), ("<script>", 302), ("a\x00b", 400)):
        data = _form_of(client, "/activities/wishes", {"text": "Tur", "type_id": ""})
        if key is None:
            del data["once_key"]
        else:
            data["once_key"] = key
        assert client.post("/activities/wishes", data=data).status_code == status
    assert db.session.scalar(select(func.count()).select_from(Wish)) == 3


@pytest.mark.commits
def test_a_change_refused_after_the_key_is_stored_can_be_corrected(
    app, coordinator_client, network
):
    """The service refuses the closure (a date outside the window) after the key is stored: the
    key is rolled back with the rest, so the corrected form, same key, is saved."""
    fields = {"start_date": "1900-01-01", "end_date": "1900-01-02", "reason": "Sommer"}
    data = _form_of(coordinator_client, "/meetings/closures", fields)
    refused = coordinator_client.post("/meetings/closures", data=data)
    assert refused.status_code == 200 and _count(Closure) == 0
    assert ALREADY_SAVED not in refused.get_data(as_text=True).lower()
    corrected = {**data, "start_date": _in_days(20), "end_date": _in_days(21)}
    assert coordinator_client.post("/meetings/closures", data=corrected).status_code == 302
    assert _count(Closure) == 1
