"""What a member reads about their notifications, and the small writes the pages make."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select, update
from sqlalchemy.orm import aliased

from board.extensions import db
from board.i18n import in_reader_script
from board.models import Association, Membership, Notification, Post, Thread, User
from board.models.base import utcnow
from board.notifications import handles
from board.permissions import visible_category_ids


@dataclass
class Item:
    """A notification as the list and the API show it."""

    notification: Notification
    title: str
    actor: User | None

    @property
    def kind(self) -> str:
        return self.notification.public_kind

    @property
    def text(self) -> str:
        """The line the list shows, in the reader's language."""
        n = self.notification
        if n.kind not in {"reply", "new_thread", "mention", "quote", "accepted", "queue", "flag"}:
            from board.audit import notice_text

            return notice_text(n)
        # Member-written parts (name, title) in the reader's script, as notice_text does.
        actor = in_reader_script(self.actor.display_name) if self.actor else "—"
        title = in_reader_script(self.title)
        texts = {
            "reply": _("%(actor)s replied in “%(title)s”", actor=actor, title=title)
            if n.count == 1
            else ngettext(
                "%(num)d new reply in “%(title)s”, the latest by %(actor)s",
                "%(num)d new replies in “%(title)s”, the latest by %(actor)s",
                n.count,
                actor=actor,
                title=title,
            ),
            "new_thread": _("%(actor)s started “%(title)s”", actor=actor, title=title),
            "mention": _("%(actor)s mentioned you in “%(title)s”", actor=actor, title=title),
            "quote": _("%(actor)s quoted you in “%(title)s”", actor=actor, title=title),
            "accepted": _(
                "%(actor)s marked your reply in “%(title)s” as the answer",
                actor=actor,
                title=title,
            ),
            "queue": _("A post in “%(title)s” waits for your approval", title=title),
            "flag": _("%(actor)s reported a post in “%(title)s”", actor=actor, title=title),
        }
        return texts[n.kind]


def latest(user: User, limit: int = 100) -> list[Item]:
    """The member's newest notifications with their thread titles and actors, one query."""
    actor = aliased(User)
    rows = db.session.execute(
        select(Notification, Thread.title, actor)
        .outerjoin(Thread, Thread.id == Notification.thread_id)
        .outerjoin(actor, actor.id == Notification.actor_id)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
    ).all()
    return [Item(n, title or (n.params or {}).get("thread", ""), a) for n, title, a in rows]


def _count_unread(user_id: int, *where) -> int:
    """The member's unread notifications, narrowed by ``where``: one COUNT query."""
    return db.session.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == user_id, Notification.read_at.is_(None), *where
        )
    )


def unread_count(user: User) -> int:
    """For the header badge."""
    return _count_unread(user.id)


def unread_moderation() -> int:
    """Unread ``queue`` and ``flag`` notices of the signed-in moderator, for their badge."""
    from flask import g
    from flask_login import current_user

    if not current_user.is_authenticated:
        return 0
    if "unread_moderation" not in g:
        g.unread_moderation = _count_unread(
            current_user.id, Notification.kind.in_(("queue", "flag"))
        )
    return g.unread_moderation


def as_json(user: User) -> dict:
    """``{"unread", "items": [...]}`` for /api/v1/notifications."""
    return {
        "unread": unread_count(user),
        "items": [
            {
                "id": item.notification.id,
                "kind": item.kind,
                "read": item.notification.read_at is not None,
                "created_at": item.notification.created_at.isoformat(),
                "actor": item.actor.handle if item.actor else None,
                "thread_id": item.notification.thread_id,
                "post_id": item.notification.post_id,
                "title": item.title,
                "url": item.notification.url,
                "count": item.notification.count,
                "text": item.text,
            }
            for item in latest(user)
        ],
    }


def open_notification(user: User, notification_id: int) -> str | None:
    """Mark one notification read and say where it leads (None: not the member's)."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != user.id:
        return None
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.commit()
    return notification.url or "/notifications"


def mark_read(user: User, notification_id: int | None = None) -> None:
    """Mark one or all of the member's unread notifications read."""
    query = update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    db.session.execute(query.values(read_at=utcnow()).execution_options(synchronize_session=False))
    db.session.commit()


def set_email_mode(user: User, mode: str) -> None:
    """Choose how (and whether) notifications arrive by e-mail."""
    user.email_mode = mode
    db.session.commit()


def change_handle(user: User, handle: str) -> None:
    """Take a new handle; the old one redirects."""
    if handles.change_handle(user, handle):
        db.session.commit()


def profile(viewer: User | None, user: User) -> dict:
    """A member's public profile: never their e-mail; only threads the viewer may read."""
    readable = visible_category_ids(viewer)
    public = (
        Thread.category_id.in_(readable),
        Thread.hidden_at.is_(None),
        Thread.approved,
    )
    threads = db.session.scalars(
        select(Thread)
        .where(Thread.author_id == user.id, *public)
        .order_by(Thread.created_at.desc())
        .limit(20)
    ).all()
    answers = db.session.scalars(
        select(Post)
        .join(Thread, Thread.id == Post.thread_id)
        .where(
            Post.author_id == user.id,
            Post.accepted,
            Post.deleted_at.is_(None),
            Post.hidden_at.is_(None),
            *public,
        )
        .order_by(Post.created_at.desc())
        .limit(20)
    ).all()
    associations = db.session.scalars(
        select(Association)
        .join(Membership, Membership.association_id == Association.id)
        .where(Membership.user_id == user.id)
        .order_by(Association.name)
    ).all()
    return {"profile": user, "threads": threads, "answers": answers, "associations": associations}
