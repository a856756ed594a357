"""Search: BCS analysis, swappable backends, the outbox, the search page and API."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("search", __name__)


def init_app(app: Flask) -> None:
    """Placeholder until the search package lands: nothing to wire yet."""
