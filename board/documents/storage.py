"""Content-addressed file storage: a file's name is the sha256 of its bytes.

The same bytes uploaded twice are stored once, and a blob never changes once written, so
nothing needs locking. ``Storage`` is the small interface the rest of the package uses;
``LocalStorage`` keeps blobs under ``instance/uploads/``; shared storage (a network
volume, an object store) can replace it by implementing the same four methods.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import Flask, current_app

CHUNK = 1024 * 1024


class Storage(Protocol):
    """Where uploaded bytes live, addressed by their sha256."""

    def put(self, stream: BinaryIO) -> tuple[str, int]:
        """Store the stream's bytes; return (sha256, size). Idempotent."""

    def open(self, sha256: str) -> BinaryIO:
        """Open a stored blob for reading."""

    def exists(self, sha256: str) -> bool:
        """Whether a blob is stored."""

    def delete(self, sha256: str) -> None:
        """Remove a blob; a missing one is ignored."""


class LocalStorage:
    """Blobs as files ``<root>/ab/cd/abcd…``; written to a temp file, then renamed."""

    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        """The file of a blob; the name is validated so it cannot escape the root."""
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError("not a sha256 hex digest")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def is_blob_path(self, path: Path) -> bool:
        """Whether ``path`` is where this storage keeps the blob named like it."""
        try:
            return self.path(path.name) == path
        except ValueError:
            return False

    def put(self, stream: BinaryIO) -> tuple[str, int]:
        self.root.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := stream.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
            sha = digest.hexdigest()
            target = self.path(sha)
            if target.exists():
                os.unlink(tmp)
                os.utime(target)  # in use again: `documents check` judges orphans by age
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(tmp, target)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        return sha, size

    def open(self, sha256: str) -> BinaryIO:
        return self.path(sha256).open("rb")

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def delete(self, sha256: str) -> None:
        self.path(sha256).unlink(missing_ok=True)


def get_storage(app: Flask | None = None) -> LocalStorage:
    """The app's storage (one per app, created on first use)."""
    app = app or current_app
    storage = app.extensions.get("documents_storage")
    if storage is None:
        storage = app.extensions["documents_storage"] = LocalStorage(app.config["UPLOAD_PATH"])
    return storage
