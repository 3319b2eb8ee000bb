"""The audit trail records logins, password and role changes; the admin's account pages."""

from netvaerk.audit.models import AuditEvent
from netvaerk.audit.services import record
from netvaerk.core.models import Membership
from netvaerk.extensions import db

from ..conftest import PASSWORD, csrf_token_from, log_in
from ..factories import make_network, make_user
from .harness import ROUTES, XSS


def _events(action=None):
    db.session.expire_all()
    query = db.select(AuditEvent).order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action)
    return db.session.execute(query).scalars().all()


def _post_from(client, page_url, url, data):
    token = csrf_token_from(client.get(page_url).get_data(as_text=True))
    return client.post(url, data={**data, "csrf_token": token})


def test_logins_and_failures_are_recorded_without_the_typed_address(client, network):
    user = make_user("coordinator", network)
    log_in(client, user.email, "wrong-password-1")
    log_in(client, "stranger@example.org", "wrong-password-1")
    log_in(client, user.email)
    failures = _events("login.failure")
    assert [(e.subject_id, e.detail) for e in failures] == [
        (user.id, None),
        (None, "unknown account"),
    ]
    success = _events("login.success")[0]
    assert success.user_id == user.id and success.ip_address == "127.0.0.1"
    everything = " ".join(f"{e.detail} {e.subject_type}" for e in _events())
    assert "stranger" not in everything and "wrong-password" not in everything


def test_password_change_and_logout_are_recorded(client, network):
    user = make_user("coordinator", network)
    log_in(client, user.email)
    _post_from(
        client,
        "/password",
        "/password",
        {
            "current_password": PASSWORD,
            "new_password": "en-helt-ny-passfrase",
            "confirm": "en-helt-ny-passfrase",
        },
    )
    _post_from(client, "/", "/logout", {})
    assert [e.action for e in _events()][-2:] == ["password.change", "logout"]


def _admin(app):
    admin = make_user("admin")
    client = app.test_client()
    log_in(client, admin.email)
    return admin, client


def test_admin_gives_changes_and_removes_a_role(app, network):
    admin, client = _admin(app)
    user = make_user("facilitator", None)
    page = f"/admin/users/{user.id}"
    response = _post_from(
        client, page, f"{page}/role", {"network_id": network.id, "role": "facilitator"}
    )
    assert response.status_code == 302
    assert "Rollen er givet." in client.get(page).get_data(as_text=True)
    _post_from(client, page, f"{page}/role", {"network_id": network.id, "role": "coordinator"})
    membership = db.session.execute(
        db.select(Membership).where(Membership.user_id == user.id)
    ).scalar_one()
    assert membership.role == "coordinator"

    confirm_url = f"{page}/roles/{membership.id}/remove"
    confirm = client.get(confirm_url)
    assert confirm.status_code == 200 and "Ja, fjern rollen" in confirm.get_data(as_text=True)
    assert db.session.get(Membership, membership.id) is not None  # asking removes nothing
    assert _post_from(client, confirm_url, confirm_url, {}).status_code == 302
    assert not db.session.execute(
        db.select(Membership.id).where(Membership.user_id == user.id)
    ).first()

    events = [
        (e.action, e.user_id, e.network_id, e.subject_id, e.detail)
        for e in _events()
        if e.action.startswith("role.")
    ]
    assert events == [
        ("role.grant", admin.id, network.id, user.id, "role=facilitator"),
        ("role.change", admin.id, network.id, user.id, "from=facilitator to=coordinator"),
        ("role.remove", admin.id, network.id, user.id, "role=coordinator"),
    ]


def test_invalid_role_changes_nothing(app, network):
    _, client = _admin(app)
    user = make_user("steering", network)
    page = f"/admin/users/{user.id}"
    response = _post_from(client, page, f"{page}/role", {"network_id": network.id, "role": "god"})
    assert response.status_code == 200
    assert "Ret venligst de markerede felter" in response.get_data(as_text=True)
    response = _post_from(client, page, f"{page}/role", {"network_id": 999999, "role": "kiosk"})
    assert response.status_code == 200
    db.session.expire_all()
    assert [m.role for m in db.session.execute(db.select(Membership)).scalars()] == ["steering"]
    assert not _events("role.change")


