"""Absolute links come from configuration; a forged ``Host`` header neither reaches a mail
nor gets an answer built from it."""

from __future__ import annotations

import pytest

from board import create_app
from board.urls import external_url


def test_reset_with_a_forged_host_never_mails_its_link(client, mail_sink, member):
    response = client.post("/reset", data={"email": member.email}, headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert all("evil.example" not in mail_sink.body(m) for m in mail_sink.messages)


@pytest.fixture
def app_config(app_config: dict) -> dict:
    """As in production: a configured base URL, no SERVER_NAME."""
    config = {**app_config, "BASE_URL": "https://mreza.example.ba/forum/"}
    config.pop("SERVER_NAME")
    return config


def test_reset_link_uses_the_configured_base_url(client, mail_sink, member):
    assert client.post("/reset", data={"email": member.email}).status_code == 200
    assert mail_sink.link(member.email).startswith("https://mreza.example.ba/forum/reset/")


def test_untrusted_hosts_are_refused_and_configured_ones_served(client):
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/", headers={"Host": "mreza.example.ba"}).status_code == 200
    assert client.get("/", headers={"Host": "localhost:5000"}).status_code == 200


def test_feed_links_come_from_the_base_url(client):
    feed = client.get("/feed.atom", headers={"Host": "127.0.0.1"}).get_data(as_text=True)
    assert "https://mreza.example.ba/forum/" in feed
    assert "127.0.0.1" not in feed


def test_external_url_works_outside_a_request(app):
    assert external_url("forum.thread", thread_id=7, _anchor="p9") == (
        "https://mreza.example.ba/forum/t/7#p9"
    )


def test_development_without_configuration_serves_loopback_only(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(tmp_path / "dev"),
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "RATELIMIT_ENABLED": False,
        }
    )
    client = app.test_client()
    assert client.get("/login", headers={"Host": "127.0.0.1:5000"}).status_code == 200
    assert client.get("/login", headers={"Host": "localhost"}).status_code == 200
    assert client.get("/login", headers={"Host": "board.evil.example"}).status_code == 400
