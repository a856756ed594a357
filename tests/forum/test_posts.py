"""Editing with revisions, soft delete (asked first, undone for ten minutes), quoting,
preview, accepted answers."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from board.extensions import db
from board.models import Post, PostRevision, Thread
from board.models.base import utcnow
from tests import factories


def _reply_id(thread, author) -> int:
    return db.session.scalar(
        select(Post.id).where(Post.thread_id == thread.id, Post.author_id == author.id)
    )


def test_edit_keeps_revisions_and_shows_edited(client, login, member):
    thread = factories.make_thread(member, body="Prva verzija teksta.")
    post = factories.first_post(thread)
    login(member)
    client.set_cookie("lang", "en")
    response = client.post(
        f"/p/{post.id}/edit",
        data={"title": thread.title, "body": "Druga verzija teksta.", "reason": "preciznije"},
    )
    assert response.status_code == 302
    client.post(f"/p/{post.id}/edit", data={"title": thread.title, "body": "Treća verzija."})

    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "Treća verzija." in page
    assert "Prva verzija" not in page
    assert f'href="/p/{post.id}/revisions">edited</a>' in page

    history = client.get(f"/p/{post.id}/revisions").get_data(as_text=True)
    assert history.index("Treća verzija.") < history.index("Druga verzija teksta.")
    assert history.index("Druga verzija teksta.") < history.index("Prva verzija teksta.")
    assert "preciznije" in history
    assert db.session.scalar(select(PostRevision.body_md).order_by(PostRevision.id)) == (
        "Prva verzija teksta."
    )


def test_unchanged_edit_leaves_no_revision(client, login, member):
    thread = factories.make_thread(member)
    post = factories.first_post(thread)
    login(member)
    client.post(f"/p/{post.id}/edit", data={"title": thread.title, "body": post.body_md})
    assert db.session.scalar(select(PostRevision)) is None
    assert "/revisions" not in client.get(f"/t/{thread.id}").get_data(as_text=True)


def test_edit_form_is_prefilled_and_others_cannot_edit(client, login, member, other_member):
    thread = factories.make_thread(member, title="Naslov teme", body="Tekst *posta*.")
    post = factories.first_post(thread)
    login(member)
    form = client.get(f"/p/{post.id}/edit").get_data(as_text=True)
    assert "Tekst *posta*." in form
    assert 'value="Naslov teme"' in form
    login(other_member)
    assert client.get(f"/p/{post.id}/edit").status_code == 403
    assert client.post(f"/p/{post.id}/edit", data={"body": "Moje!"}).status_code == 403


def test_editing_the_first_post_can_rename_the_thread(client, login, member):
    thread = factories.make_thread(member, title="Stari naslov")
    post = factories.first_post(thread)
    login(member)
    client.post(f"/p/{post.id}/edit", data={"title": "Novi naslov", "body": post.body_md})
    assert "<h1>Novi naslov</h1>" in client.get(f"/t/{thread.id}").get_data(as_text=True)


def test_soft_delete_leaves_a_placeholder(client, login, member, other_member):
    thread = factories.make_thread(member)
    factories.make_reply(thread, other_member, "Ovo ću obrisati.")
    reply_id = _reply_id(thread, other_member)
    login(other_member)
    client.set_cookie("lang", "en")
    response = client.post(f"/p/{reply_id}/delete")
    assert response.status_code == 302
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "Ovo ću obrisati." not in page
    assert "This post was deleted by its author." in page
    assert f'id="post-{reply_id}"' in page
    assert db.session.get(Post, reply_id) is not None  # kept, not removed


def test_only_the_author_deletes(client, login, member, other_member):
    thread = factories.make_thread(member)
    post = factories.first_post(thread)
    login(other_member)
    assert client.post(f"/p/{post.id}/delete").status_code == 403


def test_quote_prefills_the_reply_box(client, login, member, other_member):
    thread = factories.make_thread(member, body="Zbor se saziva\n\nsedam dana ranije.")
    post = factories.first_post(thread)
    login(other_member)
    page = client.get(f"/t/{thread.id}/reply?quote={post.id}").get_data(as_text=True)
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", page, re.S).group(1)
    assert "**Amra Member:**" in textarea
    assert "&gt; Zbor se saziva" in textarea
    assert "&gt; sedam dana ranije." in textarea


def test_quote_from_another_thread_is_ignored(client, login, member, other_member):
    here = factories.make_thread(member)
    elsewhere = factories.make_thread(member, body="Tajna iz druge teme.")
    login(other_member)
    post = factories.first_post(elsewhere)
    page = client.get(f"/t/{here.id}/reply?quote={post.id}").get_data(as_text=True)
    assert "Tajna iz druge teme." not in page


def test_preview_button_without_javascript_re_renders_with_preview(client, login, member):
    login(member)
    response = client.post(
        "/c/regulation/new",
        data={"title": "Pregled", "body": "Ovo je **podebljano**.", "preview": "1"},
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<strong>podebljano</strong>" in page
    assert "Ovo je **podebljano**." in page  # still in the textarea
    assert 'value="Pregled"' in page
    assert factories.category("regulation") and db.session.scalar(select(Post)) is None


def test_reply_preview_without_javascript(client, login, member):
    thread = factories.make_thread(member)
    login(member)
    response = client.post(
        f"/t/{thread.id}/reply", data={"body": "| a | b |\n|---|---|\n| 1 | 2 |", "preview": "1"}
    )
    assert response.status_code == 200
    assert "<table>" in response.get_data(as_text=True)


def test_preview_endpoint_returns_sanitised_html(client, login, member):
    login(member)
    response = client.post("/preview", data={"body": "*x* <script>alert(1)</script>"})
    assert response.status_code == 200
    html = response.get_json()["html"]
    assert "<em>x</em>" in html
    assert "<script" not in html


def test_preview_endpoint_refuses_over_limit_body(client, login, member):
    login(member)
    response = client.post("/preview", data={"body": "x" * 50_001})
    assert response.status_code == 400
    assert "error" in response.get_json()


def test_preview_endpoint_is_for_members(client):
    """Rendering costs CPU; only people who can post get it."""
    response = client.post("/preview", data={"body": "*x*"})
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_preview_of_an_over_limit_body_shows_the_limit_not_a_rendering(client, login, member):
    login(member)
    response = client.post(
        "/c/regulation/new", data={"title": "Dugo", "body": "**x** " * 10_000, "preview": "1"}
    )
    page = response.get_data(as_text=True)
    assert "<strong>x</strong>" not in page
    assert "**x** **x**" in page  # still in the textarea


def test_accepted_answer_shows_under_the_question(client, login, member, other_member):
    thread = factories.make_thread(member, body="Pitanje?")
    for n in range(3):
        factories.make_reply(thread, other_member, f"Odgovor {n}.")
    answer = db.session.scalars(
        select(Post).where(Post.thread_id == thread.id).order_by(Post.id.desc())
    ).first()
    login(member)
    client.set_cookie("lang", "en")
    assert client.post(f"/p/{answer.id}/accept").status_code == 302
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    question_at = page.index("Pitanje?")
    answer_section = page.index('<section class="answer"')
    first_reply = page.index("Odgovor 0.")
    assert question_at < answer_section < first_reply
    assert "Odgovor 2." in page[answer_section:first_reply]
    listing = client.get("/c/regulation").get_data(as_text=True)
    assert 'class="tag tag-answer"' in listing


def test_only_the_thread_author_marks_the_answer(client, login, member, other_member):
    thread = factories.make_thread(member)
    factories.make_reply(thread, other_member)
    reply_id = _reply_id(thread, other_member)
    login(other_member)
    assert client.post(f"/p/{reply_id}/accept").status_code == 403


def test_unmarking_and_deleting_the_answer_clear_solved(client, login, member, other_member):
    thread = factories.make_thread(member)
    factories.make_reply(thread, other_member)
    reply_id = _reply_id(thread, other_member)
    login(member)
    client.post(f"/p/{reply_id}/accept")
    client.post(f"/p/{reply_id}/unaccept")
    db.session.refresh(thread)
    assert not thread.solved
    client.post(f"/p/{reply_id}/accept")
    login(other_member)
    client.post(f"/p/{reply_id}/delete")
    db.session.refresh(thread)
    assert not thread.solved
    assert '<section class="answer"' not in client.get(f"/t/{thread.id}").get_data(as_text=True)


# Delete asks first and can be undone --------------------------------------------------


def test_delete_asks_first_with_a_form_that_posts_to_delete(client, login, member, other_member):
    thread = factories.make_thread(member)
    factories.make_reply(thread, other_member, "Možda obrišem.")
    reply_id = _reply_id(thread, other_member)
    login(other_member)
    client.set_cookie("lang", "en")
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert f'href="/p/{reply_id}/delete"' in page
    response = client.get(f"/p/{reply_id}/delete")
    assert response.status_code == 200
    confirmation = response.get_data(as_text=True)
    assert "Delete this post?" in confirmation and "Možda obrišem." in confirmation
    assert f'<form method="post" action="/p/{reply_id}/delete">' in confirmation
    assert not db.session.get(Post, reply_id).is_deleted  # asking deletes nothing


def test_only_the_author_sees_the_delete_confirmation(client, login, member, other_member):
    thread = factories.make_thread(member)
    login(other_member)
    assert client.get(f"/p/{factories.first_post(thread).id}/delete").status_code == 403


def test_author_undoes_a_delete_from_the_message(client, login, member, other_member):
    thread = factories.make_thread(member)
    factories.make_reply(thread, other_member, "Ipak ostaje.")
    reply_id = _reply_id(thread, other_member)
    login(other_member)
    client.set_cookie("lang", "en")
    page = client.post(f"/p/{reply_id}/delete", follow_redirects=True).get_data(as_text=True)
    assert "The post is deleted." in page and "Ipak ostaje." not in page
    assert f'action="/p/{reply_id}/restore"' in page and "Undo" in page
    response = client.post(f"/p/{reply_id}/restore")
    assert response.status_code == 302
    db.session.expire_all()
    assert not db.session.get(Post, reply_id).is_deleted
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "Ipak ostaje." in page and "The post is back." in page
    assert db.session.get(Thread, thread.id).post_count == 2


def _deleted_reply(client, login, thread, author, deleter, body: str) -> Post:
    """A reply by ``author`` that ``deleter`` has just deleted through the page."""
    reply = factories.make_reply(thread, author, body)
    login(deleter)
    client.post(f"/p/{reply.id}/delete")
    return reply


def _still_deleted(post: Post) -> bool:
    db.session.expire_all()
    return db.session.get(Post, post.id).is_deleted


def test_undo_ends_after_ten_minutes(client, login, member, other_member):
    thread = factories.make_thread(member)
    reply = _deleted_reply(client, login, thread, other_member, other_member, "Kasno je.")
    db.session.get(Post, reply.id).deleted_at = utcnow() - timedelta(minutes=11)
    db.session.commit()
    assert client.post(f"/p/{reply.id}/restore").status_code == 403
    assert _still_deleted(reply)


def test_nobody_else_undoes_a_delete(client, login, member, other_member, admin):
    thread = factories.make_thread(member)
    reply = _deleted_reply(client, login, thread, other_member, other_member, "Samo autor.")
    for someone in (member, admin):
        login(someone)
        assert client.post(f"/p/{reply.id}/restore").status_code == 403
    assert _still_deleted(reply)


def test_author_cannot_undo_an_admins_delete(client, login, member, other_member, admin):
    thread = factories.make_thread(member)
    client.set_cookie("lang", "en")
    reply = _deleted_reply(client, login, thread, other_member, admin, "Admin briše.")
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "The post is deleted." in page and f'action="/p/{reply.id}/restore"' not in page
    login(other_member)
    assert client.post(f"/p/{reply.id}/restore").status_code == 403
    assert _still_deleted(reply)
