"""What a moderator's queues and log hold: always scoped to the categories they moderate."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from board.extensions import db
from board.models import Category, Flag, ModerationAction, Post, Thread, User
from board.moderation.forms import LogFilters
from board.permissions import is_admin, moderated_category_ids


def open_flags(user: User) -> Select:
    """Unresolved reports on posts in the user's categories, newest first."""
    return (
        select(Flag)
        .join(Flag.post)
        .join(Post.thread)
        .where(Flag.resolved_at.is_(None), Thread.category_id.in_(moderated_category_ids(user)))
        .options(
            selectinload(Flag.user),
            selectinload(Flag.post).selectinload(Post.author),
            selectinload(Flag.post).selectinload(Post.thread).selectinload(Thread.category),
        )
        .order_by(Flag.created_at.desc(), Flag.id.desc())
    )


@dataclass
class ReportedPost:
    """One reported post with all its open reports: the moderator decides once for all."""

    post: Post
    flags: list[Flag] = field(default_factory=list)

    @property
    def first(self) -> Flag:
        """The oldest report (``by_post`` keeps them oldest first): its form settles
        every report on the post."""
        return self.flags[0]


def by_post(flags: list[Flag]) -> list[ReportedPost]:
    """Reports grouped by post, the post with the newest report first; each post's
    reports oldest first, in the order they arrived."""
    groups: dict[int, ReportedPost] = {}
    for flag in flags:
        groups.setdefault(flag.post_id, ReportedPost(flag.post)).flags.append(flag)
    for group in groups.values():
        group.flags.sort(key=lambda flag: (flag.created_at, flag.id))
    return list(groups.values())


def queued_posts(user: User) -> Select:
    """Posts awaiting approval (not yet rejected) in the user's categories, newest first."""
    return (
        select(Post)
        .join(Post.thread)
        .where(Post.is_queued, Thread.category_id.in_(moderated_category_ids(user)))
        .options(selectinload(Post.author), selectinload(Post.thread).selectinload(Thread.category))
        .order_by(Post.created_at.desc(), Post.id.desc())
    )


def audit_log(user: User) -> Select:
    """Audit lines the user may read: their categories', their own, or (admins) all."""
    query = select(ModerationAction).options(selectinload(ModerationAction.actor))
    if not is_admin(user):
        query = query.where(
            or_(
                ModerationAction.category_id.in_(moderated_category_ids(user)),
                ModerationAction.actor_id == user.id,
            )
        )
    return query.order_by(ModerationAction.created_at.desc(), ModerationAction.id.desc())


def filtered_log(query: Select, filters: LogFilters) -> Select:
    """The audit log narrowed to one actor (handle), action, category (slug) and days
    (``date_to`` included), the days as the board's clock reads them."""
    if filters.moderator:
        actor = select(User.id).where(User.handle == filters.moderator)
        query = query.where(ModerationAction.actor_id.in_(actor))
    if filters.action:
        query = query.where(ModerationAction.action == filters.action)
    if filters.category:
        category = select(Category.id).where(Category.slug == filters.category)
        query = query.where(ModerationAction.category_id.in_(category))
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])

    def start_of(day) -> datetime:
        return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)

    if filters.date_from:
        query = query.where(ModerationAction.created_at >= start_of(filters.date_from))
    if filters.date_to:
        query = query.where(ModerationAction.created_at < start_of(filters.date_to + timedelta(1)))
    return query


def log_people(user: User) -> list[tuple[str, str]]:
    """(handle, name) of everyone with a line in the user's audit log, for the filter."""
    actors = audit_log(user).order_by(None).with_only_columns(ModerationAction.actor_id)
    rows = db.session.execute(
        select(User.handle, User.display_name)
        .where(User.id.in_(actors))
        .order_by(User.display_name)
    )
    return [(handle, name) for handle, name in rows]


def log_categories(user: User) -> list[tuple[str, str]]:
    """(slug, name) of the categories whose lines the user may filter by."""
    rows = db.session.execute(
        select(Category.slug, Category.name)
        .where(Category.id.in_(moderated_category_ids(user)))
        .order_by(Category.position, Category.name)
    )
    return [(slug, name) for slug, name in rows]


def count(query: Select) -> int:
    """How many rows a queue holds, for the counts in the page header."""
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