def test_removing_a_role_of_another_user_is_not_found(app, network):
    _, client = _admin(app)
    user = make_user("steering", network)
    other = make_user("steering", network)
    membership = db.session.execute(
        db.select(Membership).where(Membership.user_id == other.id)
    ).scalar_one()
    assert client.get(f"/admin/users/{user.id}/roles/{membership.id}/remove").status_code == 404


def test_admin_disables_and_enables_an_account_but_not_its_own(app, network):
    admin, client = _admin(app)
    user = make_user("coordinator", network)
    page = f"/admin/users/{user.id}"
    _post_from(client, page, f"{page}/enabled", {"enabled": "0"})
    assert log_in(app.test_client(), user.email).request.path == "/login"
    _post_from(client, page, f"{page}/enabled", {"enabled": "1"})
    assert log_in(app.test_client(), user.email).request.path == "/"
    own = f"/admin/users/{admin.id}"
    response = _post_from(client, own, f"{own}/enabled", {"enabled": "0"})
    assert "Du kan ikke spærre din egen konto." in client.get(response.location).get_data(
        as_text=True
    )
    db.session.expire_all()
    assert db.session.get(type(admin), admin.id).is_enabled
    assert [e.action for e in _events() if e.action.startswith("account.")] == [
        "account.disable",
        "account.enable",
    ]


def test_coordinators_see_their_own_networks_trail_only(app, client, network, login_as):
    other = make_network()
    coordinator = login_as("coordinator")
    with app.test_request_context():
        record(
            "participant.view",
            network_id=network.id,
            subject_type="participant",
            subject_id=41,
            user_id=coordinator.id,
        )
        record("participant.view", network_id=other.id, subject_type="participant", subject_id=42)
        record("login.failure", subject_type="user")
    db.session.commit()
    html = client.get("/audit").get_data(as_text=True)
    assert "Deltager #41" in html and "Så en deltagers side" in html
    assert "#42" not in html and "Mislykket login" not in html
    assert coordinator.name in html  # who looked is shown to the coordinator


def test_the_trail_is_paged_and_filtered(app, client, network, login_as):
    app.config["NETVAERK_AUDIT_PAGE_SIZE"] = 10
    login_as("coordinator")
    with app.test_request_context():
        for n in range(25):
            record(
                "participant.view", network_id=network.id, subject_type="participant", subject_id=n
            )
        record("role.grant", network_id=network.id, subject_type="user", subject_id=7)
    db.session.commit()
    first = client.get("/audit").get_data(as_text=True)
    assert "Side 1 af 3" in first and "26 hændelser" in first
    third = client.get("/audit?page=3").get_data(as_text=True)
    assert "Side 3 af 3" in third and "Deltager #0" in third
    assert "Side 3 af 3" in client.get("/audit?page=99").get_data(as_text=True)
    assert client.get("/audit?page=abc").status_code == 200
    only = client.get("/audit?action=role.grant").get_data(as_text=True)
    assert "1 hændelse" in only and "Konto #7" in only and "Deltager #" not in only


def test_the_admin_sees_the_whole_site(app, network):
    _, client = _admin(app)
    log_in(app.test_client(), "stranger@example.org", "wrong-password-1")
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "Mislykket login" in html and "Loggede ind" in html
    narrowed = client.get(f"/admin/audit?network={network.id}").get_data(as_text=True)
    assert "Mislykket login" not in narrowed


def test_nothing_in_the_app_edits_the_trail():
    assert not [
        route.endpoint
        for route in ROUTES
        if route.endpoint.startswith("netvaerk.audit.") and route.methods - {"GET"}
    ]


def test_stored_markup_is_shown_as_text_on_the_admin_pages(app, network):
    network.name = f"Netværk {XSS}"
    user = make_user("coordinator", network)
    user.name = XSS
    db.session.commit()
    _, client = _admin(app)
    membership = user.memberships[0]
    for url in (
        "/",
        "/admin/users",
        f"/admin/users/{user.id}",
        f"/admin/users/{user.id}/roles/{membership.id}/remove",
        "/admin/audit",
    ):
        html = client.get(url).get_data(as_text=True)
        assert XSS not in html, url
        assert "&lt;script&gt;" in html, url
