"""Configuration: safe defaults, then anything set as ``BOARD_*`` in the environment."""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path

from flask import Flask

from board.urls import trusted_hosts

DEFAULTS: dict[str, object] = {
    "SEARCH_BACKEND": "whoosh",
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "",  # empty: SQLite in the instance folder (board/ratelimits.py)
    "RATELIMIT_HEADERS_ENABLED": True,
    "SECURE_COOKIES": False,
    "BASE_URL": "",
    "RATELIMIT_LOGIN_ACCOUNT": "10/hour",  # failed logins per account, whatever the address
    "RATELIMIT_POSTING": "30/hour;200/day",  # threads and replies per member
    "RATELIMIT_POSTING_NEW_MEMBER": "5/hour;20/day",  # ... in the member's first day
    "RATELIMIT_POSTING_ADDRESS": "60/hour",  # threads and replies per address
    "RATELIMIT_FLAGGING": "20/hour",
    "RATELIMIT_FLAGGING_NEW_MEMBER": "5/hour",
    "RATELIMIT_SEARCH": "60/minute",  # per member (guests: per address)
    "RATELIMIT_SEARCH_ADDRESS": "120/minute",
    "UPLOADS_PER_DAY": 50,
    "UPLOADS_PER_DAY_NEW_MEMBER": 10,
    "MAIL_SERVER": "",
    "MAIL_PORT": 25,
    "MAIL_USE_TLS": False,
    "MAIL_USERNAME": "",
    "MAIL_PASSWORD": "",
    "MAIL_SENDER": "Mreža <noreply@localhost>",
    "CONFIRM_MAX_AGE": 3 * 24 * 3600,
    "RESET_MAX_AGE": 2 * 3600,
    "POSTS_PER_PAGE": 20,
    "THREADS_PER_PAGE": 25,
    "TITLE_MAX": 200,
    "BODY_MAX": 50_000,
    "UPLOAD_MAX_BYTES": 20 * 1024 * 1024,
    "UPLOAD_MAX_FILES": 10,
    "EXTRACT_TIMEOUT": 60,
    "EXTRACT_MEMORY_MB": 512,
    "FLAG_HIDE_THRESHOLD": 3,
    "NEW_MEMBER_QUEUE_POSTS": 1,
    "TWO_FACTOR_REQUIRED_FOR_STAFF": False,
    "BABEL_DEFAULT_LOCALE": "bs",
    "BABEL_DEFAULT_TIMEZONE": "Europe/Sarajevo",
    "LANGUAGES": ("bs", "hr", "sr", "sr_Latn", "en"),
    "WTF_CSRF_TIME_LIMIT": None,
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "DATABASE_BUSY_TIMEOUT": 10,  # seconds a write waits for the database, then 503
}


def load(app: Flask, test_config: dict | None) -> None:
    """Fill ``app.config``: defaults, environment, then the test overrides win."""
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("BOARD")
    if test_config:
        app.config.update(test_config)
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    url = app.config.get("DATABASE_URL") or f"sqlite:///{instance / 'board.sqlite3'}"
    app.config.setdefault("SQLALCHEMY_DATABASE_URI", url)
    if app.config.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = _normalise_url(app.config["DATABASE_URL"])
    app.config.setdefault("SEARCH_INDEX_PATH", str(instance / "index"))
    app.config.setdefault("UPLOAD_PATH", str(instance / "uploads"))
    app.config.setdefault("MAIL_OUTBOX_PATH", str(instance / "outbox"))
    app.config["MAX_CONTENT_LENGTH"] = _request_limit(app)
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["REMEMBER_COOKIE_HTTPONLY"] = True
    app.config["REMEMBER_COOKIE_SAMESITE"] = "Lax"
    secure = (
        _truthy(app.config["SECURE_COOKIES"])
        or _truthy(app.config.get("SESSION_COOKIE_SECURE"))
        or str(app.config["BASE_URL"]).startswith("https://")
    )
    app.config["SESSION_COOKIE_SECURE"] = secure
    app.config["REMEMBER_COOKIE_SECURE"] = secure
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(instance)
    app.config["BASE_URL"] = str(app.config["BASE_URL"] or "").rstrip("/")
    if not app.config["RATELIMIT_STORAGE_URI"]:
        app.config["RATELIMIT_STORAGE_URI"] = f"sqlite:///{instance / 'ratelimits.sqlite3'}"
    app.config["TRUSTED_HOSTS"] = trusted_hosts(app)


def _truthy(value: object) -> bool:
    return str(value).lower() in {"1", "true", "yes", "on"}


def _normalise_url(url: str) -> str:
    """Let operators write ``postgresql://`` and still get the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _request_limit(app: Flask) -> int:
    """A request may carry the maximum number of maximum-size files plus the form."""
    return int(app.config["UPLOAD_MAX_BYTES"]) * int(app.config["UPLOAD_MAX_FILES"]) + 1024 * 1024


def _instance_secret(instance: Path) -> str:
    """Generate the secret once so sessions survive restarts without a secret in the repo.

    Workers start together: the key is written to a temp file and linked into place, so
    one key wins and no worker ever reads a half-written (empty) one.
    """
    path = instance / "secret_key"
    if not path.exists():
        fd, tmp = tempfile.mkstemp(dir=instance, prefix=".secret_key-")
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
            os.chmod(tmp, 0o600)
            with contextlib.suppress(FileExistsError):
                os.link(tmp, path)
        finally:
            os.unlink(tmp)
    return path.read_text().strip()
