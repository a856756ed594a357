"""Search state in the database: the outbox, and the PostgreSQL backend's entries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Index, Integer, String, Text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from board.extensions import db
from board.models.base import UTCDateTime, utcnow


class SearchOutbox(db.Model):
    """A pending index change; a row lives until the index has taken it."""

    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(16))
    entity_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")

    def __repr__(self) -> str:
        return f"<SearchOutbox {self.entity}:{self.entity_id}>"


class SearchEntry(db.Model):
    """One indexed unit of the PostgreSQL search backend (``postgres_backend``).

    It mirrors ``SearchDoc`` so filters run in SQL. ``terms`` is a ``tsvector`` of the
    shared BCS analysis on PostgreSQL; SQLite keeps a plain, unused table so one
    migration chain and one metadata serve both databases.
    """

    __tablename__ = "search_entries"
    __table_args__ = (Index("ix_search_entries_terms", "terms", postgresql_using="gin"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    type: Mapped[str] = mapped_column(String(16))
    version: Mapped[str] = mapped_column(String(64))
    thread_id: Mapped[int] = mapped_column(Integer)
    post_id: Mapped[int] = mapped_column(Integer)
    category_id: Mapped[int] = mapped_column(Integer, index=True)
    author_id: Mapped[int] = mapped_column(Integer, index=True)
    author: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    is_first: Mapped[bool] = mapped_column(Boolean, default=False)
    accepted: Mapped[bool] = mapped_column(Boolean, default=False)
    solved: Mapped[bool] = mapped_column(Boolean, default=False)
    document_id: Mapped[int | None] = mapped_column(Integer, index=True)
    page: Mapped[int | None] = mapped_column(Integer)
    doc_type: Mapped[str] = mapped_column(String(32), default="")
    title: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")  # capped: snippets only
    terms: Mapped[str | None] = mapped_column(Text().with_variant(TSVECTOR(), "postgresql"))

    def __repr__(self) -> str:
        return f"<SearchEntry {self.id}>"
