"""Moderation: flags, queues, hiding, locking, the audit log."""

from flask import Blueprint

bp = Blueprint("moderation", __name__)

from board.moderation import views  # noqa: E402,F401
