"""New members' first posts wait for the category's moderators."""

from __future__ import annotations

from sqlalchemy import select

from board.extensions import db
from board.models import Post, Thread
from tests import factories


def _newcomer_thread(client, login, cat, newcomer):
    login(newcomer)
    response = client.post(
        f"/c/{cat.slug}/new", data={"title": "Prvo pitanje", "body": "Pozdrav svima, prvi put."}
    )
    assert response.status_code == 302
    return db.session.scalar(select(Thread).where(Thread.title == "Prvo pitanje"))


def test_first_post_waits_author_sees_it_marked_others_see_nothing(
    client, login, cat_a, other_member
):
    newcomer = factories.make_user(display_name="Novajlija", trusted=False)
    thread = _newcomer_thread(client, login, cat_a, newcomer)
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "Awaiting approval" in page and "Pozdrav svima" in page
    login(other_member)
    assert client.get(f"/t/{thread.id}").status_code == 404
    assert "Prvo pitanje" not in client.get(f"/c/{cat_a.slug}").get_data(as_text=True)


def test_moderator_approves_from_queue_and_counts_refresh(
    client, login, cat_a, moderator_a, other_member
):
    newcomer = factories.make_user(display_name="Novajlija", trusted=False)
    thread = _newcomer_thread(client, login, cat_a, newcomer)
    post = db.session.scalar(select(Post).where(Post.thread_id == thread.id))
    login(moderator_a)
    page = client.get("/mod").get_data(as_text=True)
    assert "Pozdrav svima" in page
    response = client.post(f"/p/{post.id}/approve", data={"next": "mod"})
    assert response.headers["Location"].endswith("/mod")
    db.session.refresh(thread)
    db.session.refresh(newcomer)
    assert thread.approved and thread.post_count == 1
    assert newcomer.approved_posts == 1
    login(other_member)
    assert "Pozdrav svima" in client.get(f"/t/{thread.id}").get_data(as_text=True)
    login(newcomer)
    assert "approved" in client.get("/notifications").get_data(as_text=True)
    client.post(f"/t/{thread.id}/reply", data={"body": "Drugi post ide odmah."})
    assert db.session.scalar(select(Post).where(Post.body_md == "Drugi post ide odmah.")).approved


def test_rejecting_hides_with_reason_the_author_sees(client, login, cat_a, moderator_a):
    newcomer = factories.make_user(display_name="Novajlija", trusted=False)
    thread = _newcomer_thread(client, login, cat_a, newcomer)
    post = db.session.scalar(select(Post).where(Post.thread_id == thread.id))
    login(moderator_a)
    client.post(f"/p/{post.id}/hide", data={"reason": "Pitanje je već odgovoreno"})
    assert "Pozdrav svima" not in client.get("/mod").get_data(as_text=True)
    login(newcomer)
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "Pitanje je već odgovoreno" in page
    assert "was not approved" in client.get("/notifications").get_data(as_text=True)


def test_other_association_moderator_neither_sees_nor_approves_queued_post(
    client, login, cat_a, moderator_b
):
    newcomer = factories.make_user(display_name="Novajlija", trusted=False)
    thread = _newcomer_thread(client, login, cat_a, newcomer)
    post = db.session.scalar(select(Post).where(Post.thread_id == thread.id))
    login(moderator_b)
    assert "Pozdrav svima" not in client.get("/mod").get_data(as_text=True)
    assert client.post(f"/p/{post.id}/approve").status_code == 404
    db.session.refresh(post)
    assert not post.approved


def test_queue_counts_in_header(client, login, cat_a, cat_b, moderator_a):
    for i in range(2):
        newcomer = factories.make_user(trusted=False)
        login(newcomer)
        client.post(f"/c/{cat_a.slug}/new", data={"title": f"A pitanje {i}", "body": "Tekst."})
    newcomer = factories.make_user(trusted=False)
    login(newcomer)
    client.post(f"/c/{cat_b.slug}/new", data={"title": "B pitanje", "body": "Tekst."})
    login(moderator_a)
    page = client.get("/mod").get_data(as_text=True)
    assert 'data-count="queued">2<' in page and 'data-count="flags">0<' in page
    assert "B pitanje" not in page
