"""Two-step login end to end: set up from /settings/2fa with a code computed by pyotp,
log in with password then code, recovery codes once each, replay and rate limits, and
the requirement for admins and moderators."""

from __future__ import annotations

import html
import re

import pyotp
import pytest

from board.extensions import db
from board.models import RecoveryCode
from tests import factories

_SECRET = re.compile(r'id="totp-secret"[^>]*>([A-Z2-7]+)<')


@pytest.fixture(autouse=True)
def _english(client):
    client.set_cookie("lang", "en")


def enable_two_factor(client) -> tuple[str, list[str]]:
    """Turn two-step login on as a user would: read the key, type the app's code."""
    page = client.get("/settings/2fa").get_data(as_text=True)
    secret = _SECRET.search(page).group(1)
    assert "<svg" in page  # the QR code, inline
    response = client.post("/settings/2fa", data={"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", response.get_data(as_text=True))
    assert len(codes) == 10
    return secret, codes


def password_step(client, user, remember: bool = False):
    client.post("/logout")
    client.forget_csrf()
    data = {"email": user.email, "password": factories.PASSWORD}
    if remember:
        data["remember"] = "y"
    response = client.post("/login", data=data)
    client.forget_csrf()
    return response


def signed_in(client) -> bool:
    return "Amra Member" in client.get("/").get_data(as_text=True)


def _use_a_fresh_step(user, secret: str) -> str:
    """A code the server has not seen yet (the setup used the current one): the previous
    step's code is accepted once for clock drift, so the test rewinds the last step."""
    user.totp_last_step = 0
    db.session.commit()
    return pyotp.TOTP(secret).now()


def test_two_step_login_asks_for_the_code_after_the_password(client, login, member):
    login(member)
    secret, _codes = enable_two_factor(client)
    response = password_step(client, member)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login/code")
    assert not signed_in(client)
    form = client.get("/login/code").get_data(as_text=True)
    assert 'name="code"' in form
    response = client.post("/login/code", data={"code": _use_a_fresh_step(member, secret)})
    assert response.status_code == 302
    assert signed_in(client)


def test_a_wrong_code_is_refused_with_a_message_and_no_login(client, login, member):
    login(member)
    enable_two_factor(client)
    password_step(client, member)
    response = client.post("/login/code", data={"code": "000000"})
    assert response.status_code == 400
    assert "That code is not right" in html.unescape(response.get_data(as_text=True))
    assert not signed_in(client)


def test_a_code_works_only_once(client, login, member):
    login(member)
    secret, _codes = enable_two_factor(client)
    code = _use_a_fresh_step(member, secret)
    password_step(client, member)
    assert client.post("/login/code", data={"code": code}).status_code == 302
    password_step(client, member)
    assert client.post("/login/code", data={"code": code}).status_code == 400


def test_recovery_codes_work_once_each_and_are_stored_hashed(client, login, member):
    login(member)
    _secret, codes = enable_two_factor(client)
    stored = [c.code_hash for c in db.session.query(RecoveryCode).all()]
    assert len(stored) == 10
    assert not any(code.replace("-", "") in h for code in codes for h in stored)
    password_step(client, member)
    assert client.post("/login/code", data={"code": codes[0].upper()}).status_code == 302
    assert signed_in(client)
    password_step(client, member)
    assert client.post("/login/code", data={"code": codes[0]}).status_code == 400
    page = client.post("/login/code", data={"code": codes[1]})
    assert page.status_code == 302
    assert "8 unused recovery codes" in client.get("/settings/2fa").get_data(as_text=True)


def test_the_second_step_needs_the_password_first(client, member):
    response = client.post("/login/code", data={"code": "123456"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")


def test_setup_refuses_a_wrong_code_and_stays_off(client, login, member):
    login(member)
    page = client.get("/settings/2fa").get_data(as_text=True)
    assert _SECRET.search(page)
    response = client.post("/settings/2fa", data={"code": "123456"})
    assert response.status_code == 400
    assert 'class="error-summary"' in response.get_data(as_text=True)
    db.session.refresh(member)
    assert not member.has_two_factor
    password_step(client, member)
    assert signed_in(client)  # no second step for an account without it


def test_turning_it_off_asks_for_the_password(client, login, member):
    login(member)
    enable_two_factor(client)
    assert client.post("/settings/2fa/disable", data={"current_password": "no"}).status_code == 400
    response = client.post("/settings/2fa/disable", data={"current_password": factories.PASSWORD})
    assert response.status_code == 302
    db.session.refresh(member)
    assert not member.has_two_factor
    assert db.session.query(RecoveryCode).count() == 0


class TestRequiredForStaff:
    @pytest.fixture
    def app_config(self, app_config: dict) -> dict:
        return {**app_config, "TWO_FACTOR_REQUIRED_FOR_STAFF": True}

    def test_an_admin_without_it_is_sent_to_set_it_up(self, client, login, admin):
        login(admin)
        response = client.get("/admin/")
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/settings/2fa")
        page = client.get("/settings/2fa").get_data(as_text=True)
        secret = _SECRET.search(page).group(1)
        client._token = re.search(r'name="csrf_token" [^>]*value="([^"]+)"', page).group(1)
        client.post("/settings/2fa", data={"code": pyotp.TOTP(secret).now()})
        assert client.get("/admin/").status_code == 200

    def test_a_moderator_cannot_turn_it_off(self, client, login, moderator_a):
        login(moderator_a)
        page = client.get("/settings/2fa").get_data(as_text=True)
        client._token = re.search(r'name="csrf_token" [^>]*value="([^"]+)"', page).group(1)
        enable_two_factor(client)
        response = client.post(
            "/settings/2fa/disable", data={"current_password": factories.PASSWORD}
        )
        assert response.status_code == 400
        db.session.refresh(moderator_a)
        assert moderator_a.has_two_factor

    def test_members_are_not_asked(self, client, login, member):
        login(member)
        assert client.get("/").status_code == 200


class TestRateLimit:
    @pytest.fixture
    def app_config(self, app_config: dict) -> dict:
        return {**app_config, "RATELIMIT_ENABLED": True}

    def test_guessing_the_code_is_stopped_after_ten_tries(self, client, login, member):
        login(member)
        enable_two_factor(client)
        password_step(client, member)
        for _ in range(10):
            assert client.post("/login/code", data={"code": "000000"}).status_code == 400
        assert client.post("/login/code", data={"code": "000000"}).status_code == 429


def test_a_confirmation_link_does_not_sign_in_past_the_second_step(client, login, unconfirmed):
    from board.auth import service

    login(unconfirmed)
    page = client.get("/settings/2fa").get_data(as_text=True)
    secret = _SECRET.search(page).group(1)
    client.post("/settings/2fa", data={"code": pyotp.TOTP(secret).now()})
    client.post("/logout")
    with client.application.test_request_context():
        token = service._serializer(service.CONFIRM_SALT).dumps(
            {"uid": unconfirmed.id, "email": unconfirmed.email}
        )
    client.get(f"/confirm/{token}")
    assert "Novi" not in client.get("/").get_data(as_text=True)
