"""Load-or-404 for forum objects: what a reader may not read does not exist for them."""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from board.extensions import db
from board.models import Category, Post, Thread
from board.permissions import can_read_category, can_read_post, can_read_thread


def _deny(category: Category, guests_to_login: bool) -> None:
    """A 404 for everyone, guests included: a login redirect here (and a 404 for what does
    not exist) would let a guest count private threads and confirm private slugs. The 404
    page offers guests the login link instead. The arguments are kept for callers."""
    abort(404)


def load_category_or_404(slug: str, *, guests_to_login: bool = True) -> Category:
    """The category with this slug, if the current user may read it."""
    category = db.session.scalar(select(Category).where(Category.slug == slug))
    if category is None:
        abort(404)
    if not can_read_category(current_user, category):
        _deny(category, guests_to_login)
    return category


def load_thread_or_404(thread_id: int, *, guests_to_login: bool = True) -> Thread:
    """The thread, if the current user may read it (hidden or queued ones only for its
    author and moderators)."""
    thread = db.session.get(Thread, thread_id)
    if thread is None:
        abort(404)
    if not can_read_thread(current_user, thread):
        _deny(thread.category, guests_to_login)
    return thread


def load_post_or_404(post_id: int, *, allow_deleted: bool = False) -> Post:
    """The post, if the current user may read it (a deleted one, for a permalink's
    placeholder, wherever its thread is readable)."""
    post = db.session.get(Post, post_id)
    if post is None:
        abort(404)
    if post.is_deleted and allow_deleted and can_read_thread(current_user, post.thread):
        return post
    if not can_read_post(current_user, post):
        _deny(post.thread.category, guests_to_login=True)
    return post
