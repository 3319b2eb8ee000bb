"""Odd input an attacker sends answers 4xx or is ignored, never a 500 (issue #21, part 5)."""

import pytest

from netvaerk.core.security import MAX_NEXT_LENGTH, safe_next

from ..conftest import csrf_token_from
from ..factories import make_user


@pytest.mark.parametrize(
    "target",
    ["/x\n", "/x\r\nSet-Cookie: a=b", "/x\t", "/x\x7f", "/x\x85", "/" + "a" * MAX_NEXT_LENGTH],
)
def test_safe_next_refuses_control_characters_and_overlong_values(target):
    assert safe_next(target) is None


@pytest.mark.parametrize("target", ["/", "/participants/3?tab=notes", "/søg?q=æøå"])
def test_safe_next_keeps_own_paths(target):
    assert safe_next(target) == target


def test_language_switch_with_a_newline_in_next_goes_home(client):
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post("/language", data={"lang": "en", "next": "/x\n", "csrf_token": token})
    assert response.status_code == 302
    assert "\n" not in response.headers["Location"]


def test_language_switch_does_not_copy_a_huge_next(client):
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    huge = "/" + "a" * (2 * 1024 * 1024 - 4096)
    response = client.post("/language", data={"lang": "en", "next": huge, "csrf_token": token})
    assert response.status_code == 302
    assert len(response.headers["Location"]) < 100


def test_login_with_a_newline_in_next_lands_at_home(client, network):
    user = make_user("coordinator", network)
    page = client.get("/login?next=/x%0a")
    assert page.status_code == 200
    token = csrf_token_from(page.get_data(as_text=True))
    response = client.post(
        "/login",
        data={"email": user.email, "password": "a-long-test-password", "next": "/x\n"}
        | {"csrf_token": token},
    )
    assert response.status_code == 302
    assert response.headers["Location"] in ("/", "http://localhost/")


HUGE = "99999999999999999999"  # beyond any database integer (SQLite and PostgreSQL)


def test_huge_network_filter_on_the_site_audit_is_ignored(client, login_as):
    login_as("admin")
    response = client.get(f"/admin/audit?network={HUGE}")
    assert response.status_code == 200
    assert client.get("/admin/audit?network=2147483648&page=99999999999").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        f"/admin/users/{HUGE}",
        "/admin/users/2147483648",
        f"/admin/users/1/roles/{HUGE}/remove",
        f"/participants/{HUGE}",
        f"/privacy/participants/{HUGE}/export.json",
        f"/stats/{HUGE}/3",
        f"/stats/2026/{HUGE}/export.csv",
    ],
)
def test_huge_ids_in_the_path_answer_404(client, login_as, url):
    login_as("admin" if url.startswith("/admin") else "coordinator")
    assert client.get(url).status_code in (400, 404)
