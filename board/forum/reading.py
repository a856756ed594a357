"""What a member has read: one ``ThreadRead`` row per member and thread holds the last
post they were shown, and listings count what came after it in their own query.

A thread the member never opened counts from the day they joined, so a new member sees
what happens from then on as new, not the whole history of the board.
"""

from __future__ import annotations

from sqlalchemy import Select, and_, delete, func, insert, literal, or_, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import with_expression

from board.errors import database_busy
from board.extensions import db
from board.models import Category, Post, Thread, ThreadRead, User
from board.models.base import UTCDateTime, utcnow
from board.permissions import listed_threads


def _tracked(user: User | None) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", False))


def with_unread(query: Select, user: User | None) -> Select:
    """A thread listing that also fills each thread's ``unread_count``, ``first_unread_id``
    and ``never_opened`` for ``user``: correlated subqueries in the same statement, so a
    page of threads stays one query. Guests get the listing unchanged."""
    if not _tracked(user):
        return query
    read = and_(ThreadRead.thread_id == Thread.id, ThreadRead.user_id == user.id)
    unread = (
        Post.thread_id == Thread.id,
        Post.is_public,
        Post.author_id != user.id,
        Post.id > func.coalesce(ThreadRead.last_read_post_id, 0),
        or_(ThreadRead.user_id.is_not(None), Post.created_at > user.created_at),
    )
    count = select(func.count(Post.id)).where(*unread).scalar_subquery()
    first = select(func.min(Post.id)).where(*unread).scalar_subquery()
    return query.outerjoin(ThreadRead, read).options(
        with_expression(Thread.unread_count, count),
        with_expression(Thread.first_unread_id, first),
        with_expression(Thread.never_opened, ThreadRead.user_id.is_(None)),
    )


def mark_read(user: User, thread: Thread, last_post_id: int) -> None:
    """Remember that ``user`` was shown ``thread`` up to ``last_post_id`` (the last post of
    the page they viewed). Reading an earlier page never moves the mark back."""
    row = db.session.get(ThreadRead, (user.id, thread.id))
    if row is None:
        db.session.add(
            ThreadRead(
                user_id=user.id,
                thread_id=thread.id,
                last_read_post_id=last_post_id,
                read_at=utcnow(),
            )
        )
    elif row.last_read_post_id < last_post_id:
        row.last_read_post_id = last_post_id
        row.read_at = utcnow()
    else:
        return
    try:
        db.session.commit()
    except IntegrityError:  # the same member in two tabs: the other request wrote the row
        db.session.rollback()
    except OperationalError as error:
        # The page is already rendered: a database busy with others' writes must not
        # turn a read into a 503. The mark moves on at the next view.
        db.session.rollback()
        if not database_busy(error):
            raise


def mark_category_read(user: User, category: Category) -> None:
    """Mark every thread of the category that ``user`` sees there read, up to its last
    post: two statements whatever the number of threads."""
    listed = select(Thread.id).where(
        Thread.category_id == category.id, listed_threads(user, category)
    )
    latest = select(func.max(Post.id)).where(Post.thread_id == Thread.id).scalar_subquery()
    db.session.execute(
        delete(ThreadRead).where(ThreadRead.user_id == user.id, ThreadRead.thread_id.in_(listed))
    )
    rows = select(
        literal(user.id),
        Thread.id,
        func.coalesce(latest, 0),
        literal(utcnow(), UTCDateTime()),
    ).where(Thread.category_id == category.id, listed_threads(user, category))
    db.session.execute(
        insert(ThreadRead).from_select(
            ["user_id", "thread_id", "last_read_post_id", "read_at"], rows
        )
    )
    db.session.commit()
