"""The records every moderator action leaves: the audit line, in-app notifications, and
the closing of the reports the action settles.

All are written in the same transaction as the change they describe, so a change without
its audit line (or a notification about a change that was rolled back) cannot exist. A
leaf module: the forum, moderation and admin use cases all record through it, and it
imports none of them.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from board import effects
from board.extensions import db
from board.i18n import in_reader_script
from board.models import (
    Association,
    Category,
    Flag,
    ModerationAction,
    Notification,
    Post,
    Thread,
    User,
)
from board.models.base import utcnow

NOTICES = {
    "post_hidden": _l("A moderator hid your post in “%(thread)s”. Reason: %(reason)s"),
    "post_restored": _l("A moderator restored your post in “%(thread)s”."),
    "post_edited": _l("A moderator edited your post in “%(thread)s”. Reason: %(reason)s"),
    "post_deleted": _l("An administrator deleted your post in “%(thread)s”."),
    "post_approved": _l("Your post in “%(thread)s” was approved and is now visible to everyone."),
    "post_rejected": _l("Your post in “%(thread)s” was not approved. Reason: %(reason)s"),
    "thread_hidden": _l("A moderator hid your thread “%(thread)s”. Reason: %(reason)s"),
    "thread_restored": _l("A moderator restored your thread “%(thread)s”."),
    "thread_moved": _l("A moderator moved your thread “%(thread)s” from %(source)s to %(target)s."),
    "flag_hidden": _l("Thank you for your report on a post in “%(thread)s”: a moderator hid it."),
    "flag_edited": _l(
        "Thank you for your report on a post in “%(thread)s”: a moderator edited it."
    ),
    "flag_dismissed": _l(
        "Thank you for your report on a post in “%(thread)s”: a moderator reviewed it and "
        "left it as it is."
    ),
    "suspended": _l("Your account is suspended until %(until)s. Reason: %(reason)s"),
    "unsuspended": _l("Your suspension has been lifted; you can post again."),
    "restricted": _l(
        "You may not post in the categories of %(association)s until %(until)s. Reason: %(reason)s"
    ),
    "unrestricted": _l("You may post in the categories of %(association)s again."),
}


class _Defaults(dict):
    """Missing parameters print as a dash rather than breaking the notifications page."""

    def __missing__(self, key: str) -> str:
        return "—"


def notice_text(notification: Notification) -> str:
    """The notification in the reader's current language (rendered now, not when written)."""
    template = NOTICES.get(notification.kind)
    if template is None:
        return notification.kind
    params = _Defaults(
        {k: in_reader_script(v) if v != "" else "—" for k, v in (notification.params or {}).items()}
    )
    return str(template) % params


def record(
    actor: User | None,
    action: str,
    target: Post | Thread | Category | User | Association,
    *,
    reason: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> ModerationAction:
    """Append one audit line; the category is derived from the target so scoping is exact.
    ``actor`` None is the command line (``flask board …``)."""
    entry = ModerationAction(
        actor=actor,
        action=action,
        target_type=_target_type(target),
        target_id=target.id,
        category_id=_category_id(target),
        reason=(reason or "").strip(),
        before=before,
        after=after,
    )
    db.session.add(entry)
    return entry


def change(actor: User | None, action: str, target: Category | Association, **values: str) -> bool:
    """Set ``target``'s text fields to ``values`` (stripped) with one audit line holding
    before and after; nothing at all when nothing changes. Returns whether it did."""
    before = {name: getattr(target, name) for name in values}
    after = {name: value.strip() for name, value in values.items()}
    if before == after:
        return False
    for name, value in after.items():
        setattr(target, name, value)
    record(actor, action, target, before=before, after=after)
    return True


def _target_type(target: object) -> str:
    return {
        Post: "post",
        Thread: "thread",
        Category: "category",
        User: "user",
        Association: "association",
    }[type(target)]


def _category_id(target: object) -> int | None:
    if isinstance(target, Post):
        return target.thread.category_id
    if isinstance(target, Thread):
        return target.category_id
    if isinstance(target, Category):
        return target.id
    return None


def notify(user: User, kind: str, url: str = "", **params: str) -> Notification:
    """Queue an in-app message; ``params`` are stored and formatted when it is read."""
    notification = Notification(user_id=user.id, kind=kind, params=params, url=url)
    db.session.add(notification)
    db.session.flush()
    effects.notifications_added({user.id: notification.id})
    return notification


def close_reports(moderator: User, post: Post, outcome: str) -> int:
    """Close every open report on the post and tell each reporter what became of it."""
    flags = db.session.scalars(
        select(Flag).where(Flag.post_id == post.id, Flag.resolved_at.is_(None))
    ).all()
    now = utcnow()
    for flag in flags:
        flag.resolved_at = now
        flag.resolved_by = moderator
        flag.outcome = outcome
        notify(flag.user, f"flag_{outcome}", post.url, thread=post.thread.title)
    return len(flags)


def notifications_for(user: User, limit: int = 100) -> list[Notification]:
    """The user's latest notifications, newest first."""
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(Notification.id.desc())
            .limit(limit)
        )
    )
