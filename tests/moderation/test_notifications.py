"""In-app notifications: listed in the reader's language, marked as read."""

from __future__ import annotations

from sqlalchemy import select

from board.extensions import db
from board.models import Notification


def test_unread_count_in_header_and_mark_all_read(client, login, reply_a, moderator_a):
    login(moderator_a)
    client.post(f"/p/{reply_a.id}/hide", data={"reason": "Provjera"})
    login(reply_a.author)
    page = client.get("/").get_data(as_text=True)
    assert '<span class="badge">1</span>' in page
    page = client.get("/notifications").get_data(as_text=True)
    assert "hid your post" in page and "Provjera" in page
    client.post("/notifications/read")
    assert db.session.scalar(select(Notification)).read_at is not None
    assert '<span class="badge">' not in client.get("/").get_data(as_text=True)


def test_notification_is_rendered_in_the_readers_language(client, login, reply_a, moderator_a):
    login(moderator_a)
    client.post(f"/p/{reply_a.id}/hide", data={"reason": "Provjera"})
    login(reply_a.author)
    english = client.get("/notifications").get_data(as_text=True)
    client.post("/language", data={"locale": "bs", "next": "/notifications"})
    bosnian = client.get("/notifications").get_data(as_text=True)
    assert 'lang="bs"' in bosnian and "Provjera" in bosnian
    assert 'lang="en"' in english


def test_cannot_mark_someone_elses_notification(client, login, reply_a, moderator_a, member):
    login(moderator_a)
    client.post(f"/p/{reply_a.id}/hide", data={"reason": "Provjera"})
    notification = db.session.scalar(select(Notification))
    login(member)
    client.post("/notifications/read", data={"id": str(notification.id)})
    db.session.refresh(notification)
    assert notification.read_at is None
    assert "Provjera" not in client.get("/notifications").get_data(as_text=True)
