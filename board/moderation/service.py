"""Moderation use cases. Each takes the acting user and plain values, writes the change,
its audit line and the notifications in one transaction, and commits once.

The search outbox notices the changed rows by itself, so hiding, restoring, approving and
moving only change rows here.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from board.audit import change, close_reports, notify, record
from board.extensions import db
from board.forum import service as forum
from board.models import (
    Association,
    Category,
    Flag,
    Notification,
    Post,
    PostingRestriction,
    Thread,
    User,
)
from board.models.base import utcnow
from board.notifications import service as notifications

PERMANENT = datetime(9999, 12, 31, tzinfo=UTC)
"""``suspended_until`` of a permanent suspension: no end date a reader would meet."""


class ModerationError(Exception):
    """A moderation request that cannot be carried out as asked (shown to the user)."""


# Flags ----------------------------------------------------------------------------------


def flag_post(user: User, post: Post, reason: str, text: str) -> Flag:
    """Report a post once; the N-th distinct open report hides it pending review."""
    exists = db.session.scalar(
        select(Flag.id).where(Flag.post_id == post.id, Flag.user_id == user.id)
    )
    if exists is not None:
        raise ModerationError(_("You have already reported this post."))
    flag = Flag(post=post, user=user, reason=reason, text=text.strip())
    db.session.add(flag)
    try:
        db.session.flush()
    except IntegrityError:  # the same member's report arriving twice at once
        db.session.rollback()
        raise ModerationError(_("You have already reported this post.")) from None
    notifications.flag_raised(flag)
    if not post.is_hidden and _open_flag_count(post) >= int(
        current_app.config["FLAG_HIDE_THRESHOLD"]
    ):
        reason_text = _("Reported by several members; hidden until a moderator reviews it.")
        _hide(post, reason_text)
        record(
            user,
            "auto_hide_post",
            post,
            reason=reason_text,
            after={"flags": _open_flag_count(post)},
        )
        notify(post.author, "post_hidden", post.url, thread=post.thread.title, reason=reason_text)
    db.session.commit()
    return flag


def _open_flag_count(post: Post) -> int:
    return db.session.scalar(
        select(func.count(func.distinct(Flag.user_id))).where(
            Flag.post_id == post.id, Flag.resolved_at.is_(None)
        )
    )


def resolve_flag(moderator: User, flag: Flag, outcome: str, reason: str = "") -> None:
    """Settle a report and every other open report on the same post with one decision
    (hide or dismiss), leaving one audit line for all of them.

    Dismissing restores a post that the report threshold hid, since nobody decided to hide it.
    """
    post = flag.post
    if flag.resolved_at is not None:
        raise ModerationError(_("This report has already been resolved."))
    if outcome == "hide":
        if not reason.strip():
            raise ModerationError(_("Give a reason; the author will see it."))
        _hide_post(moderator, post, reason, flags=_open_flag_count(post))
        close_reports(moderator, post, "hidden")
    else:
        was_hidden = post.is_hidden
        before = {"hidden": True, "reason": post.hidden_reason} if was_hidden else None
        if was_hidden:
            _unhide(moderator, post)
        count = close_reports(moderator, post, "dismissed")
        after = {"flags": count, **({"hidden": False} if was_hidden else {})}
        record(moderator, "dismiss_flags", post, reason=reason, before=before, after=after)
    db.session.commit()


# Posts ----------------------------------------------------------------------------------


def _hide(post: Post, reason: str) -> None:
    post.hidden_at = utcnow()
    post.hidden_reason = reason.strip()
    notifications.post_hidden(post)
    if post.accepted:
        forum.set_accepted(post.thread, None)
    forum.refresh_thread(post.thread)


def _hide_post(moderator: User, post: Post, reason: str, flags: int = 0) -> None:
    before = {"hidden": post.is_hidden, "reason": post.hidden_reason}
    _hide(post, reason)
    after = {"hidden": True, **({"flags": flags} if flags else {})}
    record(moderator, "hide_post", post, reason=reason, before=before, after=after)
    notify(post.author, "post_hidden", post.url, thread=post.thread.title, reason=reason.strip())


def hide_post(moderator: User, post: Post, reason: str) -> None:
    """Hide a post with a reason its author sees; open reports on it count as upheld."""
    if not post.approved:
        return reject_post(moderator, post, reason)
    _hide_post(moderator, post, reason)
    close_reports(moderator, post, "hidden")
    db.session.commit()


def _unhide(moderator: User, post: Post) -> None:
    """Show the post again and tell its author (the caller writes the audit line)."""
    post.hidden_at = None
    post.hidden_reason = ""
    forum.refresh_thread(post.thread)
    notify(post.author, "post_restored", post.url, thread=post.thread.title)


def _restore_post(moderator: User, post: Post) -> None:
    before = {"hidden": True, "reason": post.hidden_reason}
    _unhide(moderator, post)
    record(moderator, "restore_post", post, before=before, after={"hidden": False})


def restore_post(moderator: User, post: Post) -> None:
    """Show a hidden post again; open reports on it count as dismissed."""
    if not post.is_hidden:
        raise ModerationError(_("This post is not hidden."))
    _restore_post(moderator, post)
    close_reports(moderator, post, "dismissed")
    db.session.commit()


def approve_post(moderator: User, post: Post) -> None:
    """Let a queued post through: everyone sees it, and its author counts one more post."""
    if post.approved:
        raise ModerationError(_("This post is already approved."))
    post.approved = True
    post.hidden_at = None
    post.hidden_reason = ""
    post.author.approved_posts += 1
    if post.is_first:
        post.thread.approved = True
    forum.refresh_thread(post.thread)
    record(moderator, "approve_post", post, before={"approved": False}, after={"approved": True})
    notifications.post_approved(post)
    notify(post.author, "post_approved", post.url, thread=post.thread.title)
    db.session.commit()


def reject_post(moderator: User, post: Post, reason: str) -> None:
    """Turn a queued post down: it stays hidden from everyone but its author, with a reason."""
    post.hidden_at = utcnow()
    post.hidden_reason = reason.strip()
    record(moderator, "reject_post", post, reason=reason, before={"approved": False})
    notifications.post_hidden(post)
    notify(post.author, "post_rejected", post.url, thread=post.thread.title, reason=reason.strip())
    db.session.commit()


# Threads --------------------------------------------------------------------------------

THREAD_SWITCHES = {
    "lock": ("locked", True, "lock_thread"),
    "unlock": ("locked", False, "unlock_thread"),
    "pin": ("pinned", True, "pin_thread"),
    "unpin": ("pinned", False, "unpin_thread"),
}
"""verb -> (attribute, value, audit action); the action codes are spelt out so the test
that every recorded action has a label finds them."""


def switch_thread(moderator: User, thread: Thread, verb: str) -> bool:
    """Lock, unlock, pin or unpin; False (and no audit line) when nothing changes."""
    attribute, value, action = THREAD_SWITCHES[verb]
    if getattr(thread, attribute) == value:
        return False
    setattr(thread, attribute, value)
    record(moderator, action, thread, before={attribute: not value}, after={attribute: value})
    db.session.commit()
    return True


def hide_thread(moderator: User, thread: Thread, reason: str) -> None:
    """Hide a whole thread with a reason its author sees."""
    before = {"hidden": thread.is_hidden, "reason": thread.hidden_reason}
    thread.hidden_at = utcnow()
    thread.hidden_reason = reason.strip()
    record(moderator, "hide_thread", thread, reason=reason, before=before, after={"hidden": True})
    notifications.thread_hidden(thread)
    notify(thread.author, "thread_hidden", thread.url, thread=thread.title, reason=reason.strip())
    db.session.commit()


def restore_thread(moderator: User, thread: Thread) -> None:
    """Show a hidden thread again."""
    if not thread.is_hidden:
        raise ModerationError(_("This thread is not hidden."))
    before = {"hidden": True, "reason": thread.hidden_reason}
    thread.hidden_at = None
    thread.hidden_reason = ""
    record(moderator, "restore_thread", thread, before=before, after={"hidden": False})
    notify(thread.author, "thread_restored", thread.url, thread=thread.title)
    db.session.commit()


def move_thread(moderator: User, thread: Thread, target: Category) -> None:
    """Move a thread to another category; the log line is filed under the target."""
    source = thread.category
    if source.id == target.id:
        raise ModerationError(_("The thread is already in that category."))
    thread.category = target
    db.session.flush()
    record(
        moderator,
        "move_thread",
        thread,
        before={"category": source.slug},
        after={"category": target.slug},
    )
    notify(
        thread.author, "thread_moved", thread.url,
        thread=thread.title, source=source.name, target=target.name,
    )  # fmt: skip
    db.session.commit()


# Categories and members ----------------------------------------------------------------


def edit_category(moderator: User, category: Category, description: str, guidelines: str) -> None:
    """Change what a category says about itself; no audit line when nothing changed."""
    if change(moderator, "edit_category", category, description=description, guidelines=guidelines):
        db.session.commit()


def suspend_user(moderator: User, target: User, days: int | None, reason: str) -> None:
    """Stop a member from posting for ``days`` (None: permanently); they still read."""
    until = PERMANENT if days is None else utcnow() + timedelta(days=days)
    before = {"until": target.suspended_until.isoformat() if target.is_suspended else None}
    target.suspended_until = until
    target.suspension_reason = reason.strip()
    target.end_sessions()
    record(
        moderator, "suspend_user", target, reason=reason,
        before=before, after={"until": until.isoformat(), "days": days},
    )  # fmt: skip
    until_text = _("permanently") if days is None else until.date().isoformat()
    notify(target, "suspended", "", until=until_text, reason=reason.strip())
    db.session.commit()


def restrict_user(
    moderator: User, target: User, association: Association, days: int | None, reason: str
) -> None:
    """Keep a member from posting in one association's categories for ``days`` (None:
    permanently); elsewhere they post as before, and their sessions go on."""
    until = PERMANENT if days is None else utcnow() + timedelta(days=days)
    restriction = db.session.scalar(
        select(PostingRestriction).where(
            PostingRestriction.user_id == target.id,
            PostingRestriction.association_id == association.id,
        )
    )
    before = {"until": restriction.until.isoformat() if restriction else None}
    if restriction is None:
        restriction = PostingRestriction(user=target, association=association)
        db.session.add(restriction)
    restriction.until, restriction.reason = until, reason.strip()
    restriction.moderator_id = moderator.id
    record(
        moderator, "restrict_user", target, reason=reason, before=before,
        after={"until": until.isoformat(), "days": days, "association": association.slug},
    )  # fmt: skip
    until_text = _("permanently") if days is None else until.date().isoformat()
    notify(target, "restricted", "", association=association.name, until=until_text,
           reason=reason.strip())  # fmt: skip
    db.session.commit()


def lift_restriction(moderator: User, target: User, association: Association) -> None:
    """End a member's restriction in one association's categories early."""
    restriction = db.session.scalar(
        select(PostingRestriction).where(
            PostingRestriction.user_id == target.id,
            PostingRestriction.association_id == association.id,
            PostingRestriction.until > utcnow(),
        )
    )
    if restriction is None:
        raise ModerationError(_("This member is not restricted there."))
    before = {"until": restriction.until.isoformat(), "association": association.slug}
    db.session.delete(restriction)
    record(moderator, "unrestrict_user", target, before=before, after={"until": None})
    notify(target, "unrestricted", "", association=association.name)
    db.session.commit()


def unsuspend_user(moderator: User, target: User) -> None:
    """Lift a suspension early."""
    if not target.is_suspended:
        raise ModerationError(_("This member is not suspended."))
    before = {"until": target.suspended_until.isoformat()}
    target.suspended_until = None
    target.suspension_reason = ""
    record(moderator, "unsuspend_user", target, before=before, after={"until": None})
    notify(target, "unsuspended", "")
    db.session.commit()


# Notifications -------------------------------------------------------------------------


def mark_notifications_read(user: User, notification_id: int | None = None) -> None:
    """Mark one of the user's notifications (or all of them, with no id) as read."""
    query = select(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    now = utcnow()
    for notification in db.session.scalars(query):
        notification.read_at = now
    db.session.commit()
