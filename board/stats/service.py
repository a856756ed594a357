"""Participation figures, each one SQL aggregate; cells of fewer than five people are
suppressed so that no one's self-declared gender (or role, or place) can be inferred."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, Select, and_, distinct, func, select

from board.extensions import db
from board.models import (
    Canton,
    Category,
    Document,
    Entity,
    Membership,
    Municipality,
    Post,
    Thread,
    User,
)

MIN_CELL = 5  # fewer people than this in a cell: shown as "<5"
PERIODS = (3, 6, 12, 24, 36)
MONTHLY = ("members", "active_posters", "threads", "posts", "accepted", "documents")
PEOPLE_SERIES = {"members", "active_posters"}


@dataclass
class Cell:
    """One figure; ``value`` is None when it is suppressed."""

    key: str
    value: int | None
    label: str = ""

    @property
    def suppressed(self) -> bool:
        return self.value is None


@dataclass
class Figures:
    """Everything ``/admin/stats`` shows, for one scope and period."""

    months: list[str]
    monthly: dict[str, list[Cell]]
    breakdowns: dict[str, list[Cell]]
    active_posters: int | None
    women_share: float | None  # None: suppressed (fewer than five women or posters)
    quiet_municipalities: list[Municipality] = field(default_factory=list)


def suppress(cells: list[Cell], *, complementary: bool = True) -> list[Cell]:
    """Hide counts of 1–4 people; when exactly one cell of a breakdown is hidden, the
    next smallest is hidden too, so the total cannot give it away (a monthly series has
    no total, so it needs no ``complementary`` hiding)."""
    hidden = [c for c in cells if c.value is not None and 0 < c.value < MIN_CELL]
    for cell in hidden:
        cell.value = None
    if complementary and len(hidden) == 1:
        rest = sorted((c for c in cells if c.value), key=lambda c: c.value)
        if rest:
            rest[0].value = None
    return cells


def _month(column) -> ColumnElement[str]:
    """``YYYY-MM`` of a timestamp, in the database's own dialect."""
    if db.engine.dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM")
    return func.strftime("%Y-%m", column)


def month_keys(months: int, now: datetime | None = None) -> list[str]:
    """The last ``months`` months, oldest first, as ``YYYY-MM``."""
    now = now or datetime.now(UTC)
    year, month = now.year, now.month
    keys = []
    for _ in range(months):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return keys[::-1]


def _start(keys: list[str]) -> datetime:
    year, month = (int(x) for x in keys[0].split("-"))
    return datetime(year, month, 1, tzinfo=UTC)


def _public_posts(category_ids: list[int] | None, start: datetime) -> list[ColumnElement]:
    conditions = [Post.created_at >= start, Post.approved, Post.deleted_at.is_(None)]
    if category_ids is not None:
        conditions.append(Post.thread_id.in_(_scoped_threads(category_ids)))
    return conditions


def _scoped_threads(category_ids: list[int]) -> Select:
    return select(Thread.id).where(Thread.category_id.in_(category_ids))


def _monthly_queries(category_ids: list[int] | None, start: datetime) -> dict[str, Select]:
    posts = _public_posts(category_ids, start)
    month = _month(Post.created_at)
    thread_month = _month(Thread.created_at)
    thread_where = [Thread.created_at >= start, Thread.approved]
    if category_ids is not None:
        thread_where.append(Thread.category_id.in_(category_ids))
    document_month = _month(Document.created_at)
    document_where = [Document.created_at >= start]
    if category_ids is not None:
        document_where.append(
            Document.post_id.in_(
                select(Post.id).where(Post.thread_id.in_(_scoped_threads(category_ids)))
            )
        )
    member_month = _month(User.created_at)
    member_where = [User.created_at >= start, User.confirmed_at.is_not(None)]
    if category_ids is not None:
        owners = select(Category.association_id).where(Category.id.in_(category_ids))
        member_where.append(
            User.id.in_(select(Membership.user_id).where(Membership.association_id.in_(owners)))
        )
    return {
        "members": select(member_month, func.count(User.id)).where(*member_where).group_by(member_month),
        "active_posters": select(month, func.count(distinct(Post.author_id))).where(*posts).group_by(month),
        "threads": select(thread_month, func.count(Thread.id)).where(*thread_where).group_by(thread_month),
        "posts": select(month, func.count(Post.id)).where(*posts).group_by(month),
        "accepted": select(month, func.count(Post.id)).where(*posts, Post.accepted).group_by(month),
        "documents": select(document_month, func.count(Document.id)).where(*document_where).group_by(document_month),
    }  # fmt: skip


def _active_authors(category_ids: list[int] | None, start: datetime) -> Select:
    """The ids of everyone who posted in the period (and scope), as a subquery."""
    return select(distinct(Post.author_id).label("id")).where(*_public_posts(category_ids, start))


def _breakdown_queries(active) -> dict[str, Select]:
    people = select(User).where(User.id.in_(select(active.c.id))).subquery()
    place = (
        select(people.c.id, Municipality.entity_id, Municipality.canton_id)
        .select_from(people)
        .outerjoin(Municipality, Municipality.id == people.c.municipality_id)
        .subquery()
    )
    return {
        "entity": select(func.coalesce(Entity.name, ""), func.count(place.c.id))
        .select_from(place)
        .outerjoin(Entity, Entity.id == place.c.entity_id)
        .group_by(Entity.name),
        "canton": select(Canton.name, func.count(place.c.id))
        .select_from(place)
        .join(Canton, Canton.id == place.c.canton_id)
        .group_by(Canton.name),
        "function": select(people.c.function, func.count(people.c.id)).group_by(people.c.function),
        "gender": select(people.c.gender, func.count(people.c.id)).group_by(people.c.gender),
    }


def figures(category_ids: list[int] | None, months: int = 12) -> Figures:
    """The figures for a scope (None: the whole board) over the last ``months`` months."""
    keys = month_keys(months)
    start = _start(keys)
    monthly = {}
    for name, query in _monthly_queries(category_ids, start).items():
        counts = dict(db.session.execute(query).all())
        cells = [Cell(k, int(counts.get(k, 0))) for k in keys]
        people = name in PEOPLE_SERIES
        monthly[name] = suppress(cells, complementary=False) if people else cells
    active = _active_authors(category_ids, start).subquery()
    breakdowns = {}
    for name, query in _breakdown_queries(active).items():
        rows = db.session.execute(query).all()
        breakdowns[name] = suppress([Cell(str(k or ""), int(v)) for k, v in rows])
    total = db.session.scalar(select(func.count()).select_from(active)) or 0
    women = next((c.value for c in breakdowns["gender"] if c.key == "woman"), 0)
    share = women / total if women is not None and total >= MIN_CELL else None
    quiet = db.session.scalars(
        select(Municipality)
        .where(
            ~Municipality.id.in_(
                select(User.municipality_id).where(
                    and_(User.id.in_(select(active.c.id)), User.municipality_id.is_not(None))
                )
            )
        )
        .order_by(Municipality.name)
    ).all()
    return Figures(
        months=keys,
        monthly=monthly,
        breakdowns=breakdowns,
        active_posters=total if total == 0 or total >= MIN_CELL else None,
        women_share=share,
        quiet_municipalities=list(quiet),
    )
