"""Search: BCS analysis, swappable backends, the outbox, the search page and API."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app

from board.search.backend import SearchBackend

bp = Blueprint("search", __name__)


def init_app(app: Flask) -> None:
    """Choose the backend (``SEARCH_BACKEND``: whoosh or postgres) and watch the session.

    The backend itself opens lazily, once per process, so gunicorn workers each get
    their own after forking.
    """
    from board.search import indexing, views  # noqa: F401  (views: register the routes)
    from board.search.runtime import BACKENDS, SearchRuntime

    name = str(app.config.get("SEARCH_BACKEND") or "whoosh").strip().lower()
    if name not in BACKENDS:
        raise RuntimeError(
            f"BOARD_SEARCH_BACKEND is {name!r}; it must be one of: {', '.join(BACKENDS)}."
        )
    app.extensions["board_search"] = SearchRuntime(app, name)
    indexing.install()


def get_backend(app: Flask | None = None) -> SearchBackend:
    """The current process's search backend for ``app`` (default: the current app)."""
    app = app or current_app._get_current_object()
    return app.extensions["board_search"].backend()
