"""Searching as a user: scope the query to what they may read, ask the backend, and turn
ranked ids back into rows (in rank order, one query per kind, dropping anything that is
no longer public as a second safety net behind the index itself)."""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import func, or_, select

from board.extensions import db
from board.incoming import parse_int
from board.models import Category, Document, Post, User
from board.models.documents import document_pages
from board.permissions import visible_category_ids
from board.search import get_backend, highlight, plan, sources
from board.search.backend import SearchHit, SearchPage, SearchQuery
from board.search.results import PER_PAGE, SearchParams, SearchResult, SearchResults
from board.text.markup import plain_text

log = logging.getLogger(__name__)

SNIPPET_FALLBACK = 240
GROUP_WINDOW = 100  # hits read per backend call when grouping by thread
GROUP_MAX_HITS = 500  # grouping looks no deeper; beyond, each hit counts as a thread
MAX_AUTHOR_CHOICES = 10
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
        thread_id=params.thread,
        type=params.type if params.type in ("post", "document") else None,
        date_from=params.date_from,
        date_to=params.date_to,
        solved_only=params.solved,
        sort=params.sort,
        page=params.page,
        per_page=per_page,
    )
    grouped = params.group == "thread" and params.thread is None
    try:
        page, matches = _grouped(query) if grouped else (get_backend().search(query), None)
    except Exception as error:
        log.exception("Search backend failed for a query")
        raise SearchUnavailableError(str(error)) from error
    results.total = page.total
    results.relaxed = page.relaxed
    results.suggestion = page.suggestion
    marks = plan.build(params.q).highlight() if grouped else None
    results.results = hydrate(page.hits, visible, marks)
    if matches is not None:
        for result in results.results:
            result.matches = matches.get(result.thread_id, 0)
    return results


def _grouped(query: SearchQuery) -> tuple[SearchPage, dict[int, int]]:
    """One page of threads: each thread's best hit, and how many more hits it has.

    Reads the backend's ranking ``GROUP_WINDOW`` hits at a time (without snippets: only
    the shown hits get one) until the page is full or ``GROUP_MAX_HITS`` were read. The
    total counts the threads seen plus every hit beyond what was read (an upper bound
    when a query matches more than ``GROUP_MAX_HITS`` entries).
    """
    backend = get_backend()
    wanted = query.page * query.per_page
    threads: dict[int, list[SearchHit]] = {}
    first: SearchPage | None = None
    read, n = 0, 1
    while True:
        chunk = backend.search(replace(query, page=n, per_page=GROUP_WINDOW, snippets=False))
        first = first or chunk
        for hit in chunk.hits:
            threads.setdefault(hit.thread_id, []).append(hit)
        read += len(chunk.hits)
        if not chunk.hits or read >= chunk.total or read >= GROUP_MAX_HITS:
            break
        if len(threads) > wanted:
            break
        n += 1
    groups = list(threads.values())[(query.page - 1) * query.per_page : wanted]
    total = len(threads) + max(0, first.total - read)
    page = SearchPage(
        total, query.page, query.per_page, [g[0] for g in groups], first.relaxed, first.suggestion
    )
    return page, {g[0].thread_id: len(g) - 1 for g in groups}


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
        from board.models import Initiative, Practice

        model = Initiative if params.type == "initiative" else Practice
        kind = frozenset(db.session.scalars(select(model.thread_id)))
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


def matching_authors(text: str) -> list[User]:
    """Members whose display name contains ``text`` (any case), at most
    ``MAX_AUTHOR_CHOICES``; an exact name wins over names that merely contain it.

    The one place a typed author becomes members: by name, or by ``@handle``.
    """
    needle = text.strip().lower()
    pattern = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    condition = or_(
        func.lower(User.display_name).like(pattern, escape="\\"),
        User.handle == needle.lstrip("@"),
    )
    users = list(
        db.session.scalars(
            select(User).where(condition).order_by(User.display_name, User.id).limit(50)
        )
    )
    exact = [u for u in users if u.display_name.lower() == needle]
    return (exact or users)[:MAX_AUTHOR_CHOICES]


def _author_filter(author: str) -> int | None:
    """``author`` is part of a display name (or handle), or a user id.

    Several members match: the page offers them rather than guessing.
    """
    if not author:
        return None
    number = parse_int(author)
    if number is not None and db.session.get(User, number) is not None:
        return number
    users = matching_authors(author)
    if len(users) == 1:
        return users[0].id
    if not users:
        raise SearchInputError("author", _("No member is called %(name)s.", name=author))
    raise SearchInputError(
        "author", _("Several members match %(name)s; choose one.", name=author), users
    )


def hydrate(
    hits: list[SearchHit],
    visible: frozenset[int],
    marks: tuple[set[str], set[str]] | None = None,
) -> list[SearchResult]:
    """Rows for the hits in rank order: one query for posts, one for documents.

    ``marks`` (terms, prefixes): highlight here the hits the backend sent without a
    snippet (grouped searches snippet only what they show).
    """
    posts = sources.load_posts(db.session, [h.post_id for h in hits if h.type == "post"])
    documents = sources.load_documents(
        db.session, [h.document_id for h in hits if h.type == "document" and h.document_id]
    )
    results = []
    for hit in hits:
        if hit.type == "document":
            document = documents.get(hit.document_id)
            if marks and document is not None and not hit.snippet:
                pages = document_pages(document)
                text = pages[(hit.page or 1) - 1] if len(pages) >= (hit.page or 1) else ""
                hit = replace(hit, snippet=highlight.snippet(text, *marks))
            result = _document_result(hit, document, visible)
        else:
            post = posts.get(hit.post_id)
            if marks and post is not None and not hit.snippet:
                text = plain_text(post.body_html) if post.body_html else post.body_md
                hit = replace(hit, snippet=highlight.snippet(text, *marks))
            result = _post_result(hit, post, visible)
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
