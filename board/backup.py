"""Backup and restore of one instance: database, uploads, secret key, with checksums.

``flask board backup DIR`` may run while the board serves. On SQLite the database is
copied with SQLite's online backup API in one step, which reads one consistent snapshot
(in WAL mode writers carry on meanwhile); the uploads are copied *after* it, and since a
document's blob is stored before its row commits, every file the snapshot refers to is
already there. On PostgreSQL ``pg_dump`` (itself one consistent snapshot) writes the
database; without it on the PATH the backup says what to run. ``manifest.json`` lists
every file with its size and sha256.

``flask board restore DIR`` checks every checksum before touching anything, refuses to
replace an instance that holds data unless ``--force``, restores, and the CLI then
rebuilds the search index from the restored database. Stop the web server first.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask
from sqlalchemy import func, inspect, select
from sqlalchemy.engine import make_url

from board.extensions import db

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "board.sqlite3"
PG_FILE = "database.pgdump"
SECRET_FILE = "secret_key"  # noqa: S105  (a file name, not a secret)
UPLOADS = "uploads"
CHUNK = 1024 * 1024


class BackupError(RuntimeError):
    """The backup could not be written or read; the message says what to do."""


class RestoreRefusedError(BackupError):
    """The target instance holds data and ``--force`` was not given."""


@dataclass
class Manifest:
    """What a backup holds: database kind, files with sizes and checksums."""

    database: str
    created_at: str
    files: dict[str, dict] = field(default_factory=dict)
    revision: str = ""
    missing_uploads: list[str] = field(default_factory=list)

    def write(self, directory: Path) -> None:
        """Write ``manifest.json`` last, so a backup without one is visibly unfinished."""
        data = {"format": FORMAT, **self.__dict__}
        (directory / MANIFEST).write_text(json.dumps(data, indent=1, sort_keys=True))

    @classmethod
    def read(cls, directory: Path) -> Manifest:
        """The manifest of a backup, or BackupError when there is none we can read."""
        path = directory / MANIFEST
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError) as error:
            raise BackupError(f"{path} is missing or unreadable: not a finished backup") from error
        if data.pop("format", None) != FORMAT:
            raise BackupError(f"{path}: unknown backup format")
        return cls(**data)


def sha256_file(path: Path) -> str:
    """The hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _is_sqlite(app: Flask) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")


def _sqlite_path(app: Flask) -> Path:
    database = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database
    if not database or database == ":memory:":
        raise BackupError("the database is in memory: nothing to back up")
    return Path(database)


def _libpq_url(app: Flask) -> str:
    """The database URL as pg_dump understands it (no SQLAlchemy driver suffix)."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def pg_tool(name: str) -> str | None:
    """``pg_dump`` / ``pg_restore`` from the PATH, else from Debian's versioned folder."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _revision() -> str:
    from sqlalchemy import text

    try:
        return db.session.scalar(text("SELECT version_num FROM alembic_version")) or ""
    except Exception:  # a database never migrated has no revision to record
        db.session.rollback()
        return ""


def backup(app: Flask, target: Path) -> Manifest:
    """Write a consistent copy of the instance into ``target`` (new or empty)."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty; back up into a new directory")
    target.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    manifest = Manifest(database="sqlite" if _is_sqlite(app) else "postgresql", created_at=stamp)
    manifest.revision = _revision()
    if manifest.database == "sqlite":
        _backup_sqlite(_sqlite_path(app), target / SQLITE_FILE)
        manifest.files[SQLITE_FILE] = {}
    else:
        _backup_postgres(app, target / PG_FILE)
        manifest.files[PG_FILE] = {}
    referenced = _referenced_blobs(app, target, manifest.database)
    copied = _copy_uploads(Path(app.config["UPLOAD_PATH"]), target / UPLOADS)
    manifest.files.update({name: {} for name in copied})
    manifest.missing_uploads = sorted(referenced - {Path(p).name for p in copied})
    secret = Path(app.instance_path) / SECRET_FILE
    if secret.is_file():
        shutil.copy2(secret, target / SECRET_FILE)
        manifest.files[SECRET_FILE] = {}
    for name in manifest.files:
        path = target / name
        manifest.files[name] = {"sha256": sha256_file(path), "size": path.stat().st_size}
    manifest.write(target)
    return manifest


def _copy_sqlite(source: Path, destination: Path, journal_mode: str) -> None:
    """SQLite's online backup API, all pages in one step: one consistent copy, which also
    keeps a live file's WAL coherent when the copy goes into it."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(destination, timeout=30)
    try:
        src.backup(dst, pages=-1)
        dst.execute(f"PRAGMA journal_mode={journal_mode}")
    finally:
        dst.close()
        src.close()


def _backup_sqlite(source: Path, destination: Path) -> None:
    """One self-contained snapshot file, no -wal beside it."""
    _copy_sqlite(source, destination, "DELETE")


def _run_pg_tool(name: str, command: list[str]) -> None:
    """Run pg_dump or pg_restore; its own words when it fails."""
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{name} failed: {done.stderr.strip()[:500]}")


