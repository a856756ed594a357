"""The extraction queue: the ``documents`` rows whose status is ``pending``.

Rows are claimed one at a time with a conditional UPDATE (``pending`` -> ``running``),
so any number of workers and CLI runs can drain together without reading a file twice.
The queue lives in the database, so it survives restarts; a row left ``running`` by a
process that died is put back after ``EXTRACT_TIMEOUT`` plus a grace period (while a row
is running, ``extracted_at`` holds the time it was claimed).
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable
from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy import select, update

from board.documents import service
from board.documents.runner import run_extraction
from board.documents.sniff import KINDS
from board.documents.storage import get_storage
from board.extensions import db
from board.models import Document
from board.models.base import utcnow

log = logging.getLogger(__name__)
GRACE = timedelta(seconds=60)


def requeue_stale() -> int:
    """Put back rows claimed by a process that died; returns how many."""
    cutoff = utcnow() - timedelta(seconds=float(current_app.config["EXTRACT_TIMEOUT"])) - GRACE
    result = db.session.execute(
        update(Document)
        .where(Document.extraction_status == "running", Document.extracted_at < cutoff)
        .values(extraction_status="pending")
    )
    db.session.commit()
    return result.rowcount or 0


def claim_next() -> int | None:
    """Atomically take the oldest pending document; None when the queue is empty."""
    while True:
        candidate = db.session.scalar(
            select(Document.id)
            .where(Document.extraction_status == "pending")
            .order_by(Document.id)
            .limit(1)
        )
        if candidate is None:
            db.session.commit()
            return None
        result = db.session.execute(
            update(Document)
            .where(Document.id == candidate, Document.extraction_status == "pending")
            .values(extraction_status="running", extracted_at=utcnow())
        )
        db.session.commit()
        if result.rowcount == 1:
            return candidate


def extract_document(document_id: int) -> Document | None:
    """Read one claimed document's text in the child process and store the outcome.

    No transaction is open while the child runs (it may take the whole time limit).
    The final change goes through the ORM so the search outbox records it.
    """
    document = db.session.get(Document, document_id)
    if document is None:
        return None
    kind, sha256 = document.kind, document.sha256
    db.session.commit()
    storage = get_storage()
    config = current_app.config
    with tempfile.TemporaryDirectory(prefix="mreza-extract-") as tmp:
        path = f"{tmp}/input{KINDS[kind].extensions[0]}"  # some parsers look at the name
        with storage.open(sha256) as source, open(path, "wb") as target:
            shutil.copyfileobj(source, target)
        outcome = run_extraction(
            kind,
            path,
            timeout=float(config["EXTRACT_TIMEOUT"]),
            memory_mb=int(config["EXTRACT_MEMORY_MB"]),
        )
    document = db.session.get(Document, document_id)
    service.record_extraction(document, outcome)
    db.session.commit()
    if not outcome.ok:
        log.info("Document %s: text not read (%s: %s)", document_id, outcome.error, outcome.detail)
    return document


def drain(limit: int | None = None, progress: Callable[[Document], None] | None = None) -> int:
    """Extract pending documents until none is left (or ``limit``); returns how many."""
    requeue_stale()
    done = 0
    while limit is None or done < limit:
        document_id = claim_next()
        if document_id is None:
            break
        try:
            document = extract_document(document_id)
        except Exception:
            db.session.rollback()
            log.exception("Extraction of document %s failed; it stays queued", document_id)
            _release(document_id)
            break
        done += 1
        if progress is not None and document is not None:
            progress(document)
    return done


def _release(document_id: int) -> None:
    db.session.execute(
        update(Document)
        .where(Document.id == document_id, Document.extraction_status == "running")
        .values(extraction_status="pending")
    )
    db.session.commit()


def drain_in_app(app: Flask) -> int:
    """``drain`` with its own app context (for the worker thread)."""
    with app.app_context():
        try:
            return drain()
        finally:
            db.session.remove()
