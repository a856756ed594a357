"""Participation figures, each one SQL aggregate; cells of fewer than five people are
suppressed so that no one's self-declared gender (or role, or place) can be inferred."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, Select, case, distinct, func, select
from sqlalchemy.orm import selectinload

from board.extensions import db
from board.models import (
    Category,
    Document,
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
    """One grouped query per table; the posts one yields three series in one scan."""
    month = _month(Post.created_at)
    posts = (
        select(
            month,
            func.count(distinct(Post.author_id)),
            func.count(Post.id),
            func.sum(case((Post.accepted, 1), else_=0)),
        )
        .where(*_public_posts(category_ids, start))
        .group_by(month)
    )
    thread_month = _month(Thread.created_at)
    thread_where = [Thread.created_at >= start, Thread.approved]
    if category_ids is not None:
        thread_where.append(Thread.category_id.in_(category_ids))
    document_month = _month(Document.created_at)
    document_where = [Document.created_at >= start]
    if category_ids is not None:
        scoped_posts = select(Post.id).where(Post.thread_id.in_(_scoped_threads(category_ids)))
        document_where.append(Document.post_id.in_(scoped_posts))
    member_month = _month(User.created_at)
    member_where = [User.created_at >= start, User.confirmed_at.is_not(None)]
    if category_ids is not None:
        owners = select(Category.association_id).where(Category.id.in_(category_ids))
        member_where.append(
            User.id.in_(select(Membership.user_id).where(Membership.association_id.in_(owners)))
        )
    return {
        "members": select(member_month, func.count(User.id)).where(*member_where).group_by(member_month),
        "posts": posts,
        "threads": select(thread_month, func.count(Thread.id)).where(*thread_where).group_by(thread_month),
        "documents": select(document_month, func.count(Document.id)).where(*document_where).group_by(document_month),
    }  # fmt: skip


def _active_groups(category_ids: list[int] | None, start: datetime) -> Select:
    """Everyone who posted in the period (and scope), counted by municipality, role and
    gender in one scan; the breakdowns are this table's margins."""
    # "+ 0" keeps SQLite's planner on the covering (created_at, …) index instead of
    # walking the author index over all time; PostgreSQL plans it the same either way.
    author = Post.author_id + 0
    active = select(distinct(author)).where(*_public_posts(category_ids, start))
    return (
        select(User.municipality_id, User.function, User.gender, func.count(User.id))
        .where(User.id.in_(active))
        .group_by(User.municipality_id, User.function, User.gender)
    )


def _margins(rows, places: dict[int, Municipality]) -> dict[str, dict[str, int]]:
    """Sum the grouped counts (a few hundred rows at most) along each dimension."""
    margins: dict[str, dict[str, int]] = {k: {} for k in ("entity", "canton", "function", "gender")}
    for municipality_id, function, gender, count in rows:
        place = places.get(municipality_id)
        keys = {
            "entity": place.entity.name if place else "",
            "canton": place.canton.name if place and place.canton else None,
            "function": function,
            "gender": gender,
        }
        for name, key in keys.items():
            if key is not None:
                margins[name][key] = margins[name].get(key, 0) + count
    return margins


def figures(category_ids: list[int] | None, months: int = 12) -> Figures:
    """The figures for a scope (None: the whole board) over the last ``months`` months."""
    keys = month_keys(months)
    start = _start(keys)
    monthly: dict[str, list[Cell]] = {}
    for name, query in _monthly_queries(category_ids, start).items():
        rows = {row[0]: row[1:] for row in db.session.execute(query).all()}
        if name == "posts":
            for i, series in enumerate(("active_posters", "posts", "accepted")):
                monthly[series] = [Cell(k, int(rows[k][i] or 0) if k in rows else 0) for k in keys]
        else:
            monthly[name] = [Cell(k, int(rows[k][0]) if k in rows else 0) for k in keys]
    for name in PEOPLE_SERIES:
        suppress(monthly[name], complementary=False)
    monthly = {name: monthly[name] for name in MONTHLY}
    places = {
        m.id: m
        for m in db.session.scalars(
            select(Municipality)
            .options(selectinload(Municipality.canton))
            .order_by(Municipality.name)
        )
    }
    rows = db.session.execute(_active_groups(category_ids, start)).all()
    margins = _margins(rows, places)
    breakdowns = {
        name: suppress([Cell(k, v) for k, v in sorted(counts.items(), key=lambda kv: -kv[1])])
        for name, counts in margins.items()
    }
    total = sum(row[3] for row in rows)
    women = next((c.value for c in breakdowns["gender"] if c.key == "woman"), 0)
    share = women / total if women is not None and total >= MIN_CELL else None
    active_places = {row[0] for row in rows}
    return Figures(
        months=keys,
        monthly=monthly,
        breakdowns=breakdowns,
        active_posters=total if total == 0 or total >= MIN_CELL else None,
        women_share=share,
        quiet_municipalities=[m for m in places.values() if m.id not in active_places],
    )
