"""Categories, threads, posts and the revisions every edit leaves behind."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, ColumnElement, ForeignKey, Index, Integer, String, Text, and_
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from board.extensions import db
from board.models.base import UTCDateTime, utcnow
from board.models.users import Association, User

if TYPE_CHECKING:
    from board.models.documents import Document
    from board.models.places import Municipality

VISIBILITIES = ("public", "members", "association")


class Category(db.Model):
    """A place for threads, owned by an association whose moderators keep it."""

    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    guidelines: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    visibility: Mapped[str] = mapped_column(String(16), default="public")
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    association_id: Mapped[int | None] = mapped_column(
        ForeignKey("associations.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    association: Mapped[Association | None] = relationship()

    def __repr__(self) -> str:
        return f"<Category {self.slug!r}>"

    @property
    def url(self) -> str:
        return f"/c/{self.slug}"


class Thread(db.Model):
    """A discussion; its first post is the question, one reply may be the answer."""

    __tablename__ = "threads"

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_post_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    post_count: Mapped[int] = mapped_column(Integer, default=0)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    solved: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_reason: Mapped[str] = mapped_column(Text, default="")
    approved: Mapped[bool] = mapped_column(Boolean, default=True)
    municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey("municipalities.id", ondelete="SET NULL"), index=True
    )

    category: Mapped[Category] = relationship()
    author: Mapped[User] = relationship()
    municipality: Mapped[Municipality | None] = relationship()

    # Filled by listings for a signed-in reader (``forum.reading.with_unread``), in the
    # listing's own query; None elsewhere.
    unread_count: Mapped[int | None] = query_expression()
    first_unread_id: Mapped[int | None] = query_expression()
    never_opened: Mapped[bool | None] = query_expression()

    def __repr__(self) -> str:
        return f"<Thread {self.id} {self.title[:30]!r}>"

    @property
    def url(self) -> str:
        return f"/t/{self.id}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @hybrid_property
    def is_public(self) -> bool:
        """Whether every reader of the category sees the thread: approved and not hidden."""
        return self.approved and self.hidden_at is None

    @is_public.inplace.expression
    @classmethod
    def _is_public_expression(cls) -> ColumnElement[bool]:
        return and_(cls.approved, cls.hidden_at.is_(None))


class Post(db.Model):
    """One message; Markdown source and its sanitised HTML are stored side by side."""

    __tablename__ = "posts"
    # Covers the participation figures' scans of a period (board/stats): no table reads.
    __table_args__ = (
        Index(
            "ix_posts_figures",
            "created_at", "author_id", "approved", "deleted_at", "accepted", "thread_id",
        ),
    )  # fmt: skip

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    is_first: Mapped[bool] = mapped_column(Boolean, default=False)
    body_md: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved: Mapped[bool] = mapped_column(Boolean, default=True)
    accepted: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_reason: Mapped[str] = mapped_column(Text, default="")

    thread: Mapped[Thread] = relationship()
    author: Mapped[User] = relationship()
    revisions: Mapped[list[PostRevision]] = relationship(
        back_populates="post", order_by="PostRevision.id", cascade="all, delete-orphan"
    )
    documents: Mapped[list[Document]] = relationship(back_populates="post", order_by="Document.id")

    def __repr__(self) -> str:
        return f"<Post {self.id} t{self.thread_id}>"

    @property
    def url(self) -> str:
        return f"/p/{self.id}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @hybrid_property
    def is_public(self) -> bool:
        """Whether everyone who may read the thread may read this post; also usable in
        queries (``where(Post.is_public)``), so "a public post" is written only here."""
        return self.approved and self.deleted_at is None and self.hidden_at is None

    @is_public.inplace.expression
    @classmethod
    def _is_public_expression(cls) -> ColumnElement[bool]:
        return and_(cls.approved, cls.deleted_at.is_(None), cls.hidden_at.is_(None))

    @hybrid_property
    def is_queued(self) -> bool:
        """Waiting in a moderator's queue: not yet approved, rejected or deleted."""
        return not self.approved and self.deleted_at is None and self.hidden_at is None

    @is_queued.inplace.expression
    @classmethod
    def _is_queued_expression(cls) -> ColumnElement[bool]:
        return and_(cls.approved.is_(False), cls.deleted_at.is_(None), cls.hidden_at.is_(None))


class PostRevision(db.Model):
    """The text a post had before an edit, so edits stay accountable."""

    __tablename__ = "post_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    editor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body_md: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    post: Mapped[Post] = relationship(back_populates="revisions")
    editor: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<PostRevision {self.id} p{self.post_id}>"


class ThreadRead(db.Model):
    """How far a member has read a thread: one row per member and thread, not per post,
    so the table grows with what members open, not with what they read."""

    __tablename__ = "thread_reads"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    thread_id: Mapped[int] = mapped_column(
        ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    last_read_post_id: Mapped[int] = mapped_column(Integer, default=0)
    read_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<ThreadRead u{self.user_id} t{self.thread_id} p{self.last_read_post_id}>"
