"""Upload files that nothing refers to: blobs without a document or staged upload, and
temp files left by a process killed in the middle of writing one.

A blob is stored before the row that refers to it commits, so a young unreferenced blob
may belong to a request still running: only files older than ``min_age`` seconds count.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select, union

from board.documents.storage import LocalStorage
from board.extensions import db
from board.models import Document, StagedUpload


@dataclass
class OrphanReport:
    """Unreferenced blobs, leftover temp files, and how many were too young to judge."""

    blobs: list[Path] = field(default_factory=list)
    temp_files: list[Path] = field(default_factory=list)
    too_new: int = 0
    missing: list[str] = field(default_factory=list)

    @property
    def orphans(self) -> list[Path]:
        return self.blobs + self.temp_files


def find_orphans(storage: LocalStorage, min_age: float) -> OrphanReport:
    """Compare the files under the storage root with every sha256 the database holds."""
    report = OrphanReport()
    referenced = set(
        db.session.scalars(union(select(Document.sha256), select(StagedUpload.sha256)))
    )
    if not storage.root.is_dir():
        report.missing = sorted(referenced)
        return report
    cutoff = time.time() - min_age
    present = set()
    for path in sorted(storage.root.rglob("*")):
        if not path.is_file():
            continue
        if path.name.startswith(".upload-"):
            bucket = report.temp_files
        elif storage.is_blob_path(path):
            present.add(path.name)
            if path.name in referenced:
                continue
            bucket = report.blobs
        else:
            continue  # not ours: leave it alone
        if path.stat().st_mtime > cutoff:
            report.too_new += 1
        else:
            bucket.append(path)
    report.missing = sorted(referenced - present)
    return report


def remove_orphans(report: OrphanReport) -> int:
    """Delete what a report found; returns how many files went."""
    removed = 0
    for path in report.orphans:
        try:
            path.unlink()
            removed += 1
        except FileNotFoundError:
            continue
    return removed
