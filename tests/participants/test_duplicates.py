"""A warning before registering a resident whose name and birth year match an existing one."""

from netvaerk.extensions import db
from netvaerk.participants.models import Participant

from .test_participants import _register, coordinator  # noqa: F401  (the fixture)


def _count():
    db.session.expire_all()
    return len(db.session.execute(db.select(Participant)).scalars().all())


def test_sending_the_form_again_warns_and_saves_nothing(client, network, coordinator):  # noqa: F811
    assert _register(client, network).status_code == 302
    # "Back" and send again: same name (other case and spaces) and birth year.
    again = _register(client, network, first_name=" amina ", last_name="HASSAN")
    assert again.status_code == 200
    html = again.get_data(as_text=True)
    assert "En deltager med dette navn og fødselsår er allerede registreret" in html
    assert 'name="confirm_duplicate" value="1"' in html and "Registrér alligevel" in html
    assert _count() == 1


def test_register_anyway_after_the_warning(client, network, coordinator):  # noqa: F811
    _register(client, network)
    assert _register(client, network, confirm_duplicate="1").status_code == 302
    assert _count() == 2


def test_another_birth_year_is_someone_else(client, network, coordinator):  # noqa: F811
    _register(client, network)
    assert _register(client, network, birth_year="1990").status_code == 302
    assert _count() == 2


def test_ending_the_course_is_its_own_step_with_a_confirmation_page(
    client,
    network,
    coordinator,  # noqa: F811
):
    from ..factories import make_participant

    person = make_participant(network, "Tariq", "Mansour")
    page = client.get(f"/participants/{person.id}").get_data(as_text=True)
    assert f'action="/participants/{person.id}/leave"' not in page  # no form on the page
    assert f'href="/participants/{person.id}/leave"' in page and "Afslut forløbet …" in page
    confirm = client.get(f"/participants/{person.id}/leave")
    assert confirm.status_code == 200
    html = confirm.get_data(as_text=True)
    assert "Afslut forløbet for Tariq Mansour" in html
    assert 'name="end_on"' in html and 'value="2026' not in html  # no date filled in for you
    db.session.expire_all()
    assert person.status == "active"  # looking changes nothing
