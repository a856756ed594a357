"""Users, the member associations, and who belongs to (and moderates for) which."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from board.extensions import db
from board.models.base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from board.models.places import LocalCommunity, Municipality

FUNCTIONS = ("president", "council", "secretary", "official", "activist", "association", "other")
GENDERS = ("woman", "man", "other", "undisclosed")


class User(UserMixin, db.Model):
    """A person with an account; roles come from ``is_admin`` and memberships."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    handle: Mapped[str] = mapped_column(String(30), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    function: Mapped[str] = mapped_column(String(20), default="other")
    # Chosen from the map; the ``*_text`` columns keep what a member typed before the map
    # existed (or at registration) until it is matched or the member picks a place.
    municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey("municipalities.id", ondelete="SET NULL"), index=True
    )
    mz_id: Mapped[int | None] = mapped_column(
        ForeignKey("local_communities.id", ondelete="SET NULL")
    )
    municipality_text: Mapped[str] = mapped_column(String(100), default="")
    mz_text: Mapped[str] = mapped_column(String(100), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    gender: Mapped[str] = mapped_column(String(12), default="undisclosed")  # aggregates only
    in_directory: Mapped[bool] = mapped_column(Boolean, default=True)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    locale: Mapped[str | None] = mapped_column(String(16))
    # The reader's script for members' words: as_written | latin | cyrillic (None = as written).
    script: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    suspended_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    suspension_reason: Mapped[str] = mapped_column(Text, default="")
    approved_posts: Mapped[int] = mapped_column(Integer, default=0)
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Two-step login: the TOTP secret (base32), when it was turned on, and the last time
    # step accepted, so a code seen over someone's shoulder cannot be used a second time.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_last_step: Mapped[int] = mapped_column(Integer, default=0)
    # A deleted account stays as a nameless row so the posts it leaves keep an author.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    email_mode: Mapped[str] = mapped_column(String(8), default="each")

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    restrictions: Mapped[list[PostingRestriction]] = relationship(
        foreign_keys="PostingRestriction.user_id",
        back_populates="user",
        cascade="all, delete-orphan",
    )
    recovery_codes: Mapped[list[RecoveryCode]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    municipality: Mapped[Municipality | None] = relationship(foreign_keys=[municipality_id])
    mz: Mapped[LocalCommunity | None] = relationship(foreign_keys=[mz_id])

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email!r}>"

    def get_id(self) -> str:
        """What the session and the remember-me cookie hold: the id and the session version.

        A cookie carrying an older version (from before a logout, a password change or a
        suspension) no longer signs anyone in.
        """
        return f"{self.id}:{self.session_version or 0}"

    def end_sessions(self) -> None:
        """Invalidate every session and remember-me cookie of this account."""
        self.session_version = (self.session_version or 0) + 1

    @validates("password_hash")
    def _password_changed(self, _key: str, value: str) -> str:
        """A new password ends every session: every path that sets one passes here."""
        if self.password_hash is not None and value != self.password_hash:
            self.end_sessions()
        return value

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def has_two_factor(self) -> bool:
        return self.totp_enabled_at is not None and bool(self.totp_secret)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_suspended(self) -> bool:
        return self.suspended_until is not None and self.suspended_until > utcnow()

    @property
    def moderated_association_ids(self) -> set[int]:
        return {m.association_id for m in self.memberships if m.is_moderator}

    @property
    def restricted_association_ids(self) -> set[int]:
        """Associations in whose categories this member may not post right now."""
        now = utcnow()
        return {r.association_id for r in self.restrictions if r.until > now}

    @property
    def association_ids(self) -> set[int]:
        return {m.association_id for m in self.memberships}


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


class PostingRestriction(db.Model):
    """A member kept from posting in one association's categories until ``until``.

    What a moderator may do: their power ends at their association's categories, so the
    member still posts everywhere else. Board-wide suspension (``User.suspended_until``)
    is an admin's.
    """

    __tablename__ = "posting_restrictions"
    __table_args__ = (UniqueConstraint("user_id", "association_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    association_id: Mapped[int] = mapped_column(
        ForeignKey("associations.id", ondelete="CASCADE"), index=True
    )
    until: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(Text, default="")
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id], back_populates="restrictions")
    association: Mapped[Association] = relationship()

    def __repr__(self) -> str:
        return f"<PostingRestriction u{self.user_id} a{self.association_id} until {self.until}>"


class RecoveryCode(db.Model):
    """A one-time code that replaces the authenticator app once; only its hash is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="recovery_codes")

    def __repr__(self) -> str:
        return f"<RecoveryCode {self.id} u{self.user_id} used={self.used_at is not None}>"
