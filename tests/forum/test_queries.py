"""The thread page costs the same number of SQL queries however many posts it shows."""

from __future__ import annotations

import pytest

from board.extensions import db
from board.forum import service as forum
from board.models import Document, Post
from tests import factories
from tests.sqlcount import counting


def _busy_thread(posts: int) -> int:
    """A thread whose every post has its own author, a document and an edit behind it."""
    author = factories.make_user()
    first = forum.start_thread(author, factories.category("regulation"), "Pravilnik", "Prvi.")
    thread = first.thread
    all_posts: list[Post] = [first]
    for n in range(posts - 1):
        all_posts.append(forum.reply(factories.make_user(), thread, f"Odgovor {n}."))
    for n, post in enumerate(all_posts):
        forum.edit_post(post.author, post, f"Ispravljeni tekst {n}.", "tipfeler")
        db.session.add(
            Document(
                post=post,
                uploader=post.author,
                sha256=f"{n:064d}",
                size=1000 + n,
                filename=f"odluka-{n}.pdf",
                mime="application/pdf",
                kind="pdf",
                extraction_status="done",
            )
        )
    forum.accept_answer(thread.author, all_posts[1])
    return thread.id


def _queries_for(client, thread_id: int) -> list[str]:
    db.session.remove()  # the page must load everything itself, not find it in our session
    with counting() as statements:
        response = client.get(f"/t/{thread_id}")
    assert response.status_code == 200
    return statements


@pytest.mark.parametrize("viewer", ["guest", "member", "moderator_a", "admin"])
def test_thread_page_query_count_does_not_grow_with_posts(client, login, request, viewer):
    if viewer != "guest":
        login(request.getfixturevalue(viewer))
    small = _busy_thread(2)
    large = _busy_thread(20)
    small_queries = _queries_for(client, small)
    large_queries = _queries_for(client, large)
    assert client.get(f"/t/{large}").get_data(as_text=True).count('<article class="post') >= 20
    assert len(large_queries) == len(small_queries), "\n".join(large_queries)
