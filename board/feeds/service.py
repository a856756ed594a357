"""What the feeds list: the newest public threads and posts, in a fixed number of queries.

A feed carries only what every reader of its category sees: threads that are neither
hidden nor awaiting approval, opened by a public post, and public posts. Feed readers
keep what they fetched, so a post hidden or queued later must never have been in one.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from board.extensions import db
from board.models import Post, Thread

FEED_SIZE = 30
"""Entries per feed, as many as Discourse's /latest.rss holds."""


def newest_threads(category_ids: list[int], limit: int = FEED_SIZE) -> list[tuple[Thread, Post]]:
    """The newest public threads of these categories with their opening posts.

    Three queries however many threads: the threads joined to their first posts, then
    the categories and the authors.
    """
    if not category_ids:
        return []
    rows = db.session.execute(
        select(Thread, Post)
        .join(Post, (Post.thread_id == Thread.id) & Post.is_first)
        .where(Thread.category_id.in_(category_ids), Thread.is_public, Post.is_public)
        .options(selectinload(Thread.category), selectinload(Post.author))
        .order_by(Thread.id.desc())
        .limit(limit)
    ).all()
    return [(row.Thread, row.Post) for row in rows]


def newest_posts(thread: Thread, limit: int = FEED_SIZE) -> list[Post]:
    """The newest public posts of a thread, newest first, in two queries."""
    return list(
        db.session.scalars(
            select(Post)
            .where(Post.thread_id == thread.id, Post.is_public)
            .options(selectinload(Post.author))
            .order_by(Post.id.desc())
            .limit(limit)
        )
    )
