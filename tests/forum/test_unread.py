"""Unread threads: the category page tells a member what is new since they last looked."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from board.extensions import db
from board.models import Post, ThreadRead
from tests import factories
from tests.sqlcount import counting


def _item(page: str, title: str) -> str:
    """The list item of the thread with this title on a category page."""
    for item in re.findall(r'<li class="thread-item.*?</li>', page, re.S):
        if title in item:
            return item
    raise AssertionError(f"{title!r} not listed")


def _category_page(client) -> str:
    response = client.get("/c/regulation")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_thread_never_opened_is_new_and_opening_it_clears_the_mark(client, login):
    reader = factories.make_user()
    thread = factories.make_thread(title="Budžet za mjesnu zajednicu", replies=2)
    login(reader)
    item = _item(_category_page(client), "Budžet za mjesnu zajednicu")
    assert "tag-new" in item
    assert client.get(thread.url).status_code == 200
    assert "tag-unread" not in _item(_category_page(client), "Budžet za mjesnu zajednicu")


def test_new_replies_are_counted_and_linked_to_the_first_unread(client, login):
    reader = factories.make_user()
    thread = factories.make_thread(title="Zbor građana")
    login(reader)
    client.get(thread.url)
    first_new = factories.make_reply(thread, thread.author, "Prvi novi odgovor.")
    factories.make_reply(thread, thread.author, "Drugi novi odgovor.")
    item = _item(_category_page(client), "Zbor građana")
    assert 'data-unread="2"' in item
    assert f'href="/p/{first_new.id}"' in item
    target = client.get(f"/p/{first_new.id}")
    assert target.headers["Location"].endswith(f"#post-{first_new.id}")


def test_own_replies_are_not_unread(client, login):
    reader = factories.make_user()
    thread = factories.make_thread(title="Vlastiti odgovor")
    login(reader)
    client.get(thread.url)
    factories.make_reply(thread, reader, "Moj odgovor.")
    assert "tag-unread" not in _item(_category_page(client), "Vlastiti odgovor")


def test_history_before_joining_is_not_unread(client, login):
    factories.make_thread(title="Stara tema", replies=3)
    login(factories.make_user())
    assert "tag-unread" not in _item(_category_page(client), "Stara tema")


def test_reading_the_first_page_leaves_later_pages_unread(app, client, login):
    app.config["POSTS_PER_PAGE"] = 3
    reader = factories.make_user()
    thread = factories.make_thread(title="Duga tema", replies=4)
    login(reader)
    client.get(thread.url)  # page 1: the first post and two replies
    item = _item(_category_page(client), "Duga tema")
    assert 'data-unread="2"' in item
    client.get(f"{thread.url}?page=2")
    client.get(thread.url)  # going back to page 1 does not make page 2 unread again
    assert "tag-unread" not in _item(_category_page(client), "Duga tema")


def test_one_row_per_member_and_thread(client, login):
    reader = factories.make_user()
    thread = factories.make_thread(replies=3)
    login(reader)
    for _ in range(3):
        client.get(thread.url)
    rows = db.session.scalars(select(ThreadRead).where(ThreadRead.user_id == reader.id)).all()
    assert len(rows) == 1
    last = db.session.scalar(select(func.max(Post.id)).where(Post.thread_id == thread.id))
    assert rows[0].last_read_post_id == last


def test_mark_all_read_clears_the_category(client, login):
    reader = factories.make_user()
    factories.make_thread(title="Prva nova")
    factories.make_thread(title="Druga nova", replies=2)
    login(reader)
    page = _category_page(client)
    assert 'action="/c/regulation/read"' in page
    response = client.post("/c/regulation/read")
    assert response.status_code == 302
    page = _category_page(client)
    assert "tag-unread" not in _item(page, "Prva nova")
    assert "tag-unread" not in _item(page, "Druga nova")


def test_mark_all_read_needs_csrf_and_a_login(client, login):
    factories.make_thread()
    assert client.post("/c/regulation/read").status_code == 302  # to the login page
    assert db.session.scalar(select(func.count()).select_from(ThreadRead)) == 0
    login(factories.make_user())
    assert client.post("/c/regulation/read", csrf=False).status_code == 400
    assert db.session.scalar(select(func.count()).select_from(ThreadRead)) == 0


def test_guests_see_no_unread_marks(client):
    factories.make_thread(title="Za goste", replies=2)
    page = _category_page(client)
    assert "tag-unread" not in page and 'action="/c/regulation/read"' not in page


def test_category_page_query_count_does_not_grow_with_threads(client, login):
    reader = factories.make_user()
    login(reader)
    factories.make_thread(replies=1)
    db.session.remove()
    with counting() as small:
        _category_page(client)
    for n in range(10):
        factories.make_thread(title=f"Tema {n}", replies=2)
    db.session.remove()
    with counting() as large:
        page = _category_page(client)
    assert page.count("tag-unread") >= 10
    assert len(large) == len(small), "\n".join(large)
