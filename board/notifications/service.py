"""Who hears of what. Hooks called by the forum and moderation use cases record
notifications (and their mail) in the caller's transaction; they never commit.

Fan-out is a handful of set-based statements whatever the number of watchers: the
readers are filtered in SQL (``permissions.notifiable_readers``), rows are inserted in
one ``executemany``, and the mail is only a queue row per recipient, rendered and sent
after the commit (``board.notifications.mailqueue``).
"""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import delete, insert, select, update

from board.extensions import db
from board.models import Category, Flag, MailQueue, Notification, Post, Thread, User, Watch
from board.models.base import utcnow
from board.notifications import mailqueue
from board.notifications.handles import users_by_handles
from board.permissions import (
    can_read_post,
    moderator_ids_for,
    notifiable_readers,
)
from board.text.markup import mentioned_handles

POST_KINDS = ("reply", "new_thread", "mention", "quote", "accepted")
MAIL_GAP = timedelta(minutes=10)
_QUOTED = re.compile(r"^\s{0,3}>\s?(.*\S.*)$", re.M)


# Watching -------------------------------------------------------------------------------


def _watch(user: User, *, thread: Thread | None = None, category: Category | None = None):
    column, target = (
        (Watch.thread_id, thread) if thread is not None else (Watch.category_id, category)
    )
    return db.session.scalar(select(Watch).where(Watch.user_id == user.id, column == target.id))


def thread_level(user: User | None, thread: Thread) -> str:
    """The member's level for a thread (``normal`` when they never chose)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return "normal"
    watch = _watch(user, thread=thread)
    return watch.level if watch else "normal"


def category_level(user: User | None, category: Category) -> str:
    """The member's level for a category (``normal`` when they never chose)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return "normal"
    watch = _watch(user, category=category)
    return watch.level if watch else "normal"


def set_level(
    user: User, level: str, *, thread: Thread | None = None, category: Category | None = None
) -> None:
    """Choose how closely to follow a thread or a category; commits."""
    watch = _watch(user, thread=thread, category=category)
    if watch is None:
        watch = Watch(
            user_id=user.id,
            thread_id=thread.id if thread is not None else None,
            category_id=category.id if category is not None else None,
        )
        db.session.add(watch)
    watch.level = level
    db.session.commit()


def watch_own(user: User, thread: Thread) -> None:
    """Starting or replying watches the thread, unless the member chose a level already."""
    db.session.flush()
    if _watch(user, thread=thread) is None:
        db.session.add(Watch(user_id=user.id, thread_id=thread.id, level="watching"))


# Hooks ----------------------------------------------------------------------------------


def post_created(post: Post) -> None:
    """After a start or a reply (before the commit): watch, then notify or queue."""
    watch_own(post.author, post.thread)
    if post.approved:
        post_published(post)
    else:
        post_queued(post)


def post_published(post: Post) -> None:
    """A post became readable by everyone: mentions, quotes, watchers, category followers."""
    db.session.flush()
    readers = notifiable_readers(post)
    if readers is None:
        return
    done: set[int] = {post.author_id}
    mentioned = _mentioned_ids(post, readers) - done
    _notify_each(post, "mention", mentioned)
    done |= mentioned
    quoted = _quoted_author_ids(post, readers) - done
    _notify_each(post, "quote", quoted)
    done |= quoted
    if post.is_first:
        followers = _category_followers(post, readers, ("watching", "new_threads")) - done
        _notify_each(post, "new_thread", followers)
    else:
        _notify_replies(post, _thread_followers(post, readers) - done)


def post_approved(post: Post) -> None:
    """A queued post was let through: its queue notices are done, the others may start."""
    _clear_queue_notices(post)
    post_published(post)


def post_hidden(post: Post) -> None:
    """A post hidden, rejected or deleted: what it caused disappears, mail included."""
    _clear_queue_notices(post)
    ids = list(
        db.session.scalars(
            select(Notification.id).where(
                Notification.post_id == post.id, Notification.kind.in_((*POST_KINDS, "queue"))
            )
        )
    )
    _withdraw(ids)


def thread_hidden(thread: Thread) -> None:
    """A whole thread hidden: every notification about its posts goes."""
    ids = list(
        db.session.scalars(
            select(Notification.id).where(
                Notification.thread_id == thread.id, Notification.kind.in_(POST_KINDS)
            )
        )
    )
    _withdraw(ids)


def answer_accepted(post: Post, actor: User) -> None:
    """Tell the reply's author that it was marked as the answer."""
    if actor.id != post.author_id and post.is_public and can_read_post(post.author, post):
        _insert(post, "accepted", [post.author_id], actor_id=actor.id)


def flag_raised(flag: Flag) -> None:
    """Tell the category's moderators (admins where no association owns it) of a report."""
    post = flag.post
    ids = set(moderator_ids_for(post.thread.category)) - {flag.user_id}
    _insert(post, "flag", sorted(ids), actor_id=flag.user_id)


