"""The outbox keeps the index in step with the forum: through the real forms and services,
on a real index in the test's instance folder."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from board.extensions import db
from board.forum import service as forum
from board.models import Post, SearchOutbox, Thread
from board.search import sources
from board.search.indexing import drain
from tests import factories


def _queued(fresh: bool = True) -> list[tuple[str, int]]:
    if fresh:
        db.session.rollback()  # a fresh read, not this session's snapshot
    return [(r.entity, r.entity_id) for r in db.session.scalars(select(SearchOutbox))]


def test_new_thread_posted_through_the_form_is_found(client, login, member, found):
    login(member)
    response = client.post(
        "/c/regulation/new",
        data={"title": "Hidranti u naselju", "body": "Gdje prijaviti pokvaren hidrant na ulici?"},
    )
    assert response.status_code == 302
    post = db.session.scalar(select(Post))
    assert found("hidrant") == [post.id]
    assert _queued() == []


def test_outbox_row_is_in_the_content_transaction_and_rolls_back_with_it(
    app, member, regulation, monkeypatch
):
    in_transaction = []

    def commit_fails() -> None:  # the use case's one commit never happens
        in_transaction.extend(_queued(fresh=False))
        raise RuntimeError("the database went away")

    monkeypatch.setattr(db.session, "commit", commit_fails)
    with pytest.raises(RuntimeError):
        forum.start_thread(member, regulation, "Naslov", "Tekst o kanalizaciji.")
    monkeypatch.undo()
    assert [entity for entity, _ in in_transaction] == ["post"]
    db.session.rollback()
    assert _queued() == []
    assert db.session.scalar(select(Post)) is None


def test_edited_post_is_found_by_new_words_only(client, login, member, found):
    thread = factories.make_thread(member, title="Rasvjeta", body="Ulična rasvjeta ne radi.")
    post = factories.first_post(thread)
    login(member)
    response = client.post(
        f"/p/{post.id}/edit", data={"title": "Rasvjeta", "body": "Semafor na raskrsnici ne radi."}
    )
    assert response.status_code == 302
    assert found("semafor") == [post.id]
    assert found("ulična") == []


def test_deleted_post_disappears_from_results(client, login, member, other_member, found):
    thread = factories.make_thread(member, title="Zimska služba")
    reply = factories.make_reply(thread, other_member, "Čišćenje snijega kasni svake zime.")
    assert found("snijega") == [reply.id]
    login(other_member)
    assert client.post(f"/p/{reply.id}/delete").status_code == 302
    assert found("snijega") == []


def test_renamed_thread_is_found_by_its_new_title_in_every_post(client, login, member, found):
    thread = factories.make_thread(member, title="Stari naslov", body="Prvi post.")
    reply = factories.make_reply(thread, member, "Drugi post.")
    first = factories.first_post(thread)
    login(member)
    client.post(f"/p/{first.id}/edit", data={"title": "Vodosnabdijevanje", "body": "Prvi post."})
    assert sorted(found("vodosnabdijevanje")) == sorted([first.id, reply.id])


def test_hidden_and_restored_post_leaves_and_returns(client, login, admin, member, found):
    thread = factories.make_thread(member, title="Saobraćaj", body="Pitanje o prometu.")
    reply = factories.make_reply(thread, member, "Uvredljiv tekst o parkiralištu.")
    login(admin)
    assert client.post(f"/p/{reply.id}/hide", data={"reason": "Uvreda"}).status_code == 302
    assert found("parkiralištu") == []
    assert client.post(f"/p/{reply.id}/restore").status_code == 302
    assert found("parkiralištu") == [reply.id]


def test_hidden_thread_takes_all_its_posts_out(client, login, admin, member, found):
    thread = factories.make_thread(member, title="Deponija", body="Divlja deponija kraj rijeke.")
    factories.make_reply(thread, member, "Deponija je opet tu.")
    assert len(found("deponija")) == 2
    login(admin)
    assert client.post(f"/t/{thread.id}/hide", data={"reason": "Spam"}).status_code == 302
    assert found("deponija") == []
    assert client.post(f"/t/{thread.id}/restore").status_code == 302
    assert len(found("deponija")) == 2


def test_thread_moved_to_members_only_category_leaves_anonymous_results(
    client, login, admin, member, found
):
    closed = factories.make_category("interno", visibility="members")
    thread = factories.make_thread(member, title="Plan javnih nabavki", body="Nacrt plana.")
    assert len(found("nabavki")) == 1
    login(admin)
    response = client.post(f"/t/{thread.id}/move", data={"category": closed.slug})
    assert response.status_code == 302
    client.post("/logout")
    assert found("nabavki") == []
    login(member)
    assert found("nabavki") == [factories.first_post(thread).id]


def test_post_awaiting_approval_is_found_only_after_approval(client, login, admin, found):
    newcomer = factories.make_user(trusted=False)
    login(newcomer)
    client.post("/c/regulation/new", data={"title": "Biciklističke staze", "body": "Prijedlog."})
    thread = db.session.scalar(select(Thread))
    assert not thread.approved
    assert found("biciklističke") == []
    post = factories.first_post(thread)
    login(admin)
    assert client.post(f"/p/{post.id}/approve").status_code == 302
    assert found("biciklističke") == [post.id]


def test_renamed_author_updates_the_index_entries(app, member):
    thread = factories.make_thread(member, title="Sastanak", body="Sastanak u petak.")
    post = factories.first_post(thread)
    before = app.extensions["board_search"].backend().versions()[f"post:{post.id}"]
    member.display_name = "Zlatan Vodoinstalater"
    db.session.commit()
    after = app.extensions["board_search"].backend().versions()[f"post:{post.id}"]
    assert after != before
    assert after == sources.post_version(post)


def test_busy_index_keeps_the_row_and_the_next_drain_applies_it(app, client, login, member, found):
    login(member)
    runtime = app.extensions["board_search"]
    with runtime.drain_lock(wait=0) as held:
        assert held
        response = client.post(
            "/c/regulation/new", data={"title": "Javna česma", "body": "Česma ne radi."}
        )
        assert response.status_code == 302  # the member never sees the busy index
    post = db.session.scalar(select(Post))
    assert _queued() == [("post", post.id)]
    assert found("česma") == []
    factories.make_thread(member, title="Drugo pitanje", body="Nešto sasvim drugo.")
    assert found("česma") == [post.id]
    assert _queued() == []


def test_locked_whoosh_writer_is_recorded_on_the_row_and_retried(app, client, login, member, found):
    from whoosh.index import open_dir

    factories.make_thread(member, title="Prvi", body="Mostić preko potoka.")
    other_writer = open_dir(app.config["SEARCH_INDEX_PATH"]).writer()  # e.g. a stuck process
    try:
        login(member)
        response = client.post(
            "/c/regulation/new", data={"title": "Drugi", "body": "Kanal uz cestu je zatrpan."}
        )
        assert response.status_code == 302
        row = db.session.scalar(select(SearchOutbox))
        assert (row.entity, row.attempts) == ("post", 1)
        assert "IndexBusyError" in row.last_error
    finally:
        other_writer.cancel()
    assert drain(app, wait=1).complete
    assert found("zatrpan") == [row.entity_id]
    assert _queued() == []


def test_background_drainer_finishes_what_a_busy_index_left(app, client, login, member, found):
    app.config["SEARCH_DRAIN_RETRY"] = True  # as in production
    login(member)
    with app.extensions["board_search"].drain_lock(wait=0):
        client.post("/c/regulation/new", data={"title": "Kiosk", "body": "Kiosk na trotoaru."})
        [(_, post_id)] = _queued()
    for _ in range(300):  # no further change comes to trigger a drain: the thread does it
        if not _queued():
            break
        time.sleep(0.05)
    assert found("kiosk") == [post_id]
