"""Users, the member associations, and who belongs to (and moderates for) which."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from board.extensions import db
from board.models.base import UTCDateTime, utcnow

FUNCTIONS = ("council", "secretary", "official", "activist", "other")


class User(UserMixin, db.Model):
    """A person with an account; roles come from ``is_admin`` and memberships."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    handle: Mapped[str] = mapped_column(String(30), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    function: Mapped[str] = mapped_column(String(20), default="other")
    municipality: Mapped[str] = mapped_column(String(100), default="")
    mz: Mapped[str] = mapped_column(String(100), default="")
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    locale: Mapped[str | None] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    suspended_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    suspension_reason: Mapped[str] = mapped_column(Text, default="")
    approved_posts: Mapped[int] = mapped_column(Integer, default=0)
    email_mode: Mapped[str] = mapped_column(String(8), default="each")

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email!r}>"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def is_suspended(self) -> bool:
        return self.suspended_until is not None and self.suspended_until > utcnow()

    @property
    def moderated_association_ids(self) -> set[int]:
        return {m.association_id for m in self.memberships if m.is_moderator}

    @property
    def association_ids(self) -> set[int]:
        return {m.association_id for m in self.memberships}

    @property
    def role(self) -> str:
        if self.is_admin:
            return "admin"
        return "moderator" if self.moderated_association_ids else "member"


class Association(db.Model):
    """A member association (e.g. of municipalities and cities) that owns categories."""

    __tablename__ = "associations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="association", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Association {self.slug!r}>"


class Membership(db.Model):
    """A user's membership of an association; moderators are members with the flag set."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "association_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    association_id: Mapped[int] = mapped_column(
        ForeignKey("associations.id", ondelete="CASCADE"), index=True
    )
    is_moderator: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships")
    association: Mapped[Association] = relationship(back_populates="memberships")

    def __repr__(self) -> str:
        return f"<Membership u{self.user_id} a{self.association_id} mod={self.is_moderator}>"