def post_queued(post: Post) -> None:
    """A post waits for approval: its category's moderators hear of it."""
    ids = set(moderator_ids_for(post.thread.category)) - {post.author_id}
    _insert(post, "queue", sorted(ids))


# Recipients -----------------------------------------------------------------------------


def _mentioned_ids(post: Post, readers) -> set[int]:
    handles = set(mentioned_handles(post.body_md))
    if not handles:
        return set()
    ids = {user.id for user in users_by_handles(handles).values()}
    return set(db.session.scalars(select(User.id).where(User.id.in_(ids), readers)))


def _quoted_author_ids(post: Post, readers) -> set[int]:
    """Authors whose words the post quotes (a quoted line found in their post here)."""
    lines = [line.strip() for line in _QUOTED.findall(post.body_md) if len(line.strip()) >= 12]
    if not lines:
        return set()
    earlier = db.session.execute(
        select(Post.author_id, Post.body_md)
        .where(
            Post.thread_id == post.thread_id, Post.id != post.id, Post.author_id != post.author_id
        )
        .order_by(Post.id.desc())
        .limit(200)
    ).all()
    authors = {author for author, body in earlier if any(line in body for line in lines[:5])}
    if not authors:
        return set()
    return set(db.session.scalars(select(User.id).where(User.id.in_(authors), readers)))


def _thread_followers(post: Post, readers) -> set[int]:
    """Watching the thread, or watching its category without a thread level of their own."""
    thread_rows = dict(
        db.session.execute(
            select(Watch.user_id, Watch.level).where(Watch.thread_id == post.thread_id)
        ).all()
    )
    watching = {uid for uid, level in thread_rows.items() if level == "watching"}
    by_category = _category_followers(post, readers, ("watching",)) - set(thread_rows)
    if not watching:
        return by_category
    allowed = set(db.session.scalars(select(User.id).where(User.id.in_(watching), readers)))
    return allowed | by_category


def _category_followers(post: Post, readers, levels: tuple[str, ...]) -> set[int]:
    query = (
        select(User.id)
        .join(Watch, Watch.user_id == User.id)
        .where(Watch.category_id == post.thread.category_id, Watch.level.in_(levels), readers)
    )
    return set(db.session.scalars(query))


# Writing --------------------------------------------------------------------------------


def _notify_each(post: Post, kind: str, user_ids: set[int]) -> None:
    if user_ids:
        _insert(post, kind, sorted(user_ids), actor_id=post.author_id)


def _notify_replies(post: Post, user_ids: set[int]) -> None:
    """One unread ``reply`` item per thread and member: later replies add to its count."""
    if not user_ids:
        return
    now = utcnow()
    collapsed = dict(
        db.session.execute(
            update(Notification)
            .where(
                Notification.kind == "reply",
                Notification.thread_id == post.thread_id,
                Notification.read_at.is_(None),
                Notification.user_id.in_(sorted(user_ids)),
            )
            .values(count=Notification.count + 1, created_at=now, actor_id=post.author_id)
            .returning(Notification.user_id, Notification.id)
            .execution_options(synchronize_session=False)
        ).all()
    )
    if collapsed:
        mailqueue.enqueue_notifications(post.thread_id, collapsed)
    fresh = sorted(user_ids - set(collapsed))
    if fresh:
        _insert(post, "reply", fresh, actor_id=post.author_id)


def _insert(post: Post, kind: str, user_ids: list[int], actor_id: int | None = None) -> None:
    """Insert one notification per member in one statement, then queue their mail."""
    if not user_ids:
        return
    now = utcnow()
    rows = [
        {
            "user_id": uid, "kind": kind, "params": {}, "url": post.url, "created_at": now,
            "actor_id": actor_id, "thread_id": post.thread_id, "post_id": post.id, "count": 1,
        }
        for uid in user_ids
    ]  # fmt: skip
    created = db.session.execute(
        insert(Notification).returning(Notification.id, Notification.user_id), rows
    ).all()
    mailqueue.enqueue_notifications(post.thread_id, dict((uid, nid) for nid, uid in created))


def _clear_queue_notices(post: Post) -> None:
    db.session.execute(
        update(Notification)
        .where(
            Notification.post_id == post.id,
            Notification.kind == "queue",
            Notification.read_at.is_(None),
        )
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def _withdraw(ids: list[int]) -> None:
    if not ids:
        return
    db.session.execute(
        update(MailQueue)
        .where(MailQueue.notification_id.in_(ids), MailQueue.status == "queued")
        .values(status="skipped", last_error="withdrawn")
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        delete(Notification)
        .where(Notification.id.in_(ids))
        .execution_options(synchronize_session=False)
    )
