"""Rate limits: where the counters live, whose they are, and how many each gets.

The counters are shared by every worker process on the host. The ``limits`` library has
no file or SQLite storage, only memory (per process: two gunicorn workers allowed twice
the login attempts), Redis, Memcached, MongoDB and etcd. A server we do not need on one
host is worse than 80 lines here, so ``SQLiteStorage`` keeps fixed-window counters in
``<instance>/ratelimits.sqlite3`` (WAL, a short ``BEGIN IMMEDIATE`` per hit). Beyond one
host set ``BOARD_RATELIMIT_STORAGE_URI=redis://…``.

Posting, replying, flagging and searching are limited per member and per address (all
configurable, see ``board/config.py``); a member's first day has lower limits; uploads
are capped per member per day.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import timedelta

from flask import current_app, request
from flask_login import current_user
from limits import parse
from limits.storage import Storage

from board.extensions import limiter
from board.models.base import utcnow
from board.permissions import is_admin

NEW_MEMBER_PERIOD = timedelta(days=1)


class SQLiteStorage(Storage):
    """Fixed-window counters in one SQLite file: shared by the host's worker processes."""

    STORAGE_SCHEME = ["sqlite"]

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options: object) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        rest = uri.split("://", 1)[1]  # sqlite:////abs/path or sqlite:///relative/path
        self.path = rest[1:] if rest.startswith("/") else rest
        self._local = threading.local()
        with self._connection() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS counters "
                "(key TEXT PRIMARY KEY, count INTEGER NOT NULL, expires REAL NOT NULL)"
            )

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            self._local.connection = connection
        return connection

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Add ``amount`` to the key's window, starting a new window once it has expired."""
        now = time.time()
        db = self._connection()
        db.execute("BEGIN IMMEDIATE")
        try:
            row = db.execute("SELECT count, expires FROM counters WHERE key = ?", (key,)).fetchone()
            if row is None or row[1] <= now:
                count, expires = amount, now + expiry
            else:
                count, expires = row[0] + amount, row[1]
            db.execute(
                "INSERT OR REPLACE INTO counters (key, count, expires) VALUES (?, ?, ?)",
                (key, count, expires),
            )
            if row is None:  # now and then, forget windows that have ended
                db.execute("DELETE FROM counters WHERE expires < ?", (now - 86400,))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return count

    def _row(self, key: str) -> tuple[int, float] | None:
        row = (
            self._connection()
            .execute("SELECT count, expires FROM counters WHERE key = ?", (key,))
            .fetchone()
        )
        return row if row is not None and row[1] > time.time() else None

    def get(self, key: str) -> int:
        row = self._row(key)
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row[1] if row else time.time()

    def check(self) -> bool:
        try:
            self._connection().execute("SELECT 1")
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        return self._connection().execute("DELETE FROM counters").rowcount

    def clear(self, key: str) -> None:
        self._connection().execute("DELETE FROM counters WHERE key = ?", (key,))


# Whose counter ---------------------------------------------------------------------------


def address_key() -> str:
    """The client's address (behind a proxy: as the trusted proxy reports it)."""
    return request.remote_addr or "unknown"


def member_key() -> str:
    """The signed-in member, else the address: a member's limit follows them everywhere."""
    if current_user.is_authenticated:
        return f"member:{current_user.id}"
    return address_key()


def is_new_member(user: object) -> bool:
    """Within the first day after registering: lower limits while trust is unknown."""
    created = getattr(user, "created_at", None)
    return created is not None and created > utcnow() - NEW_MEMBER_PERIOD


def _for_member(name: str) -> str:
    config = current_app.config
    if current_user.is_authenticated and is_new_member(current_user):
        return config[f"RATELIMIT_{name}_NEW_MEMBER"]
    return config[f"RATELIMIT_{name}"]


def _staff() -> bool:
    """Admins are not limited (they clean up after floods, often in a hurry)."""
    return is_admin(current_user)


def _created(response) -> bool:
    """Only what was accepted counts: a refused form does not use up the member's limit."""
    return response.status_code < 400


# The limits, as decorators ----------------------------------------------------------------

posting = limiter.shared_limit(
    lambda: _for_member("POSTING"), scope="posting", key_func=member_key, methods=["POST"],
    exempt_when=_staff, deduct_when=_created,
)  # fmt: skip
posting_address = limiter.shared_limit(
    lambda: current_app.config["RATELIMIT_POSTING_ADDRESS"], scope="posting-address",
    key_func=address_key, methods=["POST"], exempt_when=_staff, deduct_when=_created,
)  # fmt: skip
flagging = limiter.shared_limit(
    lambda: _for_member("FLAGGING"), scope="flagging", key_func=member_key, methods=["POST"],
    exempt_when=_staff,
)  # fmt: skip
searching = limiter.shared_limit(
    lambda: current_app.config["RATELIMIT_SEARCH"], scope="search", key_func=member_key,
    exempt_when=_staff,
)  # fmt: skip
searching_address = limiter.shared_limit(
    lambda: current_app.config["RATELIMIT_SEARCH_ADDRESS"], scope="search-address",
    key_func=address_key, exempt_when=_staff,
)  # fmt: skip


def daily_upload_cap(user: object) -> int:
    """How many files ``user`` may upload in 24 hours."""
    config = current_app.config
    if getattr(user, "is_admin", False):
        return 10**9
    key = "UPLOADS_PER_DAY_NEW_MEMBER" if is_new_member(user) else "UPLOADS_PER_DAY"
    return int(config[key])


# Login attempts per account ---------------------------------------------------------------


def _login_limit():
    return parse(current_app.config["RATELIMIT_LOGIN_ACCOUNT"])


def login_blocked(email: str) -> float | None:
    """Seconds until ``email`` may try to log in again, or None while attempts remain."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return None
    item = _login_limit()
    if limiter.limiter.test(item, "login-account", email):
        return None
    reset = limiter.limiter.get_window_stats(item, "login-account", email).reset_time
    return max(1.0, reset - time.time())


def count_failed_login(email: str) -> bool:
    """Record a failed attempt; True exactly once per window, when the limit is reached
    (the moment to tell the account's owner)."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return False
    item = _login_limit()
    limiter.limiter.hit(item, "login-account", email)
    if limiter.limiter.test(item, "login-account", email):
        return False
    notice = parse(f"1 per {item.get_expiry()} seconds")
    return limiter.limiter.hit(notice, "login-notice", email)


def retry_after() -> int:
    """Seconds until the limit that refused this request allows it again."""
    current = limiter.current_limit
    if current is None:
        return 60
    return max(1, int(current.reset_at - time.time()) + 1)
