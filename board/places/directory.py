"""The members' directory: who is who, filtered by place, role and association."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from board.extensions import db
from board.models import Association, Entity, Membership, Municipality, Post, User

SORTS = ("helpful", "name")


@dataclass(frozen=True)
class DirectoryFilters:
    """Validated ``/people`` parameters (unknown values are dropped by the view)."""

    municipality: str = ""
    entity: str = ""
    function: str = ""
    association: str = ""
    q: str = ""
    sort: str = "helpful"


def accepted_answers():
    """Accepted answers per author, as a subquery to join."""
    return (
        select(Post.author_id, func.count(Post.id).label("accepted"))
        .where(Post.accepted, Post.deleted_at.is_(None), Post.hidden_at.is_(None))
        .group_by(Post.author_id)
        .subquery()
    )


def directory_query(viewer: User, filters: DirectoryFilters) -> Select:
    """Confirmed members who list themselves (and the viewer), with their accepted
    answers; ``db.paginate`` pages it."""
    answers = accepted_answers()
    accepted = func.coalesce(answers.c.accepted, 0).label("accepted")
    query = (
        select(User, accepted)
        .outerjoin(answers, answers.c.author_id == User.id)
        .where(User.confirmed_at.is_not(None), or_(User.in_directory, User.id == viewer.id))
        .options(selectinload(User.municipality), selectinload(User.mz))
    )
    if filters.municipality:
        query = query.join(Municipality, Municipality.id == User.municipality_id).where(
            Municipality.slug == filters.municipality
        )
    if filters.entity:
        entity_id = select(Entity.id).where(Entity.code == filters.entity).scalar_subquery()
        places = select(Municipality.id).where(Municipality.entity_id == entity_id)
        query = query.where(User.municipality_id.in_(places))
    if filters.function:
        query = query.where(User.function == filters.function)
    if filters.association:
        members = (
            select(Membership.user_id)
            .join(Association, Association.id == Membership.association_id)
            .where(Association.slug == filters.association)
        )
        query = query.where(User.id.in_(members))
    if filters.q:
        escaped = filters.q.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")
        query = query.where(User.display_name.ilike(f"%{escaped}%", escape="\\"))
    order = (User.display_name, User.id)
    if filters.sort == "helpful":
        order = (accepted.desc(), *order)
    return query.order_by(*order)


def associations() -> list[Association]:
    """Associations for the filter."""
    return list(db.session.scalars(select(Association).order_by(Association.name)))


@dataclass
class DirectoryPage:
    """One page of people with their accepted-answer counts, shaped for ``_pagination``."""

    rows: list[tuple[User, int]]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1

    def iter_pages(self, left_edge=1, left_current=2, right_current=3, right_edge=1):
        """Page numbers with ``None`` for gaps."""
        last = 0
        for n in range(1, self.pages + 1):
            near = self.page - left_current <= n < self.page + right_current
            if n <= left_edge or near or n > self.pages - right_edge:
                if last + 1 != n:
                    yield None
                yield n
                last = n


def directory_page(viewer: User, filters: DirectoryFilters, page: int, per_page: int = 30):
    """Two queries: the count, and the page's rows."""
    query = directory_query(viewer, filters)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    return DirectoryPage([(row[0], row[1]) for row in rows], total or 0, page, per_page)
