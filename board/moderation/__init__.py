"""Moderation: flags, queues, hiding, locking, the audit log."""

from flask import Blueprint

bp = Blueprint("moderation", __name__)
