"""Staged uploads: files kept from a post form that was refused, until the next submit.

Browsers never re-fill a file input, so when a new-thread or reply form comes back with a
400 (empty title, a refused second file...) the files that passed the checks would be
lost. They are stored (content-addressed, like documents) and recorded with a random
token; the re-rendered form carries the tokens, and the next submission of the same
member attaches them. A token is looked up together with its owner, so guessing or
copying another member's token finds nothing. Rows older than ``STAGED_MAX_AGE`` are
purged with their blobs (unless a document or another staged row shares the bytes).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import delete, exists, select

from board.documents.service import CheckedFile, Metadata, add_document, human_size
from board.documents.sniff import KINDS
from board.documents.storage import get_storage
from board.extensions import db
from board.models import Document, Post, StagedUpload, User
from board.models.base import utcnow

STAGED_MAX_AGE = timedelta(hours=24)
MAX_TOKENS = 50  # a form never carries more; more is tampering, not a lost file


def staged_label(staged: StagedUpload) -> str:
    """``statut.pdf (1.2 MB)``, as the form lists it."""
    return f"{staged.filename} ({human_size(staged.size)})"


def find_staged(user: User | None, tokens: Iterable[str]) -> list[StagedUpload]:
    """The user's own unexpired staged uploads among ``tokens``, in the order given.

    Someone else's token, an expired one or a made-up one is silently left out: the
    member sees exactly what will be attached in the re-rendered form.
    """
    wanted = list(dict.fromkeys(t for t in tokens if t))[:MAX_TOKENS]
    if user is None or not getattr(user, "id", None) or not wanted:
        return []
    rows = db.session.scalars(
        select(StagedUpload).where(
            StagedUpload.token.in_(wanted),
            StagedUpload.user_id == user.id,
            StagedUpload.created_at > utcnow() - STAGED_MAX_AGE,
        )
    ).all()
    by_token = {row.token: row for row in rows}
    return [by_token[t] for t in wanted if t in by_token]


def stage_uploads(
    user: User, files: Iterable[CheckedFile], dropped: Iterable[StagedUpload] = ()
) -> list[StagedUpload]:
    """Store checked files for a later submission and forget the ones the member removed;
    the use case (``board.forum.service.keep_uploads``) commits."""
    storage = get_storage()
    staged = []
    for upload in files:
        upload.stream.seek(0)
        sha256, size = storage.put(upload.stream)
        row = StagedUpload(
            token=secrets.token_urlsafe(24),
            user_id=user.id,
            sha256=sha256,
            size=size,
            filename=upload.filename,
            kind=upload.sniffed.kind.code,
        )
        db.session.add(row)
        staged.append(row)
    _forget(list(dropped))
    return staged


def attach_staged(
    user: User,
    post: Post,
    staged: Iterable[StagedUpload],
    meta: Metadata,
    dropped: Iterable[StagedUpload] = (),
) -> list[Document]:
    """Turn staged uploads into the post's documents (in the post's transaction; the
    caller commits) and forget the ones the member removed."""
    documents = []
    for row in staged:
        kind = KINDS.get(row.kind)
        if kind is None:  # a type no longer accepted since it was staged
            continue
        document = add_document(user, post, (row.sha256, row.size), row.filename, kind, meta)
        db.session.delete(row)
        documents.append(document)
    _forget(list(dropped))
    return documents


def forget_expired(max_age: timedelta = STAGED_MAX_AGE) -> int:
    """Delete staged uploads older than ``max_age`` and their unshared blobs; the caller
    commits. Returns how many there were."""
    old = db.session.scalars(
        select(StagedUpload).where(StagedUpload.created_at <= utcnow() - max_age)
    ).all()
    _forget(list(old))
    return len(old)


def purge_staged(max_age: timedelta = STAGED_MAX_AGE) -> int:
    """The purge use case (``flask board documents purge-staged``): forget expired staged
    uploads and commit once."""
    count = forget_expired(max_age)
    db.session.commit()
    return count


def _forget(rows: list[StagedUpload]) -> None:
    """Delete rows, and each blob no document and no remaining staged row uses."""
    if not rows:
        return
    ids = [row.id for row in rows if row.id is not None]
    hashes = {row.sha256 for row in rows}
    db.session.execute(delete(StagedUpload).where(StagedUpload.id.in_(ids)))
    db.session.flush()
    storage = get_storage()
    for sha256 in hashes:
        used = db.session.scalar(
            select(
                exists().where(Document.sha256 == sha256)
                | exists().where(StagedUpload.sha256 == sha256)
            )
        )
        if not used:
            storage.delete(sha256)
