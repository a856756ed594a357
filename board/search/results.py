"""What a search returns, as the page and the API show it: the validated parameters,
one result (with its badges and the JSON shape DESIGN.md promises) and a page of them."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from markupsafe import Markup

MAX_PAGE = 500
PER_PAGE = 20


@dataclass(frozen=True)
class SearchParams:
    """Validated request parameters (see ``forms.SearchForm``)."""

    q: str = ""
    category: str = ""  # category slug
    author: str = ""  # part of a display name (or handle), or a user id
    type: str = ""  # "", "post" or "document"
    date_from: date | None = None
    date_to: date | None = None
    solved: bool = False
    sort: str = "relevance"
    page: int = 1
    place: str = ""  # municipality slug
    group: str = "thread"  # "thread": the best match per thread; "post": every match
    thread: int | None = None  # only this thread's matches


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
    matches: int | None = None  # grouped: further matches in the same thread

    @property
    def badges(self) -> list[str]:
        """What the result is, as badge keys the page shows (``search.html``).

        Initiatives and good practice get their tags from ``initiatives.views.initiative_kinds``
        on the page; a rank factor for them would go in ``plan.entry_rank``.
        """
        if self.accepted:
            return ["answer"]
        return ["answered"] if self.solved else []

    def to_json(self) -> dict:
        """Exactly the shape DESIGN.md promises for ``/api/v1/search`` (``matches`` is
        added when results are grouped by thread)."""
        data = {
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
        if self.matches is not None:
            data["matches"] = self.matches
        return data


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
