"""A background thread per web process that drains the extraction queue.

Uploads return at once; the worker is woken after the request that queued documents
and also polls, so rows queued by another process (or left over from before a restart)
are picked up. It starts lazily on the first request in each process, so gunicorn's
forked workers each get their own and CLI commands start none.
"""

from __future__ import annotations

import logging
import os
import threading

from flask import Flask

from board.documents.queue import drain_in_app

log = logging.getLogger(__name__)
POLL_SECONDS = 30.0


class ExtractionWorker:
    """Sleeps until woken or the poll interval passes, then drains the queue."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.pid = os.getpid()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="document-extraction", daemon=True)

    def start(self) -> None:
        self._thread.start()
        self._wake.set()  # resume whatever was pending before this process started

    def wake(self) -> None:
        """Ask for a drain now (after a commit that queued documents)."""
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=5)

    def alive(self) -> bool:
        return self.pid == os.getpid() and self._thread.is_alive()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(POLL_SECONDS)
            self._wake.clear()
            if self._stop.is_set():
                break
            try:
                drain_in_app(self.app)
            except Exception:  # the database may be briefly unavailable; try again later
                log.exception("Document extraction worker: drain failed")


_lock = threading.Lock()


def ensure_worker(app: Flask) -> ExtractionWorker:
    """This process's worker, started on first use (again after a fork)."""
    worker = app.extensions.get("documents_worker")
    if worker is not None and worker.alive():
        return worker
    with _lock:
        worker = app.extensions.get("documents_worker")
        if worker is None or not worker.alive():
            worker = app.extensions["documents_worker"] = ExtractionWorker(app)
            worker.start()
    return worker
