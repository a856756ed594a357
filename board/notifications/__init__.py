"""Watching, notifications, handles and profiles, and the mail they cause."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("notifications", __name__)


def init_app(app) -> None:
    """Install the session listeners (handles on flush, mail after commit) and the
    handlers the forum, the audit log and markup call through ``board.effects``."""
    from board import effects
    from board.notifications import handles, mailqueue, service, views  # noqa: F401  (routes)

    handles.install()
    mailqueue.install()
    effects.register("post_created", service.post_created)
    effects.register("post_edited", service.post_edited)
    effects.register("post_hidden", service.post_hidden)
    effects.register("answer_accepted", service.answer_accepted)
    effects.register("notifications_added", _queue_mail)
    effects.set_handle_resolver(handles.existing_handles)


def _queue_mail(ids_by_user: dict[int, int]) -> None:
    """Mail for notices written outside a thread's fan-out (audit.notify)."""
    from board.notifications import mailqueue

    mailqueue.enqueue_notifications(None, ids_by_user)
