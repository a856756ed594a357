"""Forum use cases: every write (start a thread, reply, edit, delete, accept an answer,
keep the files of a refused form) is one function here. Each takes plain arguments (the
acting user, objects, plain values, file objects; never a request or a form), does the
whole use case (the post, its attachments, its audit line) and commits once, at its end.

Each use case ends with an "effects" step, just before the commit: audit lines and
notifications are recorded there, in the same transaction as the change. The search
outbox and the documents queue notice the changed rows by themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from board import effects
from board.audit import close_reports, notify, record
from board.documents import staging
from board.documents.service import Attachments, CheckedFile, attach_documents, store_uploads
from board.extensions import db
from board.models import (
    Category,
    Document,
    Municipality,
    Post,
    PostRevision,
    StagedUpload,
    Thread,
    User,
)
from board.models.base import utcnow
from board.permissions import (
    can_post_unreviewed,
    is_author,
    listed_posts,
    listed_threads,
    visible_category_ids,
)
from board.text.markup import render

NO_ATTACHMENTS = Attachments()


@dataclass
class CategorySummary:
    """A category with what the index page shows about it."""

    category: Category
    thread_count: int
    post_count: int
    last_activity: object


# Use cases ------------------------------------------------------------------------------


def start_thread(
    user: User,
    category: Category,
    title: str,
    body: str,
    attachments: Attachments = NO_ATTACHMENTS,
    *,
    municipality: Municipality | None = None,
    extend: Callable[[Post], object] | None = None,
) -> Post:
    """Open a thread with its first post and its documents (tagged with a place, if
    given); it may wait for approval."""
    store_uploads(list(attachments.files))  # before the write transaction (SQLite lock)
    approved = can_post_unreviewed(user, category)
    now = utcnow()
    thread = Thread(
        category=category,
        author=user,
        title=title.strip(),
        created_at=now,
        last_post_at=now,
        approved=approved,
        post_count=1 if approved else 0,
        municipality=municipality,
    )
    db.session.add(thread)
    post = _new_post(user, thread, body, is_first=True, approved=approved)
    _attach(user, post, attachments)
    db.session.flush()
    # Effects: watchers, mentioned members (or the moderators of a queued post) are told.
    effects.post_created(post)
    if extend is not None:  # a caller's part of the same use case (an initiative)
        extend(post)
    db.session.commit()
    return post


def reply(
    user: User,
    thread: Thread,
    body: str,
    attachments: Attachments = NO_ATTACHMENTS,
    *,
    extend: Callable[[Post], object] | None = None,
) -> Post:
    """Add a reply with its documents; an approved one bumps the thread's activity."""
    store_uploads(list(attachments.files))  # before the write transaction (SQLite lock)
    approved = can_post_unreviewed(user, thread.category)
    post = _new_post(user, thread, body, is_first=False, approved=approved)
    _attach(user, post, attachments)
    db.session.flush()
    if approved:
        refresh_thread(thread)
    # Effects: watchers, mentioned and quoted members (or moderators, if queued) are told.
    effects.post_created(post)
    if extend is not None:  # a caller's part of the same use case (a status change)
        extend(post)
    db.session.commit()
    return post


def edit_post(
    editor: User, post: Post, body: str, reason: str = "", *, title: str | None = None
) -> bool:
    """Change a post's text (the old text kept as a revision) and, for a first post, its
    thread's title. Someone else's post is edited with a reason: the edit is audited, its
    author told, and open reports on it are closed. False if nothing changed."""
    before_md = post.body_md
    changed = body != before_md
    if changed:
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
    renamed = title is not None and post.is_first and title.strip() != post.thread.title
    if renamed:
        post.thread.title = title.strip()
    # Effects: a moderator's edit of someone else's text leaves an audit line.
    if changed and not is_author(editor, post):
        record(
            editor,
            "edit_post",
            post,
            reason=reason,
            before={"body": before_md[:2000]},
            after={"body": post.body_md[:2000]},
        )
        notify(
            post.author, "post_edited", post.url, thread=post.thread.title, reason=reason.strip()
        )
        close_reports(editor, post, "edited")
    if changed:
        effects.post_edited(post, before_md)
    db.session.commit()
    return changed or renamed


