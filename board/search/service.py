"""Searching as a user: scope the query to what they may read, ask the backend, and turn
ranked ids back into rows (in rank order, one query per kind, dropping anything that is
no longer public as a second safety net behind the index itself)."""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import func, select

from board.extensions import db
from board.incoming import parse_int
from board.models import Category, Document, Post, User
from board.permissions import visible_category_ids
from board.search import get_backend, sources
from board.search.backend import SearchHit, SearchQuery
from board.text.markup import plain_text

log = logging.getLogger(__name__)

MAX_PAGE = 500
PER_PAGE = 20
SNIPPET_FALLBACK = 240
_MARK = re.compile(r"(</?mark>)")


class SearchInputError(ValueError):
    """A parameter names something that does not exist for this user."""

    def __init__(self, field_name: str, message: str, choices: list[User] | None = None):
        super().__init__(message)
        self.field = field_name
        self.message = message
        self.choices = choices or []


class SearchUnavailableError(RuntimeError):
    """The index cannot answer right now; the page says so instead of failing."""


@dataclass(frozen=True)
class SearchParams:
    """Validated request parameters (see ``forms.SearchForm``)."""

    q: str = ""
    category: str = ""  # category slug
    author: str = ""  # a display name, or a user id
    type: str = ""  # "", "post", "document", "initiative" or "practice"
    date_from: date | None = None
    date_to: date | None = None
    solved: bool = False
    sort: str = "relevance"
    page: int = 1
    place: str = ""  # municipality slug


@dataclass
class SearchResult:
    """One hit as the page and the API show it."""

    type: str
    thread_id: int
    post_id: int
    document_id: int | None
    title: str
    url: str
    snippet: Markup
    category_slug: str
    category_name: str
    author: str
    created_at: datetime
    score: float
    thread_title: str
    thread_url: str
    accepted: bool = False
    solved: bool = False
    page: int | None = None
    download_url: str | None = None
    place: str = ""  # the thread's municipality, shown beside the result

    def to_json(self) -> dict:
        """Exactly the shape DESIGN.md promises for ``/api/v1/search``."""
        return {
            "type": self.type,
            "thread_id": self.thread_id,
            "post_id": self.post_id,
            "document_id": self.document_id,
            "title": self.title,
            "url": self.url,
            "snippet": str(self.snippet),
            "category": self.category_slug,
            "author": self.author,
            "created_at": self.created_at.isoformat(),
            "score": round(float(self.score), 4),
        }


@dataclass
class SearchResults:
    """A page of results, with what pagination and the notes on the page need."""

    params: SearchParams
    total: int = 0
    per_page: int = PER_PAGE
    results: list[SearchResult] = field(default_factory=list)
    relaxed: bool = False
    suggestion: str | None = None

    @property
    def page(self) -> int:
        return self.params.page

    @property
    def pages(self) -> int:
        return min(MAX_PAGE, math.ceil(self.total / self.per_page)) if self.total else 0

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def next_num(self) -> int:
        return self.page + 1

    def iter_pages(
        self, left_edge: int = 1, left_current: int = 2, right_current: int = 3, right_edge: int = 1
    ) -> Iterator[int | None]:
        """Page numbers with ``None`` for gaps, as ``templates/_pagination.html`` expects."""
        last = 0
        for n in range(1, self.pages + 1):
            if (
                n <= left_edge
                or self.page - left_current <= n < self.page + right_current
                or n > self.pages - right_edge
            ):
                if last + 1 != n:
                    yield None
                yield n
                last = n


def search(user: User | None, params: SearchParams, per_page: int = PER_PAGE) -> SearchResults:
    """Run a search as ``user``; raises ``SearchInputError`` for unknown names and
    ``SearchUnavailableError`` when the index cannot answer."""
    results = SearchResults(params=params, per_page=per_page)
    if not params.q:
        return results
    visible = frozenset(visible_category_ids(user))
    query = SearchQuery(
        text=params.q,
        allowed_category_ids=visible,
        category_ids=_category_filter(params.category, visible),
        author_id=_author_filter(params.author),
        thread_ids=_thread_filter(params),
        type=params.type if params.type in ("post", "document") else None,
        date_from=params.date_from,
        date_to=params.date_to,
        solved_only=params.solved,
        sort=params.sort,
        page=params.page,
        per_page=per_page,
    )
    try:
        page = get_backend().search(query)
    except Exception as error:
        log.exception("Search backend failed for a query")
        raise SearchUnavailableError(str(error)) from error
    results.total = page.total
    results.relaxed = page.relaxed
    results.suggestion = page.suggestion
    results.results = hydrate(page.hits, visible)
    return results


def readable_categories(user: User | None) -> list[Category]:
    """The categories offered in the filter: those the user may read."""
    ids = visible_category_ids(user)
    return list(
        db.session.scalars(
            select(Category).where(Category.id.in_(ids)).order_by(Category.position, Category.name)
        )
    )


def _category_filter(slug: str, visible: frozenset[int]) -> frozenset[int] | None:
    """An unreadable category is reported exactly like a missing one: no leak."""
    if not slug:
        return None
    category_id = db.session.scalar(select(Category.id).where(Category.slug == slug))
    if category_id is None or category_id not in visible:
        raise SearchInputError("category", _("There is no category %(slug)s.", slug=slug))
    return frozenset({category_id})


