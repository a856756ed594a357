"""Watching, notifications, handles and profiles, and the mail they cause."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("notifications", __name__)


def init_app(app) -> None:
    """Install the session listeners (handles on flush, mail after commit)."""
    from board.notifications import handles, mailqueue, views  # noqa: F401  (routes)

    handles.install()
    mailqueue.install()
