"""Joint initiatives to higher levels of government, their supporters and their history,
and the good-practice collection."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from board.extensions import db
from board.models.base import UTCDateTime, utcnow
from board.models.forum import Category, Post, Thread
from board.models.places import LocalCommunity, Municipality
from board.models.users import User

LEVELS = ("municipality", "canton", "entity", "brcko", "state", "professional", "international")
STATUSES = ("draft", "open", "submitted", "answered", "closed")
OUTCOMES = ("adopted", "partly", "rejected", "no_answer")
ON_BEHALF = ("self", "mz")
TRANSITIONS = {
    "draft": ("open",),
    "open": ("draft", "submitted", "closed"),
    "submitted": ("answered", "closed"),
    "answered": ("closed",),
    "closed": (),
}
"""The status machine: draft → open → submitted → answered → closed (with an outcome).
An open initiative may go back to draft for changes, or close (withdrawn, overtaken);
a submitted one may close without an answer."""


coauthors_table = Table(
    "initiative_coauthors",
    db.metadata,
    Column(
        "initiative_id",
        Integer,
        ForeignKey("initiatives.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)
"""Members the author names as co-authors: they edit the draft and may open it."""


class Initiative(db.Model):
    """The structured part of a thread that turns a discussion into a common position."""

    __tablename__ = "initiatives"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(
        ForeignKey("threads.id", ondelete="CASCADE"), unique=True
    )
    level: Mapped[str] = mapped_column(String(16))
    addressee: Mapped[str] = mapped_column(String(200))
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="draft", index=True)
    outcome: Mapped[str | None] = mapped_column(String(12))
    reference: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    thread: Mapped[Thread] = relationship()
    coauthors: Mapped[list[User]] = relationship(secondary=coauthors_table, order_by=User.id)

    def __repr__(self) -> str:
        return f"<Initiative {self.id} t{self.thread_id} {self.status}>"

    @property
    def url(self) -> str:
        return f"/t/{self.thread_id}"


class Support(db.Model):
    """One member's signature; the unique constraint keeps it to one per member even when
    the button is pressed twice at once."""

    __tablename__ = "initiative_supports"
    __table_args__ = (UniqueConstraint("initiative_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiatives.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    on_behalf: Mapped[str] = mapped_column(String(8), default="self")
    function: Mapped[str] = mapped_column(String(20), default="other")  # as at signing
    mz_id: Mapped[int | None] = mapped_column(
        ForeignKey("local_communities.id", ondelete="SET NULL")
    )
    municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey("municipalities.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()
    mz: Mapped[LocalCommunity | None] = relationship()
    municipality: Mapped[Municipality | None] = relationship()

    def __repr__(self) -> str:
        return f"<Support i{self.initiative_id} u{self.user_id} {self.on_behalf}>"


class InitiativeEvent(db.Model):
    """A dated step in an initiative's history, shown on its thread."""

    __tablename__ = "initiative_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiatives.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    from_status: Mapped[str] = mapped_column(String(12), default="")
    to_status: Mapped[str] = mapped_column(String(12))
    outcome: Mapped[str | None] = mapped_column(String(12))
    reference: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    initiative: Mapped[Initiative] = relationship()
    actor: Mapped[User | None] = relationship()
    post: Mapped[Post | None] = relationship()

    def __repr__(self) -> str:
        return f"<InitiativeEvent {self.id} {self.from_status}->{self.to_status}>"


class Practice(db.Model):
    """A thread a moderator marked as good practice: what was done, where, with what result."""

    __tablename__ = "practices"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(
        ForeignKey("threads.id", ondelete="CASCADE"), unique=True
    )
    summary: Mapped[str] = mapped_column(Text)
    tags: Mapped[str] = mapped_column(Text, default="")  # "|tag|tag|": LIKE-filterable anywhere
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    thread: Mapped[Thread] = relationship()

    def __repr__(self) -> str:
        return f"<Practice {self.id} t{self.thread_id}>"

    @property
    def tag_list(self) -> list[str]:
        return [tag for tag in self.tags.split("|") if tag]


class PracticeTag(db.Model):
    """One topic tag admins offer for a category's good practice."""

    __tablename__ = "practice_tags"
    __table_args__ = (UniqueConstraint("category_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("categories.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(60))

    category: Mapped[Category] = relationship()

    def __repr__(self) -> str:
        return f"<PracticeTag {self.name!r}>"