def _backup_postgres(app: Flask, destination: Path) -> None:
    tool = pg_tool("pg_dump")
    if tool is None:
        raise BackupError(
            "pg_dump is not installed (Debian: apt-get install postgresql-client). Run "
            f'`pg_dump --format=custom --file {destination} "$BOARD_DATABASE_URL"`, then '
            f"copy {app.config['UPLOAD_PATH']} and the instance's secret_key beside it."
        )
    command = [tool, "--format=custom", "--no-owner", f"--file={destination}", _libpq_url(app)]
    _run_pg_tool("pg_dump", command)


def _referenced_blobs(app: Flask, target: Path, kind: str) -> set[str]:
    """The sha256 of every document and staged upload in the database just copied."""
    from sqlalchemy import create_engine, union

    from board.models import Document, StagedUpload

    query = union(select(Document.sha256), select(StagedUpload.sha256))
    if kind != "sqlite":
        shas = set(db.session.scalars(query))
        db.session.rollback()
        return shas
    engine = create_engine(f"sqlite:///{target / SQLITE_FILE}")
    try:
        with engine.connect() as conn:
            return set(conn.scalars(query))
    finally:
        engine.dispose()


def _copy_uploads(source: Path, destination: Path) -> list[str]:
    """Copy every blob (never temp files); returns their paths relative to the backup."""
    copied = []
    if not source.is_dir():
        return copied
    for path in sorted(source.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        relative = path.relative_to(source)
        out = destination / relative
        out.parent.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copy2(path, out)
        except FileNotFoundError:  # deleted since the listing (purged staged upload)
            continue
        copied.append(str(Path(UPLOADS) / relative))
    return copied


def verify(source: Path) -> Manifest:
    """Check every file of a backup against its manifest; BackupError on any mismatch."""
    source = Path(source)
    manifest = Manifest.read(source)
    problems = []
    for name, expected in manifest.files.items():
        path = source / name
        if not path.is_file():
            problems.append(f"missing: {name}")
        elif path.stat().st_size != expected["size"] or sha256_file(path) != expected["sha256"]:
            problems.append(f"checksum mismatch: {name}")
    if problems:
        shown = "; ".join(problems[:5]) + (
            f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        )
        raise BackupError(f"the backup in {source} is damaged: {shown}")
    return manifest


def instance_has_data(app: Flask) -> bool:
    """Whether restoring would overwrite something: users or posts, or stored uploads."""
    from board.models import Post, User

    uploads = Path(app.config["UPLOAD_PATH"])
    if uploads.is_dir() and any(p.is_file() for p in uploads.rglob("*")):
        return True
    tables = set(inspect(db.engine).get_table_names())
    if not {User.__tablename__, Post.__tablename__} <= tables:
        return False
    users = db.session.scalar(select(func.count(User.id)))
    posts = db.session.scalar(select(func.count(Post.id)))
    db.session.rollback()
    return bool(users or posts)


def restore(app: Flask, source: Path, force: bool = False) -> Manifest:
    """Replace this instance's database, uploads and secret key with a verified backup."""
    source = Path(source)
    manifest = verify(source)
    here = "sqlite" if _is_sqlite(app) else "postgresql"
    if manifest.database != here:
        raise BackupError(
            f"the backup holds a {manifest.database} database; this board uses {here}"
        )
    if not force and instance_has_data(app):
        raise RestoreRefusedError(
            "this instance already has members, posts or uploads; restoring would replace "
            "them. Run again with --force to overwrite."
        )
    db.session.remove()
    db.engine.dispose()
    if here == "sqlite":
        _restore_sqlite(source / SQLITE_FILE, _sqlite_path(app))
    else:
        _restore_postgres(app, source / PG_FILE)
    _restore_uploads(source / UPLOADS, Path(app.config["UPLOAD_PATH"]))
    if SECRET_FILE in manifest.files:
        secret = Path(app.instance_path) / SECRET_FILE
        shutil.copy2(source / SECRET_FILE, secret)
        secret.chmod(0o600)
    return manifest


def _restore_sqlite(backup_file: Path, live: Path) -> None:
    """Copy the pages in through the backup API, so the live file's WAL stays coherent."""
    live.parent.mkdir(parents=True, exist_ok=True)
    _copy_sqlite(backup_file, live, "WAL")


def _restore_postgres(app: Flask, dump: Path) -> None:
    tool = pg_tool("pg_restore")
    if tool is None:
        raise BackupError(
            "pg_restore is not installed (Debian: apt-get install postgresql-client). Run "
            f'`pg_restore --clean --if-exists --no-owner -d "$BOARD_DATABASE_URL" {dump}`.'
        )
    command = [tool, "--clean", "--if-exists", "--no-owner", "--single-transaction"]
    command += [f"--dbname={_libpq_url(app)}", str(dump)]
    _run_pg_tool("pg_restore", command)


def _restore_uploads(source: Path, live: Path) -> None:
    """Swap in the backup's uploads as a whole: copied beside, then renamed over."""
    staging = live.with_name(live.name + ".restoring")
    shutil.rmtree(staging, ignore_errors=True)
    if source.is_dir():
        shutil.copytree(source, staging)
    else:
        staging.mkdir(parents=True)
    old = live.with_name(live.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if live.exists():
        os.replace(live, old)
    os.replace(staging, live)
    shutil.rmtree(old, ignore_errors=True)
