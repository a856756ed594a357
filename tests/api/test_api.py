"""The JSON API: stable shapes, and only what the requester may see."""

from __future__ import annotations

import json

from sqlalchemy import select

from board.extensions import db
from board.models import Post
from tests import factories

CATEGORY_KEYS = {
    "id",
    "slug",
    "name",
    "description",
    "url",
    "visibility",
    "archived",
    "association",
    "thread_count",
    "post_count",
    "last_activity",
}
THREAD_KEYS = {"id", "title", "category", "locked", "pinned", "posts"}
POST_KEYS = {"id", "author", "created_at", "body_html", "accepted", "documents"}


def test_categories_shape(client, member):
    factories.make_thread(member, replies=2)
    data = client.get("/api/v1/categories").get_json()
    assert [c["slug"] for c in data] == ["regulation", "planning", "reporting", "participation"]
    for category in data:
        assert set(category) >= CATEGORY_KEYS
    regulation = data[0]
    assert regulation["thread_count"] == 1
    assert regulation["post_count"] == 3
    assert regulation["url"] == "/c/regulation"
    assert regulation["last_activity"].startswith("20")


def test_members_only_category_is_not_listed_for_guests(client, login, member):
    factories.make_category("interno", visibility="members")
    assert "interno" not in [c["slug"] for c in client.get("/api/v1/categories").get_json()]
    login(member)
    assert "interno" in [c["slug"] for c in client.get("/api/v1/categories").get_json()]


def test_thread_shape(client, member, other_member):
    thread = factories.make_thread(member, title="Budžet MZ", body="Kako **planirati**?")
    factories.make_reply(thread, other_member, "Po prioritetima.")
    data = client.get(f"/api/v1/threads/{thread.id}").get_json()
    assert set(data) >= THREAD_KEYS
    assert (data["id"], data["title"], data["category"]) == (thread.id, "Budžet MZ", "regulation")
    assert data["locked"] is False and data["pinned"] is False
    assert len(data["posts"]) == 2
    for post in data["posts"]:
        assert set(post) >= POST_KEYS
        assert isinstance(post["documents"], list)
    assert data["posts"][0]["author"] == "Amra Member"
    assert "<strong>planirati</strong>" in data["posts"][0]["body_html"]
    assert data["posts"][1]["accepted"] is False


def test_thread_json_holds_no_private_data(client, member, other_member):
    thread = factories.make_thread(member, body="Javni tekst.")
    factories.make_reply(thread, other_member, "Tekst koji ću obrisati.")
    reply = db.session.scalars(select(Post).where(Post.author_id == other_member.id)).one()
    reply.deleted_at = reply.created_at
    db.session.commit()
    data = client.get(f"/api/v1/threads/{thread.id}").json
    raw = json.dumps(data, ensure_ascii=False)
    for secret in ("member@example.ba", "other@example.ba", "scrypt", "password", "body_md"):
        assert secret not in raw
    assert "Tekst koji ću obrisati." not in raw
    deleted = data["posts"][1]
    assert deleted["body_html"] == "" and deleted["author"] is None


def _bodies(client, thread) -> str:
    return " ".join(
        p["body_html"] for p in client.get(f"/api/v1/threads/{thread.id}").json["posts"]
    )


def test_pending_post_is_only_in_its_authors_json(client, login, member):
    newcomer = factories.make_user(email="newcomer@example.ba", trusted=False)
    thread = factories.make_thread(member)
    factories.make_reply(thread, newcomer, "Čeka odobrenje.")
    assert "Čeka odobrenje." not in _bodies(client, thread)
    login(newcomer)
    assert "Čeka odobrenje." in _bodies(client, thread)


def test_thread_in_members_only_category_is_404_for_guests(client, member):
    category = factories.make_category("interno", visibility="members")
    thread = factories.make_thread(member, category)
    response = client.get(f"/api/v1/threads/{thread.id}")
    assert response.status_code == 404
    assert response.is_json
