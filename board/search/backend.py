"""The contract every search backend implements, and the values that cross it.

The service turns a request into a ``SearchQuery`` (already scoped to the categories the
user may read), the backend answers with ids, scores and snippets, and the service turns
ids back into rows. Backends never see users or permissions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol


class IndexBusyError(RuntimeError):
    """Another process holds the index writer; try again later (the outbox keeps the work).

    Any backend whose writes can be refused for a while raises this (Whoosh allows one
    writer); the drain, ``reindex`` and ``check`` catch it by type and retry.
    """


@dataclass(frozen=True)
class SearchDoc:
    """One indexable unit: a post, or one page of a document's text.

    ``id`` is ``"post:<post_id>"`` or ``"doc:<document_id>:<page>"`` (page from 1; text
    without pages is page 1). ``version`` changes whenever the indexed content does, so
    ``check`` can tell stale entries from current ones.
    """

    id: str
    type: str  # "post" | "document"
    version: str
    thread_id: int
    post_id: int
    category_id: int
    author_id: int
    author: str
    title: str  # thread title for posts; document title for documents
    body: str  # post text (Markdown source) or the page's text
    created_at: datetime
    is_first: bool = False
    accepted: bool = False
    solved: bool = False
    document_id: int | None = None
    page: int | None = None
    doc_type: str = ""
    extra: str = ""  # searchable metadata: file name, municipality, year, category name
    quoted: str = ""  # words the post quotes from others: found, but weighed less


@dataclass(frozen=True)
class SearchQuery:
    """What to look for, and the filters the service has already decided on."""

    text: str
    allowed_category_ids: frozenset[int] | None = None  # None: no restriction
    category_ids: frozenset[int] | None = None  # the user's category filter
    author_id: int | None = None
    thread_ids: frozenset[int] | None = None  # a place's threads (``place=``); None: any
    thread_id: int | None = None  # one thread's matches ("N more matches in this thread")
    type: str | None = None  # "post" | "document" | None for both
    date_from: date | None = None
    date_to: date | None = None
    solved_only: bool = False
    sort: str = "relevance"  # "relevance" | "new"
    page: int = 1
    per_page: int = 20
    snippets: bool = True  # False: the caller highlights only the hits it shows


@dataclass(frozen=True)
class SearchHit:
    """One result: which document matched, how well, and a highlighted snippet.

    ``snippet`` is HTML in which only ``<mark>`` is markup; everything else is escaped.
    """

    id: str
    score: float
    snippet: str
    type: str
    thread_id: int
    post_id: int
    document_id: int | None = None
    page: int | None = None


@dataclass(frozen=True)
class SearchPage:
    """One page of results, plus what the engine did to the query to get them."""

    total: int
    page: int
    per_page: int
    hits: list[SearchHit] = field(default_factory=list)
    relaxed: bool = False  # no result had every word, so any word was enough
    suggestion: str | None = None  # "did you mean", when a correction finds more


class SearchBackend(Protocol):
    """Implemented by ``backends.whoosh`` (default) and ``backends.postgres``."""

    def index(self, docs: Iterable[SearchDoc]) -> None:
        """Add or replace these documents (by ``id``)."""

    def delete(self, ids: Iterable[str]) -> None:
        """Remove these ids; unknown ids are ignored."""

    def delete_documents(self, document_ids: Iterable[int]) -> None:
        """Remove every page of these documents (their page count may have changed)."""

    def search(self, query: SearchQuery) -> SearchPage:
        """Run a query; malformed syntax is read as plain words, never an error."""

    def clear(self) -> None:
        """Remove everything (before a full reindex)."""

    def optimize(self) -> None:
        """Compact the index so queries stay fast (``flask board search optimize``)."""

    def bulk(self) -> AbstractContextManager[None]:
        """Group the writes made inside into one (a full reindex): an engine that pays per
        commit (Whoosh writes a segment each time) writes once, compactly, at the end."""

    def versions(self) -> Mapping[str, str]:
        """Every indexed id with its version, for ``flask board search check``."""
