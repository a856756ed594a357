"""Index entries for backend tests, built without a database."""

from __future__ import annotations

from datetime import UTC, datetime

from board.search.backend import SearchDoc


def doc(n: int, title: str, body: str, **fields) -> SearchDoc:
    """A post entry with sensible defaults; ``n`` is its post id."""
    values = {
        "id": f"post:{n}",
        "type": "post",
        "version": f"v{n}",
        "thread_id": n,
        "post_id": n,
        "category_id": 1,
        "author_id": 1,
        "author": "Amra",
        "title": title,
        "body": body,
        "created_at": datetime(2025, 3, n % 28 + 1, 12, tzinfo=UTC),
        "is_first": True,
    }
    values.update(fields)
    return SearchDoc(**values)
