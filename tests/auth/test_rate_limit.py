"""Rate limits (on by default) answer with a 429 page in the user's language."""

from __future__ import annotations

import pytest


@pytest.fixture
def app_config(app_config: dict) -> dict:
    return {**app_config, "RATELIMIT_ENABLED": True}


def test_too_many_reset_requests_get_a_429_page(client):
    client.set_cookie("lang", "en")
    for n in range(5):
        response = client.post("/reset", data={"email": f"someone{n}@example.ba"})
        assert response.status_code == 200
    response = client.post("/reset", data={"email": "someone@example.ba"})
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "Too many requests" in page
    assert 'lang="en"' in page


def test_too_many_login_attempts_get_a_429_page_in_bosnian(client, member):
    # Every attempt counts, even one refused by the form (and this one costs no hashing).
    attempt = {"email": "member@example.ba", "password": ""}
    for _ in range(20):
        assert client.post("/login", data=attempt).status_code == 400
    response = client.post("/login", data={**attempt, "password": "correct horse battery staple"})
    assert response.status_code == 429
    assert 'lang="bs"' in response.get_data(as_text=True)


def test_rate_limits_can_be_switched_off_from_the_environment(app_config, monkeypatch):
    from board import create_app

    monkeypatch.setenv("BOARD_RATELIMIT_ENABLED", "0")
    config = {k: v for k, v in app_config.items() if k != "RATELIMIT_ENABLED"}
    assert create_app(config).config["RATELIMIT_ENABLED"] is False
