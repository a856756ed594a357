"""Notifications, what members watch, the outgoing mail queue, digests and old handles."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from board.extensions import db
from board.models.base import UTCDateTime, utcnow

KINDS = ("reply", "new_thread", "mention", "quote", "accepted", "moderation", "queue", "flag")
"""Kinds shown in the list and the API; stored moderation notices keep their own names
(``post_hidden`` …) and are shown as ``moderation``."""

THREAD_LEVELS = ("watching", "normal", "muted")
CATEGORY_LEVELS = ("watching", "new_threads", "normal", "muted")
EMAIL_MODES = ("each", "daily", "weekly", "off")


class Notification(db.Model):
    """An in-app message to a user; ``kind`` and ``params`` are rendered in their language."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_id_read_at", "user_id", "read_at"),
        Index("ix_notifications_thread_id_user_id", "thread_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    url: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    post_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), index=True
    )
    count: Mapped[int] = mapped_column(Integer, default=1)

    def __repr__(self) -> str:
        return f"<Notification {self.id} u{self.user_id} {self.kind}>"

    @property
    def public_kind(self) -> str:
        """The kind as the list and the API name it."""
        return self.kind if self.kind in KINDS else "moderation"


class Watch(db.Model):
    """How closely a member follows one thread or one category."""

    __tablename__ = "watches"
    __table_args__ = (
        UniqueConstraint("user_id", "thread_id", name="uq_watches_user_id_thread_id"),
        UniqueConstraint("user_id", "category_id", name="uq_watches_user_id_category_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    thread_id: Mapped[int | None] = mapped_column(
        ForeignKey("threads.id", ondelete="CASCADE"), index=True
    )
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="CASCADE"), index=True
    )
    level: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        target = f"t{self.thread_id}" if self.thread_id else f"c{self.category_id}"
        return f"<Watch u{self.user_id} {target} {self.level}>"


class MailQueue(db.Model):
    """One message to send: written with the change that causes it, sent after commit.

    ``status``: ``queued`` (waits for ``send_after``), ``sending`` (marked before the
    SMTP DATA command; a row left here was possibly delivered and is never re-sent on its
    own), ``sent``, ``skipped`` (nothing left to say, e.g. the post was hidden), ``failed``.
    """

    __tablename__ = "mail_queue"
    __table_args__ = (
        Index("ix_mail_queue_status_send_after", "status", "send_after"),
        Index("ix_mail_queue_thread_id_user_id", "thread_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # notification | digest | refusal
    notification_id: Mapped[int | None] = mapped_column(
        ForeignKey("notifications.id", ondelete="SET NULL")
    )
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    message_id: Mapped[str] = mapped_column(String(128), unique=True)
    status: Mapped[str] = mapped_column(String(8), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    send_after: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<MailQueue {self.id} u{self.user_id} {self.kind} {self.status}>"


class DigestRun(db.Model):
    """That a member's digest for one period was queued: the unique key makes it once."""

    __tablename__ = "digest_runs"
    __table_args__ = (UniqueConstraint("user_id", "period", "period_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    period: Mapped[str] = mapped_column(String(8))
    period_key: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<DigestRun u{self.user_id} {self.period} {self.period_key}>"


class HandleAlias(db.Model):
    """A handle a member used before: ``/u/<old>`` keeps redirecting to them."""

    __tablename__ = "handle_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    handle: Mapped[str] = mapped_column(String(30), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<HandleAlias {self.handle!r} u{self.user_id}>"
