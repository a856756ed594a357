"""Search tests run on the real backend (Whoosh in the test's instance folder)."""

from __future__ import annotations

import pytest


@pytest.fixture
def found(client):
    """Post ids the current client finds for a query, through the real API (every
    matching post: ``group=post``, unless a test passes ``group``)."""

    def find(q: str, **params) -> list[int]:
        response = client.get("/api/v1/search", query_string={"q": q, "group": "post", **params})
        assert response.status_code == 200, response.get_data(as_text=True)
        return [r["post_id"] for r in response.get_json()["results"]]

    return find
