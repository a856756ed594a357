"""Turning a mail-queue row into a message, in the recipient's language, at send time.

Rendering late means a thousand recipients cost the request nothing, each reads their own
language, and a post hidden in the meantime is not mailed at all.
"""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from board.models import Category, MailQueue, Notification, Post, Thread, User
from board.notifications.tokens import reply_token, unsubscribe_token
from board.permissions import can_be_notified_of, can_moderate_post, can_read_post
from board.text.markup import plain_text
from board.text.script import to_script
from board.urls import external_url

EXCERPT = 4000


def subject_for(kind: str, title: str, actor: str) -> str:
    """The subject line of a notification mail (in the active language)."""
    subjects = {
        "reply": _("New reply in “%(title)s”", title=title),
        "new_thread": _("New thread: “%(title)s”", title=title),
        "mention": _("%(actor)s mentioned you in “%(title)s”", actor=actor, title=title),
        "quote": _("%(actor)s quoted you in “%(title)s”", actor=actor, title=title),
        "accepted": _("Your reply in “%(title)s” was marked as the answer", title=title),
        "queue": _("A post waits for approval in “%(title)s”", title=title),
        "flag": _("A post was reported in “%(title)s”", title=title),
    }
    return subjects.get(kind, _("News from Mreža"))


def compose(session: Session, row: MailQueue) -> EmailMessage | None:
    """The message for ``row``, or None when there is nothing (left) to say."""
    user = session.get(User, row.user_id)
    if user is None or not user.email:
        return None
    if row.kind == "notification" and user.email_mode != "each":
        return None
    locale = user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(locale):
        builder = {"notification": _notification, "digest": _digest, "refusal": _refusal}
        parts = builder[row.kind](session, row, user)
        if parts is None:
            return None
        subject, context = parts
        unsubscribe = external_url("notifications.unsubscribe", token=unsubscribe_token(user))
        context.update(
            user=user, unsubscribe=unsubscribe, settings=external_url("notifications.settings")
        )
        text = render_template(f"mail/{row.kind}.txt", **context)
        html = render_template(f"mail/{row.kind}.html", **context)
    return _message(row, user, f"[Mreža] {subject}", text, html, unsubscribe)


def _message(row: MailQueue, user: User, subject: str, text: str, html: str, unsubscribe: str):
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = user.email
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = row.message_id
    message["Auto-Submitted"] = "auto-generated"
    message["List-Unsubscribe"] = f"<{unsubscribe}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    domain = row.message_id.rpartition("@")[2].rstrip(">")
    if row.thread_id:
        message["References"] = f"<thread-{row.thread_id}@{domain}>"
    if _replyable(row):
        message["Reply-To"] = f"reply+{reply_token(row.id)}@{config['MAIL_REPLY_DOMAIN']}"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def _replyable(row: MailQueue) -> bool:
    return bool(
        row.kind == "notification" and row.thread_id and current_app.config.get("MAIL_REPLY_DOMAIN")
    )


def _notification(session: Session, row: MailQueue, user: User):
    notification = session.get(Notification, row.notification_id) if row.notification_id else None
    if notification is None:
        return None
    if notification.post_id is None:  # a moderation notice: its text is the message
        from board.audit import notice_text

        text = notice_text(notification)
        url = external_url("notifications.index")
        return text[:120], {"intro": text, "excerpt": "", "url": url, "reply": False}
    post = session.get(Post, notification.post_id)
    if post is None or not still_relevant(user, notification, post):
        return None
    actor = session.get(User, notification.actor_id) if notification.actor_id else None
    actor_name = in_script(user, actor.display_name if actor else "")
    subject = subject_for(notification.kind, in_script(user, post.thread.title), actor_name)
    return subject, {
        "intro": subject,
        "actor": actor_name,
        "excerpt": in_script(user, plain_text(post.body_html)[:EXCERPT]),
        "url": external_url("forum.permalink", post_id=post.id),
        "reply": _replyable(row),
    }


def in_script(user: User, text: str) -> str:
    """Members' words in the recipient's reading script, as the board shows them to them
    (the interface text already follows their language)."""
    return to_script(text, user.script or "as_written")


def still_relevant(user: User, notification: Notification, post: Post) -> bool:
    """Checked again when sending: the post may have been hidden or access lost meanwhile."""
    if notification.kind in ("queue", "flag"):
        return can_moderate_post(user, post)
    if notification.kind == "accepted":
        return post.is_public and can_read_post(user, post)
    return can_be_notified_of(user, post)


def _digest(session: Session, row: MailQueue, user: User):
    from datetime import datetime

    from board.models.base import utcnow

    since = datetime.fromisoformat(row.params["since"])
    items = session.execute(
        select(Notification, Thread, Category)
        .join(Thread, Thread.id == Notification.thread_id)
        .join(Category, Category.id == Thread.category_id)
        .where(
            Notification.user_id == user.id,
            Notification.read_at.is_(None),
            Notification.created_at >= since,
            Notification.created_at <= utcnow(),
            Notification.kind.in_(("reply", "new_thread", "mention", "quote", "accepted")),
        )
        .order_by(Category.position, Category.name, Notification.id)
    ).all()
    groups: dict[str, list[dict]] = {}
    for notification, thread, category in items:
        post = session.get(Post, notification.post_id) if notification.post_id else None
        if post is None or not still_relevant(user, notification, post):
            continue
        groups.setdefault(in_script(user, category.name), []).append(
            {
                "kind": notification.kind,
                "title": in_script(user, thread.title),
                "count": notification.count,
                "url": external_url("forum.permalink", post_id=post.id),
            }
        )
    if not groups:
        return None
    if row.params.get("period") == "weekly":
        subject = _("Your weekly summary")
    else:
        subject = _("Your daily summary")
    return subject, {"groups": groups, "intro": subject, "url": external_url("notifications.index")}


def _refusal(session: Session, row: MailQueue, user: User):
    from board.notifications.inbound import REASONS

    reason = str(REASONS.get(row.params.get("reason", ""), row.params.get("reason", "")))
    subject = _("Your reply by e-mail was not posted")
    return subject, {
        "intro": subject,
        "reason": reason,
        "original": row.params.get("subject", ""),
        "url": external_url("forum.thread", thread_id=row.thread_id) if row.thread_id else "",
    }
