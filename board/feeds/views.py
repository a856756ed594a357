"""Feed views: load what the requester may read (anything else is a 404), list, render.

Feed readers send no cookies, so a feed normally holds what a guest may read; with a
signed-in session it holds what that member may read, by the same predicates as the
pages. A restricted feed is a 404 rather than a login redirect: a feed reader cannot
log in, and the address should not tell a guest that the category exists.
"""

from __future__ import annotations

from flask import Response, abort, request
from flask_babel import gettext as _
from flask_login import current_user

from board.feeds import bp, service
from board.feeds.atom import CONTENT_TYPE, Entry, Feed
from board.forum.loaders import load_category_or_404, load_thread_or_404
from board.i18n import html_lang
from board.models import Post, Thread
from board.models.base import utcnow
from board.permissions import can_read_thread_feed, visible_category_ids
from board.urls import external_url


@bp.get("/feed.atom")
def site():
    """The newest threads of every category the requester may read."""
    threads = service.newest_threads(visible_category_ids(current_user))
    feed = _feed(
        _("Mreža: newest threads"),
        external_url("forum.index"),
        [_thread_entry(thread, post) for thread, post in threads],
        empty_updated=utcnow(),
    )
    return _respond(feed)


@bp.get("/c/<slug>/feed.atom")
def category(slug: str):
    """The newest threads of one category; 404 unless the requester may read it."""
    category = load_category_or_404(slug, guests_to_login=False)
    threads = service.newest_threads([category.id])
    feed = _feed(
        _("%(category)s: newest threads", category=category.name),
        external_url("forum.category", slug=category.slug),
        [_thread_entry(thread, post) for thread, post in threads],
        empty_updated=category.created_at,
        subtitle=category.description,
    )
    return _respond(feed)


@bp.get("/t/<int:thread_id>/feed.atom")
def thread(thread_id: int):
    """The newest public posts of one thread; 404 unless it is readable and public."""
    thread = load_thread_or_404(thread_id, guests_to_login=False)
    if not can_read_thread_feed(current_user, thread):
        abort(404)
    feed = _feed(
        thread.title,
        external_url("forum.thread", thread_id=thread.id),
        [_post_entry(thread, post) for post in service.newest_posts(thread)],
        empty_updated=thread.created_at,
    )
    return _respond(feed)


def _feed(title: str, alternate: str, entries: list[Entry], **details) -> Feed:
    return Feed(
        title=title,
        self_url=external_url(request.endpoint, **request.view_args),
        alternate=alternate,
        base=external_url("forum.index"),
        lang=html_lang(),
        entries=entries,
        **details,
    )


def _respond(feed: Feed) -> Response:
    return Response(feed.render(), content_type=CONTENT_TYPE)


def _thread_entry(thread: Thread, first: Post) -> Entry:
    """A thread in a listing feed: its title and opening post."""
    url = external_url("forum.thread", thread_id=thread.id)
    return Entry(
        id=url,
        title=thread.title,
        link=url,
        author=first.author.display_name,
        published=thread.created_at,
        updated=first.edited_at or first.created_at,
        content=first.body_html,
        category=(thread.category.slug, thread.category.name),
    )


def _post_entry(thread: Thread, post: Post) -> Entry:
    """A post in its thread's feed; replies are titled like replies in a mail client."""
    url = external_url("forum.permalink", post_id=post.id)
    return Entry(
        id=url,
        title=thread.title if post.is_first else _("Re: %(title)s", title=thread.title),
        link=url,
        author=post.author.display_name,
        published=post.created_at,
        updated=post.edited_at or post.created_at,
        content=post.body_html,
    )
