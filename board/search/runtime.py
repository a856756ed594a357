"""Per-process search state: the backend, the drain lock and the background drainer.

Each gunicorn worker opens its own backend, lazily (after the fork), and keeps it for its
life: one long-lived searcher per worker is what keeps queries fast. Drains from every
worker, the retry thread and ``reindex`` are serialised by one file lock in the instance
folder, so a drain reads the database and writes the index as one step and an older
state can never overwrite a newer one. With the PostgreSQL backend the web servers may
be several hosts sharing one database, so a drain also takes a PostgreSQL advisory lock.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from flask import Flask

from board.search.backend import SearchBackend

log = logging.getLogger(__name__)

BACKENDS = ("whoosh", "postgres")
DRAIN_LOCK_KEY = 0x4D5245_5A41  # pg advisory lock id of the search drain ("MREZA")


class SearchRuntime:
    """What one process keeps for search, stored as ``app.extensions["board_search"]``."""

    def __init__(self, app: Flask, backend_name: str) -> None:
        self.app = app
        self.backend_name = backend_name
        self.lock_path = Path(app.instance_path) / "search-drain.lock"
        self._backend: SearchBackend | None = None
        self._pid = 0
        self._guard = threading.Lock()
        self._drainer: Drainer | None = None

    def backend(self) -> SearchBackend:
        """The backend of this process, opened on first use (after any fork)."""
        if self._backend is None or self._pid != os.getpid():
            with self._guard:
                if self._backend is None or self._pid != os.getpid():
                    self._backend = self._open_backend()
                    self._pid = os.getpid()
        return self._backend

    def close(self) -> None:
        """Stop the drainer and release the backend's files (tests; a worker just exits)."""
        if self._drainer is not None:
            self._drainer.stop()
            self._drainer = None
        backend, self._backend = self._backend, None
        if backend is None:
            return
        close = getattr(backend, "close", None)  # not part of the Protocol: optional
        if close is not None:
            close()

    def _open_backend(self) -> SearchBackend:
        if self.backend_name == "postgres":
            from board.extensions import db
            from board.search.backends.postgres import PostgresBackend

            with self.app.app_context():
                return PostgresBackend(db.engine)
        from board.search.backends.whoosh import WhooshBackend

        return WhooshBackend(self.app.config["SEARCH_INDEX_PATH"])

    @contextlib.contextmanager
    def drain_lock(self, wait: float) -> Iterator[bool]:
        """Hold the drain lock (waiting up to ``wait`` seconds); yields whether we got it."""
        deadline = time.monotonic() + wait
        with self._host_lock(wait) as acquired:
            if not acquired or self.backend_name != "postgres":
                yield acquired
                return
            with self._database_lock(max(0.0, deadline - time.monotonic())) as shared:
                yield shared

    @contextlib.contextmanager
    def _database_lock(self, wait: float) -> Iterator[bool]:
        """The drain lock across hosts: a session-level advisory lock on one connection,
        released when the drain ends (or by the server, should this process die)."""
        from sqlalchemy import text

        from board.extensions import db

        with self.app.app_context():
            engine = db.engine
        with engine.connect() as conn:
            deadline = time.monotonic() + wait
            while not conn.scalar(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": DRAIN_LOCK_KEY}
            ):
                conn.rollback()
                if time.monotonic() >= deadline:
                    yield False
                    return
                time.sleep(0.02)
            conn.commit()
            try:
                yield True
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": DRAIN_LOCK_KEY})
                conn.commit()

    @contextlib.contextmanager
    def _host_lock(self, wait: float) -> Iterator[bool]:
        """The drain lock of this host's processes: a file lock in the instance folder."""
        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.lock_path, "a+b") as handle:
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        yield False
                        return
                    time.sleep(0.01)
            try:
                yield True
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def retry_enabled(self) -> bool:
        """Production retries in a thread; tests drain only when they say so."""
        return bool(self.app.config.get("SEARCH_DRAIN_RETRY", not self.app.testing))

    def drainer(self) -> Drainer | None:
        """This process's background drainer, started on first use (None in tests)."""
        if not self.retry_enabled():
            return None
        with self._guard:
            if self._drainer is None or not self._drainer.alive():
                self._drainer = Drainer(self.app)
            return self._drainer

    def poke(self) -> None:
        """Ask the background drainer to drain soon."""
        drainer = self.drainer()
        if drainer is not None:
            drainer.poke()


class Drainer:
    """A daemon thread that retries queued index work with back-off, and drains
    periodically, so rows left by a busy index or a crashed worker do not wait for the
    next post."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.event = threading.Event()
        self.pid = os.getpid()
        self.interval = float(app.config.get("SEARCH_DRAIN_INTERVAL", 30))
        self.stopping = False
        self.thread = threading.Thread(target=self._run, name="search-drainer", daemon=True)
        self.thread.start()

    def alive(self) -> bool:
        """False after a fork (threads do not survive one) or if the thread ended."""
        return self.pid == os.getpid() and self.thread.is_alive()

    def poke(self) -> None:
        """Wake the thread now."""
        self.event.set()

    def stop(self) -> None:
        """End the thread after its current drain."""
        self.stopping = True
        self.event.set()
        if self.thread is not threading.current_thread():
            self.thread.join(timeout=10)

    def _run(self) -> None:
        from board.search.indexing import drain

        delay: float | None = 0.1
        while True:
            self.event.wait(timeout=self.interval if delay is None else delay)
            self.event.clear()
            if self.stopping:
                return
            try:
                with self.app.app_context():
                    complete = drain(self.app, wait=5.0).complete
            except Exception:  # the thread must outlive any failure; rows stay queued
                log.exception("Background search drain failed")
                complete = False
            delay = None if complete else 0.1 if delay is None else min(delay * 2, 30.0)