def delete_post(user: User, post: Post) -> None:
    """Soft delete: the text goes, a placeholder stays so replies keep their context.
    An admin deleting someone else's post leaves an audit line and tells its author."""
    post.deleted_at = utcnow()
    if post.accepted:
        set_accepted(post.thread, None)
    refresh_thread(post.thread)
    # Effects: its notifications go; deleting someone else's post is audited.
    effects.post_hidden(post)
    if not is_author(user, post):
        record(
            user,
            "delete_post",
            post,
            before={"body": post.body_md[:2000]},
            after={"deleted": True},
        )
        notify(post.author, "post_deleted", post.url, thread=post.thread.title)
    db.session.commit()


def undo_delete(user: User, post: Post) -> None:
    """Bring back a post its author deleted a moment ago, as it was."""
    post.deleted_at = None
    refresh_thread(post.thread)
    # Effects: none; an author's own delete and its undoing leave no audit line.
    db.session.commit()


def accept_answer(user: User, post: Post) -> None:
    """Mark a reply as its thread's answer (replacing any other); a moderator doing it for
    the question's author leaves an audit line."""
    thread = post.thread
    previous = accepted_answer(user, thread)
    set_accepted(thread, post)
    # Effects: the reply's author is told; a moderator's choice is audited.
    effects.answer_accepted(post, user)
    if not is_author(user, thread):
        _record_accept(user, thread, post, previous)
    db.session.commit()


def unaccept_answer(user: User, post: Post) -> None:
    """Take back the answer mark from a reply; audited when a moderator does it."""
    thread = post.thread
    set_accepted(thread, None)
    # Effects: a moderator's choice is audited.
    if not is_author(user, thread):
        _record_accept(user, thread, None, post)
    db.session.commit()


def keep_uploads(
    user: User, files: Iterable[CheckedFile], dropped: Iterable[StagedUpload] = ()
) -> list[StagedUpload]:
    """A refused or previewed post form keeps the files that passed the checks (browsers
    never re-fill a file input): stage them, forget the removed and the expired ones."""
    staged = staging.stage_uploads(user, files, dropped)
    staging.forget_expired()
    db.session.commit()
    return staged


def _record_accept(user: User, thread: Thread, post: Post | None, previous: Post | None) -> None:
    record(
        user,
        "accept_answer" if post is not None else "unaccept_answer",
        thread,
        before={"post": previous.id if previous else None},
        after={"post": post.id if post else None},
    )


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


def _attach(user: User, post: Post, attachments: Attachments) -> None:
    """The post's documents: the files staged by an earlier refusal, then the new ones."""
    meta = attachments.meta
    staging.attach_staged(user, post, attachments.staged, meta, attachments.dropped)
    attach_documents(user, post, list(attachments.files), meta)


# Building blocks of the forum's and moderation's use cases (they do not commit) ---------


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
            Post.thread_id == thread.id, Post.is_public
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
            .where(Thread.category_id.in_(ids), Thread.is_public)
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
    query = select(Thread).where(Thread.category_id == category.id, listed_threads(user, category))
    query = query.options(selectinload(Thread.author))
    return query.order_by(Thread.pinned.desc(), Thread.last_post_at.desc(), Thread.id.desc())


def thread_posts(user: User | None, thread: Thread):
    """Posts shown on a thread page: pending ones only to their author and moderators.

    Deleted and hidden posts stay in the list as placeholders so the conversation keeps
    its shape; the template decides what of them to show through ``can_read_post``.
    """
    query = select(Post).where(Post.thread_id == thread.id, listed_posts(user, thread))
    query = query.options(
        selectinload(Post.author).selectinload(User.municipality),
        selectinload(Post.documents).defer(Document.text),  # extracted text: megabytes
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
