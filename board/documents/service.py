"""Documents of posts: check uploads, attach them to a post, record extraction results,
and list the library. Attaching is part of the forum's post use cases, which commit."""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from typing import BinaryIO, Protocol

from flask import current_app, g
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from board.documents.runner import Outcome
from board.documents.sniff import RefusedFile, Sniffed, sniff
from board.documents.storage import get_storage
from board.extensions import db
from board.models import Category, Document, Post, StagedUpload, Thread, User
from board.models.base import utcnow
from board.models.documents import PAGE_BREAK
from board.permissions import visible_category_ids

REASONS = {
    "encrypted": _l("The file is protected by a password, so its text cannot be read."),
    "damaged": _l("The file is damaged or not valid, so its text cannot be read."),
    "no_text": _l(
        "The file contains no text that can be read (for example a scanned page); "
        "search will not find words in it."
    ),
    "unsafe": _l(
        "The file contains XML constructs that can be used for attacks, so it was not read."
    ),
    "timeout": _l("Reading the file took too long, so its text was not read."),
    "too_large": _l("The file needed too much memory to read, so its text was not read."),
    "forbidden": _l("The file's own settings forbid copying its text, so it was not read."),
    "no_reader": _l(
        "The board has no reader for this kind of file installed, so its text was not "
        "read. The file is kept and can be downloaded."
    ),
}
STATUS_LABELS = {
    "pending": _l("Text is being read"),
    "running": _l("Text is being read"),
    "done": _l("Text read"),
    "failed": _l("Text could not be read"),
    "skipped": _l("Image"),
}


class FileLike(Protocol):
    """An uploaded file: its name as sent and a seekable stream (werkzeug's FileStorage)."""

    filename: str | None
    stream: BinaryIO


@dataclass(frozen=True)
class Metadata:
    """What the uploader may say about the documents of one post."""

    title: str = ""
    doc_type: str = "other"
    municipality: str = ""
    year: int | None = None


@dataclass
class CheckedFile:
    """An upload that passed the checks, ready to store."""

    filename: str
    stream: BinaryIO
    size: int
    sniffed: Sniffed
    stored: tuple[str, int] | None = None


def store_uploads(files: list[CheckedFile]) -> None:
    """Write the files' bytes to storage *before* the post's transaction begins.

    On SQLite the first flush of a post takes the database's only write lock until the
    commit; hashing and copying up to 200 MB inside it made every other writer wait past
    the busy timeout under load (a 500, now a 503). Stored blobs that end up unused
    (the post then fails) are found by ``board documents check``.
    """
    storage = get_storage()
    for upload in files:
        if upload.stored is None:
            upload.stream.seek(0)
            upload.stored = storage.put(upload.stream)


@dataclass(frozen=True)
class Attachments:
    """What a post form brings along: new files that passed the checks, files staged by
    an earlier refusal (``staged``) and those the member removed (``dropped``), and the
    metadata that applies to all of them."""

    files: tuple[CheckedFile, ...] = ()
    staged: tuple[StagedUpload, ...] = ()
    dropped: tuple[StagedUpload, ...] = ()
    meta: Metadata = Metadata()


def safe_filename(name: str) -> str:
    """The name as the user sent it, without a path or control characters."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    stem, ext = os.path.splitext(name)
    return (stem[: 200 - len(ext)] + ext) if name else "document"


def human_size(size: int) -> str:
    """``20 MB``, ``1.5 MB``, ``40 KB``: sizes as people read them."""
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f}".removesuffix(".0") + " MB"
    return f"{-(-size // 1024)} KB"


def count_message(count: int, already: int) -> str:
    """Why ``count`` files (``already`` of them attached before) are too many, or ``""``."""
    max_files = int(current_app.config["UPLOAD_MAX_FILES"])
    if count <= max_files:
        return ""
    if already:
        return str(
            _l(
                "You can attach at most %(max)d files to a post; with the files already "
                "attached you chose %(count)d. Remove some of them.",
                max=max_files,
                count=count,
            )
        )
    return str(
        _l(
            "You can attach at most %(max)d files to a post; you chose %(count)d.",
            max=max_files,
            count=count,
        )
    )


def uploads_today(user: User) -> int:
    """Files ``user`` uploaded in the last 24 hours (for the daily cap)."""
    since = utcnow() - timedelta(days=1)
    return db.session.scalar(
        select(func.count(Document.id)).where(
            Document.uploader_id == user.id, Document.created_at > since
        )
    )


def sort_uploads(files: list[FileLike]) -> tuple[list[CheckedFile], list[str]]:
    """Size and type of each chosen file: the ones that pass, and why each other one does
    not (the form drops empty file inputs before).

    The files that pass are returned even when others fail, so a refused form can keep
    them (see ``board.documents.staging``).
    """
    max_bytes = int(current_app.config["UPLOAD_MAX_BYTES"])
    checked, problems = [], []
    for upload in files:
        name = safe_filename(upload.filename)
        stream = upload.stream
        stream.seek(0, os.SEEK_END)
        size = stream.tell()
        stream.seek(0)
        if size > max_bytes:
            problems.append(
                str(
                    _l(
                        "“%(name)s” is %(size)s; a file can be at most %(max)s.",
                        name=name,
                        size=human_size(size),
                        max=human_size(max_bytes),
                    )
                )
            )
            continue
        try:
            checked.append(CheckedFile(name, stream, size, sniff(stream, name)))
        except RefusedFile as refusal:
            problems.append(str(refusal))
    return checked, problems


def add_document(
    user: User, post: Post, stored: tuple[str, int], filename: str, kind, meta: Metadata
) -> Document:
    """A document row for bytes already in storage (``stored``: sha256 and size), added
    to the post's transaction, its text extraction queued when the type has text."""
    sha256, size = stored
    document = Document(
        post=post,
        uploader=user,
        sha256=sha256,
        size=size,
        filename=filename,
        mime=kind.mime,
        kind=kind.code,
        title=meta.title.strip()[:200],
        doc_type=meta.doc_type,
        municipality=meta.municipality.strip()[:100],
        year=meta.year,
        extraction_status="pending" if kind.text else "skipped",
    )
    db.session.add(document)
    if kind.text:
        g.documents_queued = True
    return document


