"""Good-practice use cases: moderators mark and unmark threads, admins keep the tag lists."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, delete, select
from sqlalchemy.orm import defer, selectinload

from board.audit import record
from board.extensions import db
from board.models import Category, Post, Thread, User
from board.models.initiatives import Practice, PracticeTag
from board.permissions import visible_category_ids


def tags_for(category: Category) -> list[str]:
    """The category's tag list, alphabetical."""
    return list(
        db.session.scalars(
            select(PracticeTag.name)
            .where(PracticeTag.category_id == category.id)
            .order_by(PracticeTag.name)
        )
    )


def mark_practice(actor: User, thread: Thread, summary: str, tags: list[str]) -> Practice:
    """Mark (or re-describe) a thread as good practice; audited."""
    practice = db.session.scalar(select(Practice).where(Practice.thread_id == thread.id))
    joined = "|" + "|".join(sorted(set(tags))) + "|" if tags else ""
    if practice is None:
        practice = Practice(
            thread=thread, summary=summary.strip(), tags=joined, marked_by_id=actor.id
        )
        db.session.add(practice)
        record(actor, "practice_mark", thread, after={"summary": summary.strip(), "tags": tags})
    else:
        before = {"summary": practice.summary, "tags": practice.tag_list}
        practice.summary, practice.tags = summary.strip(), joined
        record(
            actor,
            "practice_edit",
            thread,
            before=before,
            after={"summary": summary.strip(), "tags": tags},
        )
    db.session.commit()
    return practice


def unmark_practice(actor: User, thread: Thread) -> bool:
    """Take the thread out of the collection; False when it was not in it."""
    practice = db.session.scalar(select(Practice).where(Practice.thread_id == thread.id))
    if practice is None:
        return False
    record(actor, "practice_unmark", thread, before={"summary": practice.summary})
    db.session.delete(practice)
    db.session.commit()
    return True


def set_tags(actor: User, category: Category, names: list[str]) -> None:
    """Replace a category's tag list (trimmed, without duplicates); audited."""
    wanted = sorted({name.strip()[:60] for name in names if name.strip() and "|" not in name})
    before = tags_for(category)
    if before == wanted:
        return
    db.session.execute(delete(PracticeTag).where(PracticeTag.category_id == category.id))
    db.session.add_all(PracticeTag(category_id=category.id, name=name) for name in wanted)
    record(actor, "practice_tags", category, before={"tags": before}, after={"tags": wanted})
    db.session.commit()


@dataclass(frozen=True)
class PracticeFilter:
    """The collection's filters, already validated."""

    category_id: int | None = None
    tag: str = ""
    place_id: int | None = None


def listing(user: User | None, filters: PracticeFilter) -> Select:
    """Good practice in threads ``user`` may read, newest first, with the opening post's
    documents loaded for the list."""
    query = (
        select(Practice)
        .join(Practice.thread)
        .where(
            Thread.category_id.in_(visible_category_ids(user)),
            Thread.approved,
            Thread.hidden_at.is_(None),
        )
        .options(
            selectinload(Practice.thread).selectinload(Thread.category),
            selectinload(Practice.thread).selectinload(Thread.municipality),
        )
        .order_by(Practice.created_at.desc(), Practice.id.desc())
    )
    if filters.category_id is not None:
        query = query.where(Thread.category_id == filters.category_id)
    if filters.tag:
        query = query.where(Practice.tags.contains(f"|{filters.tag}|", autoescape=True))
    if filters.place_id is not None:
        query = query.where(Thread.municipality_id == filters.place_id)
    return query


def documents_of(practices: list[Practice]) -> dict[int, list]:
    """The public documents of the practices' threads, by thread id, in one query."""
    from board.models import Document

    ids = [p.thread_id for p in practices]
    if not ids:
        return {}
    rows = db.session.execute(
        select(Post.thread_id, Document)
        .join(Document.post)
        .where(
            Post.thread_id.in_(ids),
            Post.approved,
            Post.deleted_at.is_(None),
            Post.hidden_at.is_(None),
        )
        .options(defer(Document.text))  # extracted text: megabytes
        .order_by(Document.id)
    )
    found: dict[int, list] = {}
    for thread_id, document in rows:
        found.setdefault(thread_id, []).append(document)
    return found
