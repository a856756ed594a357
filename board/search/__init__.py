"""Search: BCS analysis, one query plan, swappable backends, the outbox, page and API.

Map of the package (a query flows top to bottom, an index change bottom to top):

- ``views``, ``forms``: ``/search`` and ``/api/v1/search``; ``results``: what a search
  returns (parameters, a result, a page); ``service``: scopes a query
  to what the user may read, asks the backend, turns ids back into rows and groups them.
- ``syntax``: the search box language; ``analysis``: BCS words to terms (scripts, jat,
  diacritics, stems, ``data/*.tsv`` variants) at index and query time alike;
  ``plan``: one backend-neutral reading of a query and the shared ranking policies
  (fill, typos, expansions, entry boosts); ``highlight``: snippets.
- ``backend``: the ``SearchBackend`` protocol, the values crossing it, ``IndexBusyError``.
- ``backends/whoosh/`` (default; the only code importing whoosh) and
  ``backends/postgres/`` (the only PostgreSQL full-text SQL): each renders the plan.
  ``whoosh_backend`` is a shim for indexes pickled under the old path.
- ``indexing`` (the outbox: recorded with the content, drained after commit),
  ``sources`` (what the index should hold), ``runtime`` (backend per process, the
  background drainer), ``cli`` (``reindex``, ``check``, ``drain``, ``optimize``).
"""

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
