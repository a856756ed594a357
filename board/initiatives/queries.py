"""Reading initiatives: the thread page's block, support counts, the listing, and the
thread ids search narrows to. Queries only; nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import selectinload

from board.extensions import db
from board.models import Thread, User
from board.models.base import utcnow
from board.models.initiatives import Initiative, InitiativeEvent, Practice, Support
from board.permissions import visible_category_ids


@dataclass(frozen=True)
class Counts:
    """How many members, MZs (signing as councils) and municipalities support it."""

    members: int = 0
    mzs: int = 0
    municipalities: int = 0


@dataclass
class ThreadBlock:
    """What the thread page shows above the conversation: the initiative (with its
    supporters, counts and history) and the good-practice summary, either may be None."""

    initiative: Initiative | None = None
    practice: Practice | None = None
    counts: Counts = field(default_factory=Counts)
    supporters: list[Support] = field(default_factory=list)
    events: list[InitiativeEvent] = field(default_factory=list)
    own_support: Support | None = None


def _count_columns():
    return (
        func.count(Support.id).label("members"),
        func.count(func.distinct(case((Support.on_behalf == "mz", Support.mz_id)))).label("mzs"),
        func.count(func.distinct(Support.municipality_id)).label("municipalities"),
    )


def counts_for(initiative_ids: list[int]) -> dict[int, Counts]:
    """Support counts of many initiatives in one query."""
    if not initiative_ids:
        return {}
    rows = db.session.execute(
        select(Support.initiative_id, *_count_columns())
        .where(Support.initiative_id.in_(initiative_ids))
        .group_by(Support.initiative_id)
    )
    return {row.initiative_id: Counts(row.members, row.mzs, row.municipalities) for row in rows}


def supporters(initiative: Initiative) -> list[Support]:
    """Everyone who signed, councils first, then in signing order."""
    return list(
        db.session.scalars(
            select(Support)
            .where(Support.initiative_id == initiative.id)
            .options(
                selectinload(Support.user),
                selectinload(Support.mz),
                selectinload(Support.municipality),
            )
            .order_by((Support.on_behalf == "mz").desc(), Support.id)
        )
    )


# Reading --------------------------------------------------------------------------------


def initiative_for(thread: Thread) -> Initiative | None:
    """The thread's initiative, if it is one."""
    return db.session.scalar(select(Initiative).where(Initiative.thread_id == thread.id))


def thread_block(user: User | None, thread: Thread) -> ThreadBlock:
    """Everything the thread page's initiative and practice block needs, in a fixed
    number of queries (two for an ordinary thread)."""
    block = ThreadBlock(
        initiative=initiative_for(thread),
        practice=db.session.scalar(select(Practice).where(Practice.thread_id == thread.id)),
    )
    initiative = block.initiative
    if initiative is None:
        return block
    block.supporters = supporters(initiative)
    block.counts = counts_for([initiative.id]).get(initiative.id, Counts())
    block.events = list(
        db.session.scalars(
            select(InitiativeEvent)
            .where(InitiativeEvent.initiative_id == initiative.id)
            .options(selectinload(InitiativeEvent.actor))
            .order_by(InitiativeEvent.id)
        )
    )
    if user is not None and user.is_authenticated:
        block.own_support = next((s for s in block.supporters if s.user_id == user.id), None)
    return block


@dataclass(frozen=True)
class InitiativeFilter:
    """The listing's filters, already validated."""

    status: str = ""
    level: str = ""
    place_id: int | None = None
    sort: str = "new"


def listing(user: User | None, filters: InitiativeFilter) -> Select:
    """Initiatives in threads ``user`` may read (public, approved ones); the page's counts
    come from ``counts_for`` (one more query)."""
    counts = (
        select(Support.initiative_id.label("iid"), func.count(Support.id).label("members"))
        .group_by(Support.initiative_id)
        .subquery()
    )
    query = (
        select(Initiative)
        .join(Initiative.thread)
        .outerjoin(counts, counts.c.iid == Initiative.id)
        .where(
            Thread.category_id.in_(visible_category_ids(user)),
            Thread.approved,
            Thread.hidden_at.is_(None),
        )
        .options(selectinload(Initiative.thread).selectinload(Thread.municipality))
    )
    if filters.status:
        query = query.where(Initiative.status == filters.status)
    if filters.level:
        query = query.where(Initiative.level == filters.level)
    if filters.place_id is not None:
        query = query.where(Thread.municipality_id == filters.place_id)
    if filters.sort == "support":
        members = func.coalesce(counts.c.members, 0)
        return query.order_by(members.desc(), Initiative.id.desc())
    return query.order_by(Initiative.created_at.desc(), Initiative.id.desc())


def days_since(moment: datetime | None) -> int | None:
    """Whole days from ``moment`` to now ("submitted 94 days ago")."""
    if moment is None:
        return None
    return (utcnow() - moment).days


def kinds_of(thread_ids_: list[int]) -> dict[int, list[str]]:
    """For search results: each thread's initiative status and good-practice mark, as
    labels, in two queries however many results."""
    from board.initiatives.labels import STATUS_LABELS

    if not thread_ids_:
        return {}
    found: dict[int, list[str]] = {}
    for thread_id, status in db.session.execute(
        select(Initiative.thread_id, Initiative.status).where(Initiative.thread_id.in_(thread_ids_))
    ):
        found.setdefault(thread_id, []).append(
            _("Initiative: %(status)s", status=STATUS_LABELS[status])
        )
    for thread_id in db.session.scalars(
        select(Practice.thread_id).where(Practice.thread_id.in_(thread_ids_))
    ):
        found.setdefault(thread_id, []).append(_("Good practice"))
    return found
