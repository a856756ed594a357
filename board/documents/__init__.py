"""Documents attached to posts: storage, type sniffing, text extraction, the library."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, g

bp = Blueprint("documents", __name__)


def init_app(app: Flask) -> None:
    """Register the routes, the upload form for templates, and the extraction trigger.

    ``EXTRACT_WORKER`` chooses who reads queued documents: ``thread`` (default: a
    background thread in each web process), ``sync`` (right after the request that
    queued them; the default under ``TESTING``), or ``off`` (only
    ``flask board documents extract``, e.g. run from a timer).
    """
    from board.documents import views  # noqa: F401  (registers the routes)
    from board.documents.forms import UploadForm
    from board.documents.staging import staged_label

    app.config.setdefault("EXTRACT_WORKER", "sync" if app.testing else "thread")

    @app.context_processor
    def upload_form() -> dict:
        return {"new_upload_form": UploadForm, "staged_label": staged_label}

    @app.before_request
    def resume_extraction() -> None:
        if str(current_app.config["EXTRACT_WORKER"]).lower() == "thread":
            from board.documents.worker import ensure_worker

            ensure_worker(current_app._get_current_object())

    @app.after_request
    def start_extraction(response):
        if g.get("documents_queued"):
            g.documents_queued = False
            _after_queue(current_app._get_current_object())
        return response


def _after_queue(app: Flask) -> None:
    mode = str(app.config["EXTRACT_WORKER"]).lower()
    if mode == "sync":
        from board.documents.queue import drain

        drain()
    elif mode == "thread":
        from board.documents.worker import ensure_worker

        ensure_worker(app).wake()
