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

from sqlalchemy import JSON, Integer, Select, delete, insert, literal, select, union, update
from sqlalchemy.orm import aliased

from board.extensions import db
from board.models import Category, Flag, MailQueue, Notification, Post, Thread, User, Watch
from board.models.base import UTCDateTime, utcnow
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
        followers = _category_followers(post, readers, ("watching", "new_threads"), done)
        _fan_out(post, "new_thread", followers)
    else:
        _notify_replies(post, _thread_followers(post, readers, done))


def post_edited(post: Post, before_md: str) -> None:
    """An edit that adds ``@handle`` notifies that member, as Discourse does; members the
    post already mentioned (or notified of it) are not told twice. A queued post's
    mentions wait for its approval, which reads the edited text."""
    if not post.approved or post.deleted_at is not None:
        return
    db.session.flush()
    readers = notifiable_readers(post)
    if readers is None:
        return
    added = set(mentioned_handles(post.body_md)) - set(mentioned_handles(before_md))
    if not added:
        return
    ids = {user.id for user in users_by_handles(added).values()} - {post.author_id}
    told = set(
        db.session.scalars(
            select(Notification.user_id).where(
                Notification.post_id == post.id, Notification.kind.in_(("mention", "quote"))
            )
        )
    )
    fresh = set(db.session.scalars(select(User.id).where(User.id.in_(ids - told), readers)))
    _notify_each(post, "mention", fresh)


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
    """Tell the category's moderators (admins where nobody else moderates it) of a report."""
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


def _thread_followers(post: Post, readers, done: set[int]) -> Select:
    """Watching the thread, or watching its category without a thread level of their own
    (as a SELECT of user ids: fan-out never brings the ids into Python)."""
    by_thread = (
        select(User.id)
        .join(Watch, Watch.user_id == User.id)
        .where(Watch.thread_id == post.thread_id, Watch.level == "watching", readers)
        .where(User.id.not_in(sorted(done)))
    )
    own = aliased(Watch)
    own_level = select(own.id).where(own.thread_id == post.thread_id, own.user_id == User.id)
    own_level = own_level.exists()
    by_category = _category_followers(post, readers, ("watching",), done).where(~own_level)
    return union(by_thread, by_category)


def _category_followers(post: Post, readers, levels: tuple[str, ...], done: set[int]) -> Select:
    return (
        select(User.id)
        .join(Watch, Watch.user_id == User.id)
        .where(Watch.category_id == post.thread.category_id, Watch.level.in_(levels), readers)
        .where(User.id.not_in(sorted(done)))
    )


# Writing --------------------------------------------------------------------------------


def _notify_each(post: Post, kind: str, user_ids: set[int]) -> None:
    if user_ids:
        _insert(post, kind, sorted(user_ids), actor_id=post.author_id)


def _notify_replies(post: Post, recipients: Select) -> None:
    """One unread ``reply`` item per thread and member: later replies add to its count."""
    recipients = recipients.subquery()
    ids = select(recipients.c.id)
    unread = (
        Notification.kind == "reply",
        Notification.thread_id == post.thread_id,
        Notification.read_at.is_(None),
    )
    db.session.execute(
        update(Notification)
        .where(*unread, Notification.user_id.in_(ids))
        .values(count=Notification.count + 1, created_at=utcnow(), actor_id=post.author_id)
        .execution_options(synchronize_session=False)
    )
    has_unread = (
        select(Notification.id)
        .where(*unread, Notification.user_id == recipients.c.id)
        .correlate_except(Notification)  # not the INSERT's own table
    )
    fresh = select(recipients.c.id).where(~has_unread.exists())
    _insert_select(post, "reply", fresh, post.author_id)
    mailqueue.enqueue_select(
        post.thread_id, select(Notification.id, Notification.user_id).where(
            *unread, Notification.user_id.in_(ids)
        )
    )  # fmt: skip


def _fan_out(post: Post, kind: str, recipients: Select) -> None:
    """Notify (and queue mail for) every member the SELECT names, in two statements."""
    recipients = recipients.subquery()
    _insert_select(post, kind, select(recipients.c.id), post.author_id)
    mailqueue.enqueue_select(
        post.thread_id,
        select(Notification.id, Notification.user_id).where(
            Notification.post_id == post.id,
            Notification.kind == kind,
            Notification.user_id.in_(select(recipients.c.id)),
        ),
    )


def _insert_select(post: Post, kind: str, user_ids: Select, actor_id: int | None) -> None:
    """INSERT … SELECT: one notification per user id the query yields."""
    source = user_ids.subquery()
    columns = ["user_id", "kind", "params", "url", "created_at", "actor_id", "thread_id"]
    values = select(
        next(iter(source.c)),
        literal(kind),
        literal({}, JSON),
        literal(post.url),
        literal(utcnow(), UTCDateTime),
        literal(actor_id, Integer),
        literal(post.thread_id, Integer),
        literal(post.id, Integer),
        literal(1, Integer),
    )
    db.session.execute(insert(Notification).from_select([*columns, "post_id", "count"], values))


def _insert(post: Post, kind: str, user_ids: list[int], actor_id: int | None = None) -> None:
    """Notify a few members named by id (mentions, moderators, an author)."""
    if user_ids:
        ids = select(User.id).where(User.id.in_(user_ids))
        _insert_select(post, kind, ids, actor_id)
        mailqueue.enqueue_select(
            post.thread_id,
            select(Notification.id, Notification.user_id).where(
                Notification.post_id == post.id,
                Notification.kind == kind,
                Notification.user_id.in_(user_ids),
            ),
        )


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
