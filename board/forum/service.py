"""Forum use cases: each takes plain arguments, commits once, and returns the result."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from board.extensions import db
from board.models import Category, Document, Post, PostRevision, Thread, User
from board.models.base import utcnow
from board.notifications import service as notifications
from board.permissions import can_moderate_category, visible_category_ids
from board.text.markup import render


@dataclass
class CategorySummary:
    """A category with what the index page shows about it."""

    category: Category
    thread_count: int
    post_count: int
    last_activity: object


def needs_approval(user: User, category: Category) -> bool:
    """New members' first posts wait for a moderator; admins and moderators never wait."""
    if user.is_admin or can_moderate_category(user, category):
        return False
    return user.approved_posts < int(current_app.config["NEW_MEMBER_QUEUE_POSTS"])


def _new_post(user: User, thread: Thread, body: str, *, is_first: bool, approved: bool) -> Post:
    post = Post(
        thread=thread,
        author=user,
        is_first=is_first,
        body_md=body,
        body_html=render(body),
        approved=approved,
    )
    db.session.add(post)
    if approved:
        user.approved_posts += 1
    return post


def start_thread(user: User, category: Category, title: str, body: str) -> Post:
    """Open a thread with its first post; it may wait for approval."""
    approved = not needs_approval(user, category)
    now = utcnow()
    thread = Thread(
        category=category,
        author=user,
        title=title.strip(),
        created_at=now,
        last_post_at=now,
        approved=approved,
        post_count=1 if approved else 0,
    )
    db.session.add(thread)
    post = _new_post(user, thread, body, is_first=True, approved=approved)
    db.session.flush()
    notifications.post_created(post)
    return post


def reply(user: User, thread: Thread, body: str) -> Post:
    """Add a reply; an approved one bumps the thread's activity."""
    approved = not needs_approval(user, thread.category)
    post = _new_post(user, thread, body, is_first=False, approved=approved)
    db.session.flush()
    if approved:
        refresh_thread(thread)
    notifications.post_created(post)
    return post


def commit() -> None:
    """End the use case: one commit, after which the index and mail effects run."""
    db.session.commit()


def edit_post(editor: User, post: Post, body: str, reason: str = "") -> bool:
    """Change a post's text, keeping the old text as a revision; False if nothing changed."""
    if body == post.body_md:
        return False
    db.session.add(
        PostRevision(
            post=post,
            editor=editor,
            body_md=post.body_md,
            body_html=post.body_html,
            reason=reason.strip(),
        )
    )
    post.body_md = body
    post.body_html = render(body)
    post.edited_at = utcnow()
    return True


def rename_thread(thread: Thread, title: str) -> None:
    """Editing the first post may also change the thread's title."""
    thread.title = title.strip()


def delete_post(post: Post) -> None:
    """Soft delete: the text goes, a placeholder stays so replies keep their context."""
    post.deleted_at = utcnow()
    notifications.post_hidden(post)
    if post.accepted:
        set_accepted(post.thread, None)
    refresh_thread(post.thread)


def set_accepted(thread: Thread, post: Post | None) -> None:
    """Mark one reply as the thread's answer (or none)."""
    for other in db.session.scalars(select(Post).where(Post.thread_id == thread.id, Post.accepted)):
        other.accepted = False
    if post is not None:
        post.accepted = True
    thread.solved = post is not None


def refresh_thread(thread: Thread) -> None:
    """Recount public posts and last activity after anything that changes them."""
    db.session.flush()
    count, last = db.session.execute(
        select(func.count(Post.id), func.max(Post.created_at)).where(
            Post.thread_id == thread.id,
            Post.approved,
            Post.deleted_at.is_(None),
            Post.hidden_at.is_(None),
        )
    ).one()
    thread.post_count = count or 0
    thread.last_post_at = last or thread.created_at


# Queries --------------------------------------------------------------------------------


def category_summaries(user: User | None) -> list[CategorySummary]:
    """Readable categories with thread counts and last activity, in two queries."""
    ids = visible_category_ids(user)
    categories = db.session.scalars(
        select(Category)
        .where(Category.id.in_(ids))
        .order_by(Category.archived, Category.position, Category.name)
    ).all()
    stats = {
        row.category_id: row
        for row in db.session.execute(
            select(
                Thread.category_id,
                func.count(Thread.id).label("threads"),
                func.coalesce(func.sum(Thread.post_count), 0).label("posts"),
                func.max(Thread.last_post_at).label("last"),
            )
            .where(Thread.category_id.in_(ids), Thread.hidden_at.is_(None), Thread.approved)
            .group_by(Thread.category_id)
        )
    }
    return [
        CategorySummary(
            c,
            stats[c.id].threads if c.id in stats else 0,
            stats[c.id].posts if c.id in stats else 0,
            stats[c.id].last if c.id in stats else None,
        )
        for c in categories
    ]


def thread_listing(user: User | None, category: Category):
    """The threads of a category a reader may see: pinned first, then by activity."""
    query = select(Thread).where(Thread.category_id == category.id)
    if not can_moderate_category(user, category):
        query = query.where(Thread.hidden_at.is_(None))
        if user is not None and user.is_authenticated:
            query = query.where((Thread.approved) | (Thread.author_id == user.id))
        else:
            query = query.where(Thread.approved)
    query = query.options(selectinload(Thread.author))
    return query.order_by(Thread.pinned.desc(), Thread.last_post_at.desc(), Thread.id.desc())


def thread_posts(user: User | None, thread: Thread):
    """Posts shown on a thread page: pending ones only to their author and moderators.

    Deleted and hidden posts stay in the list as placeholders so the conversation keeps
    its shape; the template decides what of them to show through ``can_read_post``.
    """
    query = select(Post).where(Post.thread_id == thread.id)
    if not can_moderate_category(user, thread.category):
        if user is not None and user.is_authenticated:
            query = query.where((Post.approved) | (Post.author_id == user.id))
        else:
            query = query.where(Post.approved)
    query = query.options(
        selectinload(Post.author),
        selectinload(Post.documents).defer(Document.text),  # extracted text: megabytes
        selectinload(Post.revisions).load_only(PostRevision.id),
    )
    return query.order_by(Post.id)


def post_page(user: User | None, post: Post) -> int:
    """The page of its thread on which a post appears, for permalinks."""
    earlier = thread_posts(user, post.thread).where(Post.id < post.id)
    count = db.session.scalar(select(func.count()).select_from(earlier.subquery()))
    return count // int(current_app.config["POSTS_PER_PAGE"]) + 1


def accepted_answer(user: User | None, thread: Thread) -> Post | None:
    """The reply marked as the answer, if the reader may see it."""
    if not thread.solved:
        return None
    post = db.session.scalar(
        select(Post)
        .where(Post.thread_id == thread.id, Post.accepted)
        .options(selectinload(Post.author))
    )
    return post if post is not None and post.is_public else None
