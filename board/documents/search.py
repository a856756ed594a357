"""How a document becomes search entries: one ``SearchDoc`` per page of its text.

Called by the search outbox drain (``board.search.indexing``) for entity ``document``;
it decides only how a document is cut into pages and what metadata goes with them. The
drain decides whether the document may be indexed at all (its post public).
"""

from __future__ import annotations

import hashlib

from board.models import Document
from board.search.backend import SearchDoc

PAGE_BREAK = "\f"


def document_pages(document: Document) -> list[str]:
    """The extracted text, page by page (pages are stored joined by form feeds)."""
    return document.text.split(PAGE_BREAK) if document.text else []


def document_search_docs(document: Document) -> list[SearchDoc]:
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
