"""Cookies, the secret key, CSRF on every state-changing route, language choice."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from sqlalchemy import select

from board import create_app
from board.extensions import db
from board.models import User

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def _bare_config(tmp_path: Path, name: str) -> dict:
    return {
        "TESTING": True,
        "INSTANCE_PATH": str(tmp_path / name),
        "SQLALCHEMY_DATABASE_URI": "sqlite://",
        "RATELIMIT_ENABLED": False,
    }


def _session_cookie_header(response) -> str:
    cookies = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")]
    assert cookies, "the page did not set a session cookie"
    return cookies[0]


def test_session_cookie_is_httponly_and_samesite_lax(client):
    header = _session_cookie_header(client.get("/login"))
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header
    assert "Secure" not in header


def test_secure_cookies_when_asked(app_config, monkeypatch):
    monkeypatch.setenv("BOARD_SECURE_COOKIES", "1")
    secure_app = create_app(app_config)
    header = _session_cookie_header(secure_app.test_client().get("/login"))
    assert "Secure" in header
    assert secure_app.config["REMEMBER_COOKIE_SECURE"] is True


def test_secret_key_is_generated_once_into_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("BOARD_SECRET_KEY", raising=False)
    first = create_app(_bare_config(tmp_path, "inst"))
    key_file = Path(first.instance_path) / "secret_key"
    assert key_file.exists()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(first.config["SECRET_KEY"]) >= 32
    second = create_app(_bare_config(tmp_path, "inst"))
    assert second.config["SECRET_KEY"] == first.config["SECRET_KEY"]
    other = create_app(_bare_config(tmp_path, "other"))
    assert other.config["SECRET_KEY"] != first.config["SECRET_KEY"]


def test_secret_key_from_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("BOARD_SECRET_KEY", "from-the-environment-0123456789")
    app = create_app(_bare_config(tmp_path, "inst"))
    assert app.config["SECRET_KEY"] == "from-the-environment-0123456789"
    assert not (Path(app.instance_path) / "secret_key").exists()


def _example_url(rule) -> str:
    """Fill a rule's variables with plausible values; CSRF is checked before any lookup."""
    values = {}
    for name in rule.arguments:
        converter = type(rule._converters[name]).__name__
        values[name] = 1 if converter in {"IntegerConverter", "NumberConverter"} else "regulation"
    return rule.build(values, append_unknown=False)[1]


def test_every_state_changing_route_requires_a_csrf_token(app, client, login, member):
    login(member)
    client.set_cookie("lang", "en")
    checked = []
    for rule in app.url_map.iter_rules():
        methods = (rule.methods or set()) & UNSAFE
        if not methods or rule.endpoint.startswith("api."):
            continue  # the JSON API is read-only and exempt by design
        if rule.endpoint == "notifications.unsubscribe":
            continue  # RFC 8058 one-click POST: the signed token in the URL is the proof
        url = _example_url(rule)
        for method in sorted(methods):
            response = client.open(url, method=method, data={"body": "x", "title": "y"})
            assert response.status_code == 400, (method, url, response.status_code)
            assert "The form has expired" in response.get_data(as_text=True), (method, url)
            checked.append(url)
    assert {"/login", "/logout", "/register", "/preview", "/language"} <= set(checked)


def test_csrf_token_from_another_session_is_refused(app, client, login, member):
    stranger = app.test_client()
    token = stranger.csrf_token()
    login(member)
    response = client.post("/logout", data={"csrf_token": token}, csrf=False)
    assert response.status_code == 400


def test_guest_language_choice_lives_in_a_cookie(client):
    assert 'lang="bs"' in client.get("/").get_data(as_text=True)
    response = client.post("/language", data={"locale": "en", "next": "/c/regulation"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/c/regulation")
    assert client.get_cookie("lang").value == "en"
    assert 'lang="en"' in client.get("/").get_data(as_text=True)


def test_member_language_choice_is_stored_on_the_account(app, client, login, member):
    login(member)
    client.post("/language", data={"locale": "en"})
    user = db.session.scalar(select(User).where(User.email == "member@example.ba"))
    db.session.refresh(user)
    assert user.locale == "en"
    elsewhere = app.test_client()  # another device: no cookie, same account
    elsewhere.post(
        "/login", data={"email": "member@example.ba", "password": "correct horse battery staple"}
    )
    assert 'lang="en"' in elsewhere.get("/").get_data(as_text=True)


def test_unknown_language_is_a_400(client):
    assert client.post("/language", data={"locale": "xx"}).status_code == 400


@pytest.mark.parametrize("locale", ["bs", "en"])
def test_dates_follow_the_language(client, member, locale):
    from tests import factories

    thread = factories.make_thread(member)
    client.set_cookie("lang", locale)
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    year = str(thread.created_at.year)
    assert year in page
    month_en = thread.created_at.strftime("%b")
    if locale == "en":
        assert month_en in page
    else:
        assert f"{thread.created_at.day}. " in page or f"{thread.created_at.day:02d}. " in page