def _thread_filter(params: SearchParams) -> frozenset[int] | None:
    """Place and kind (``type=initiative|practice``, issue 10) both narrow to thread ids."""
    ids = _place_filter(params.place)
    if params.type in ("initiative", "practice"):
        from board.initiatives.queries import thread_ids

        kind = thread_ids(params.type)
        ids = kind if ids is None else ids & kind
    return ids


def _place_filter(slug: str) -> frozenset[int] | None:
    """The threads tagged with a municipality: the backends filter on their ids, so
    totals and pages stay right and retagging a thread needs no reindex."""
    from board.models import Municipality, Thread

    if not slug:
        return None
    place_id = db.session.scalar(select(Municipality.id).where(Municipality.slug == slug))
    if place_id is None:
        raise SearchInputError("place", _("There is no place %(slug)s.", slug=slug))
    ids = db.session.scalars(select(Thread.id).where(Thread.municipality_id == place_id))
    return frozenset(ids)


def _author_filter(author: str) -> int | None:
    """``author`` is a display name (case-insensitive) or a user id.

    Display names are not unique: when several members share one, the page offers them
    by id rather than guessing.
    """
    if not author:
        return None
    number = parse_int(author)
    if number is not None and db.session.get(User, number) is not None:
        return number
    users = list(db.session.scalars(select(User).where(User.display_name == author).limit(10)))
    if not users:
        users = list(
            db.session.scalars(
                select(User).where(func.lower(User.display_name) == author.lower()).limit(10)
            )
        )
    if len(users) == 1:
        return users[0].id
    if not users:
        raise SearchInputError("author", _("No member is called %(name)s.", name=author))
    raise SearchInputError(
        "author", _("Several members are called %(name)s; choose one.", name=author), users
    )


def hydrate(hits: list[SearchHit], visible: frozenset[int]) -> list[SearchResult]:
    """Rows for the hits in rank order: one query for posts, one for documents."""
    posts = sources.load_posts(db.session, [h.post_id for h in hits if h.type == "post"])
    documents = sources.load_documents(
        db.session, [h.document_id for h in hits if h.type == "document" and h.document_id]
    )
    results = []
    for hit in hits:
        if hit.type == "document":
            result = _document_result(hit, documents.get(hit.document_id), visible)
        else:
            result = _post_result(hit, posts.get(hit.post_id), visible)
        if result is None:
            log.warning("Search returned %s, which is not public any more", hit.id)
        else:
            results.append(result)
    return results


def _post_result(hit: SearchHit, post: Post | None, visible: frozenset[int]) -> SearchResult | None:
    if post is None or not sources.post_is_searchable(post):
        return None
    thread = post.thread
    if thread.category_id not in visible:
        return None
    return SearchResult(
        type="post",
        thread_id=thread.id,
        post_id=post.id,
        document_id=None,
        title=thread.title,
        url=post.url,
        snippet=safe_snippet(
            hit.snippet, plain_text(post.body_html) if post.body_html else post.body_md
        ),
        category_slug=thread.category.slug,
        category_name=thread.category.name,
        author=post.author.display_name,
        created_at=post.created_at,
        score=hit.score,
        thread_title=thread.title,
        thread_url=thread.url,
        accepted=post.accepted,
        solved=thread.solved,
        place=thread.municipality.name if thread.municipality else "",
    )


def _document_result(
    hit: SearchHit, document: Document | None, visible: frozenset[int]
) -> SearchResult | None:
    if document is None or not sources.document_is_searchable(document):
        return None
    post = document.post
    thread = post.thread
    if thread.category_id not in visible:
        return None
    anchor = f"#page={hit.page}" if hit.page else ""
    return SearchResult(
        type="document",
        thread_id=thread.id,
        post_id=post.id,
        document_id=document.id,
        title=document.display_title,
        url=f"{document.url}{anchor}",
        snippet=safe_snippet(hit.snippet, document.text),
        category_slug=thread.category.slug,
        category_name=thread.category.name,
        author=post.author.display_name,
        created_at=document.created_at,
        score=hit.score,
        thread_title=thread.title,
        thread_url=post.url,
        accepted=post.accepted,
        solved=thread.solved,
        page=hit.page,
        download_url=f"{document.url}/download{anchor if document.kind == 'pdf' else ''}",
    )


def safe_snippet(snippet: str, fallback_text: str) -> Markup:
    """The backend's snippet with ``<mark>`` as the only markup, whatever it sent.

    Backends escape their text; any other ``<`` or ``>`` left in it would be a backend
    bug, and is escaped here rather than trusted. An empty snippet (a title-only match)
    falls back to the start of the text.
    """
    if not snippet.strip():
        text = " ".join(fallback_text.split())
        if len(text) > SNIPPET_FALLBACK:
            text = text[:SNIPPET_FALLBACK].rsplit(" ", 1)[0] + " …"
        return escape(text)
    parts = []
    for piece in _MARK.split(snippet):
        if piece in ("<mark>", "</mark>"):
            parts.append(piece)
        else:
            parts.append(piece.replace("<", "&lt;").replace(">", "&gt;"))
    return Markup(_balance("".join(parts)))  # noqa: S704 (only <mark> is left unescaped)


def _balance(html: str) -> str:
    """Close an unclosed ``<mark>`` and drop stray ``</mark>`` so nothing bleeds out."""
    out, depth = [], 0
    for piece in _MARK.split(html):
        if piece == "<mark>":
            if depth:
                continue
            depth = 1
        elif piece == "</mark>":
            if not depth:
                continue
            depth = 0
        out.append(piece)
    if depth:
        out.append("</mark>")
    return "".join(out)