def attach_documents(
    user: User, post: Post, files: list[CheckedFile], meta: Metadata
) -> list[Document]:
    """Store the files and add their rows to the post's transaction (the caller commits).

    Text extraction is queued, not run: the request returns at once and the worker (or
    ``flask board documents extract``) reads the text afterwards.
    """
    storage = get_storage()
    documents = []
    for upload in files:
        stored = upload.stored
        if stored is None:
            upload.stream.seek(0)
            stored = storage.put(upload.stream)
        documents.append(
            add_document(user, post, stored, upload.filename, upload.sniffed.kind, meta)
        )
    return documents


def record_extraction(document: Document, outcome: Outcome) -> None:
    """Store the text (pages joined by form feeds) or the reason there is none."""
    document.extracted_at = utcnow()
    if outcome.ok:
        document.text = PAGE_BREAK.join(page.replace(PAGE_BREAK, " ") for page in outcome.pages)
        document.page_count = len(outcome.pages)
        document.extraction_status = "done"
        document.extraction_error = "partial" if outcome.partial else ""
    else:
        document.text = ""
        document.page_count = 0
        document.extraction_status = "failed"
        document.extraction_error = outcome.error if outcome.error in REASONS else "damaged"


def reason_message(document: Document) -> str:
    """Why the text could not be read (or only partly), in the reader's language."""
    if document.extraction_status == "done":
        if document.extraction_error != "partial":
            return ""
        return str(
            _l(
                "The file is too long to read whole within the limits: only its first "
                "%(count)d pages were read, and search finds words in those pages.",
                count=document.page_count,
            )
        )
    if document.extraction_status != "failed":
        return ""
    return str(REASONS.get(document.extraction_error, REASONS["damaged"]))


# Queries --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LibraryFilter:
    """The library's filters, already validated."""

    category_id: int | None = None
    doc_type: str | None = None
    municipality: str | None = None
    year: int | None = None
    sort: str = "new"


def library_query(user: User | None, filters: LibraryFilter) -> Select:
    """Documents of public posts in categories ``user`` may read (never hidden ones)."""
    query = (
        select(Document)
        .join(Document.post)
        .join(Post.thread)
        .where(Thread.category_id.in_(visible_category_ids(user)), Post.is_public, Thread.is_public)
        .options(
            selectinload(Document.post).selectinload(Post.thread).selectinload(Thread.category)
        )
    )
    if filters.category_id is not None:
        query = query.where(Thread.category_id == filters.category_id)
    if filters.doc_type:
        query = query.where(Document.doc_type == filters.doc_type)
    if filters.municipality:
        query = query.where(Document.municipality == filters.municipality)
    if filters.year is not None:
        query = query.where(Document.year == filters.year)
    if filters.sort == "title":
        return query.order_by(Document.title == "", Document.title, Document.filename, Document.id)
    return query.order_by(Document.created_at.desc(), Document.id.desc())


def library_choices(user: User | None) -> tuple[list[Category], list[str], list[int]]:
    """Categories, municipalities and years that the reader's documents have."""
    ids = library_query(user, LibraryFilter()).order_by(None).with_only_columns(Document.id)
    municipalities = db.session.scalars(
        select(Document.municipality)
        .where(Document.id.in_(ids), Document.municipality != "")
        .distinct()
        .order_by(Document.municipality)
    ).all()
    years = db.session.scalars(
        select(Document.year)
        .where(Document.id.in_(ids), Document.year.is_not(None))
        .distinct()
        .order_by(Document.year.desc())
    ).all()
    categories = db.session.scalars(
        select(Category)
        .where(Category.id.in_(visible_category_ids(user)))
        .order_by(Category.position, Category.name)
    ).all()
    return list(categories), list(municipalities), list(years)
