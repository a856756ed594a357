"""What the index should hold, read from the database.

The drain, ``reindex`` and ``check`` all ask this module, so "what is searchable" is
decided once: a post is indexed exactly when everyone who may read its category may read
it (approved, not deleted, not hidden, in an approved, visible thread). Documents follow
the post they are attached to, one entry per page of their extracted text
(``document_docs``); search reads the Document model only, and the documents package,
which uses search, is not imported here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from board.models import Document, Post, Thread
from board.models.documents import document_pages
from board.search.backend import SearchDoc
from board.text.markup import own_and_quoted_text

# Part of every post's version: entries indexed before quoted words had their own weight
# show as stale in ``flask board search check``, and ``reindex`` rewrites them.
QUOTES_APART = "quotes-apart-1"


def post_doc_id(post_id: int) -> str:
    """The index id of a post."""
    return f"post:{post_id}"


def post_is_searchable(post: Post) -> bool:
    """Public post in a public thread: the only posts search may ever return."""
    thread = post.thread
    return post.is_public and thread.approved and not thread.is_hidden


def post_version(post: Post) -> str:
    """A fingerprint of everything a post's entry holds, so ``check`` spots stale entries."""
    thread = post.thread
    parts = (
        post.body_md,
        thread.title,
        str(thread.category_id),
        str(post.author_id),
        post.author.display_name,
        "1" if post.accepted else "0",
        "1" if thread.solved else "0",
        "1" if post.is_first else "0",
        post.created_at.isoformat(),
        QUOTES_APART,
    )
    return hashlib.sha1("\x1f".join(parts).encode(), usedforsecurity=False).hexdigest()[:16]


def post_doc(post: Post) -> SearchDoc:
    """The index entry of a searchable post (thread and author must be loaded)."""
    thread = post.thread
    own, quoted = own_and_quoted_text(post.body_html) if post.body_html else (post.body_md, "")
    return SearchDoc(
        id=post_doc_id(post.id),
        type="post",
        version=post_version(post),
        thread_id=thread.id,
        post_id=post.id,
        category_id=thread.category_id,
        author_id=post.author_id,
        author=post.author.display_name,
        title=thread.title,
        body=own,
        quoted=quoted,
        created_at=post.created_at,
        is_first=post.is_first,
        accepted=post.accepted,
        solved=thread.solved,
    )


def load_posts(session: Session, post_ids: Iterable[int]) -> dict[int, Post]:
    """Posts with their thread, category and author, in one query."""
    ids = list(post_ids)
    if not ids:
        return {}
    query = (
        select(Post)
        .where(Post.id.in_(ids))
        .options(
            joinedload(Post.thread).joinedload(Thread.category),
            joinedload(Post.thread).joinedload(Thread.municipality),
            joinedload(Post.author),
        )
    )
    return {post.id: post for post in session.scalars(query).unique()}


def load_documents(session: Session, document_ids: Iterable[int]) -> dict[int, Document]:
    """Documents with their post, thread and category, in one query."""
    ids = list(document_ids)
    if not ids:
        return {}
    query = (
        select(Document)
        .where(Document.id.in_(ids))
        .options(
            joinedload(Document.post).joinedload(Post.thread).joinedload(Thread.category),
            joinedload(Document.post).joinedload(Post.author),
        )
    )
    return {document.id: document for document in session.scalars(query).unique()}


def document_is_searchable(document: Document) -> bool:
    """A document is found exactly when the post it is attached to is."""
    return document.post is not None and post_is_searchable(document.post)


def chunked(ids: Iterable[int], size: int) -> Iterator[list[int]]:
    """Split ids into lists of at most ``size``, to keep each query and write bounded."""
    batch: list[int] = []
    for value in ids:
        batch.append(value)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def all_post_ids(session: Session) -> list[int]:
    """Every post id, searchable or not (reindex and check decide per post)."""
    return list(session.scalars(select(Post.id).order_by(Post.id)))


def all_document_ids(session: Session) -> list[int]:
    """Every document id."""
    return list(session.scalars(select(Document.id).order_by(Document.id)))


def document_docs(document: Document) -> list[SearchDoc]:
    """Entries ``doc:<id>:<page>`` for each page with text; none until extraction is done."""
    post = document.post
    if post is None or document.extraction_status != "done" or not post.is_public:
        return []
    thread = post.thread
    category = thread.category
    extra = " ".join(
        part
        for part in (
            document.filename,
            document.municipality,
            str(document.year) if document.year else "",
            category.name,
        )
        if part
    )
    title = document.display_title
    docs = []
    for number, text in enumerate(document_pages(document), start=1):
        if not text.strip():
            continue
        fingerprint = "\x1f".join(
            (
                title,
                extra,
                document.doc_type,
                thread.title,
                str(category.id),
                post.author.display_name,
                text,
            )
        )
        docs.append(
            SearchDoc(
                id=f"doc:{document.id}:{number}",
                type="document",
                version=hashlib.sha1(fingerprint.encode(), usedforsecurity=False).hexdigest()[:16],
                thread_id=thread.id,
                post_id=post.id,
                category_id=category.id,
                author_id=post.author_id,
                author=post.author.display_name,
                title=title,
                body=text,
                created_at=document.created_at,
                is_first=post.is_first,
                solved=thread.solved,
                document_id=document.id,
                page=number,
                doc_type=document.doc_type,
                extra=extra,
            )
        )
    return docs
