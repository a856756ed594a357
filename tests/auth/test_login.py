"""Logging in and out, remember me, safe redirects, no account enumeration."""

from __future__ import annotations

import re

import pytest

from tests import factories

_TOKEN = re.compile(r'name="csrf_token" (type="hidden" )?value="[^"]+"')


def _same_page(a: str, b: str) -> str:
    return _TOKEN.sub("", a) == _TOKEN.sub("", b)


def test_login_with_right_password_signs_in(client, member):
    response = client.post(
        "/login", data={"email": "MEMBER@example.ba", "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    assert "Amra Member" in client.get("/").get_data(as_text=True)


def test_wrong_password_and_unknown_address_look_the_same(client, member):
    client.set_cookie("lang", "en")
    wrong = client.post(
        "/login", data={"email": "member@example.ba", "password": "not the password"}
    )
    unknown = client.post(
        "/login", data={"email": "nobody@example.ba", "password": "not the password"}
    )
    assert wrong.status_code == unknown.status_code == 400
    wrong_page = wrong.get_data(as_text=True).replace("member@example.ba", "X")
    unknown_page = unknown.get_data(as_text=True).replace("nobody@example.ba", "X")
    assert _same_page(wrong_page, unknown_page)
    assert "The e-mail address or password is not right." in wrong_page


def test_remember_me_sets_a_lasting_cookie(client, login, member):
    login(member, remember=True)
    cookie = client.get_cookie("remember_token")
    assert cookie is not None
    assert cookie.http_only
    assert cookie.expires is not None


def test_without_remember_me_there_is_no_lasting_cookie(client, login, member):
    login(member)
    assert client.get_cookie("remember_token") is None


def test_logout_is_post_only(client, login, member):
    login(member)
    assert client.get("/logout").status_code == 405
    assert "Amra Member" in client.get("/").get_data(as_text=True)
    response = client.post("/logout")
    assert response.status_code == 302
    assert "Amra Member" not in client.get("/").get_data(as_text=True)


def test_logout_without_csrf_token_is_refused(client, login, member):
    login(member)
    assert client.post("/logout", csrf=False).status_code == 400
    assert "Amra Member" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    "target",
    [
        "//evil.com",
        "//evil.com/c/regulation",
        "https://evil.com",
        "http://evil.com/",
        "/\\evil.com",
        "\\\\evil.com",
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "/\t/evil.com",
        "https:evil.com",
        "",
    ],
)
def test_next_never_leaves_the_site(client, member, target):
    response = client.post(
        "/login",
        data={"email": "member@example.ba", "password": factories.PASSWORD, "next": target},
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location in ("/", "http://localhost/"), location


def test_next_to_a_page_of_this_site_is_followed(client, member):
    response = client.post(
        "/login?next=/c/regulation",
        data={"email": "member@example.ba", "password": factories.PASSWORD},
    )
    assert response.headers["Location"].endswith("/c/regulation")


def test_login_page_keeps_next_through_a_failed_attempt(client, member):
    response = client.post(
        "/login?next=/c/planning", data={"email": "member@example.ba", "password": "wrong one!!"}
    )
    assert response.status_code == 400
    assert 'name="next" value="/c/planning"' in response.get_data(as_text=True)
