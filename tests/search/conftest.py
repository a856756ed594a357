"""Search test helpers. TEMPORARY: until whoosh_backend lands, a tiny in-memory backend."""

from __future__ import annotations

import html
import importlib.util

import pytest

from board.search.backend import SearchHit, SearchPage


class MemoryBackend:
    def __init__(self):
        self.docs = {}

    def index(self, docs):
        for d in docs:
            self.docs[d.id] = d

    def delete(self, ids):
        for i in ids:
            self.docs.pop(i, None)

    def delete_documents(self, document_ids):
        ids = set(document_ids)
        for k in [k for k, d in self.docs.items() if d.document_id in ids]:
            del self.docs[k]

    def clear(self):
        self.docs.clear()

    def versions(self):
        return {k: d.version for k, d in self.docs.items()}

    def search(self, q):
        words = q.text.lower().split()
        hits = []
        for d in self.docs.values():
            text = (d.title + " " + d.body).lower()
            if not all(w in text for w in words):
                continue
            if q.allowed_category_ids is not None and d.category_id not in q.allowed_category_ids:
                continue
            if q.category_ids is not None and d.category_id not in q.category_ids:
                continue
            if q.author_id is not None and d.author_id != q.author_id:
                continue
            if q.type and d.type != q.type:
                continue
            if q.solved_only and not d.solved:
                continue
            hits.append(d)
        total = len(hits)
        start = (q.page - 1) * q.per_page
        return SearchPage(
            total=total,
            page=q.page,
            per_page=q.per_page,
            hits=[
                SearchHit(
                    id=d.id,
                    score=1.0,
                    snippet=html.escape(d.body[:100]),
                    type=d.type,
                    thread_id=d.thread_id,
                    post_id=d.post_id,
                    document_id=d.document_id,
                    page=d.page,
                )
                for d in hits[start : start + q.per_page]
            ],
        )


@pytest.fixture(autouse=True)
def _memory_backend(app):
    if importlib.util.find_spec("board.search.whoosh_backend") is None:
        import os

        runtime = app.extensions["board_search"]
        runtime._backend = MemoryBackend()
        runtime._pid = os.getpid()
    yield


@pytest.fixture
def found(client):
    """Post ids the current client finds for a query, through the real API."""

    def find(q: str, **params) -> list[int]:
        response = client.get("/api/v1/search", query_string={"q": q, **params})
        assert response.status_code == 200, response.get_data(as_text=True)
        return [r["post_id"] for r in response.get_json()["results"]]

    return find
