"""/api/v1/search: the JSON shape DESIGN.md promises, the same scoping as the page."""

from __future__ import annotations

import re

import pytest

from tests import factories
from tests.search.test_search_page import (
    CHUNK,
    NAUGHTY_CHUNKS,
    fred_posts_the_corpus,
    naughty_strings,
)

KEYS = {
    "type",
    "thread_id",
    "post_id",
    "document_id",
    "title",
    "url",
    "snippet",
    "category",
    "author",
    "created_at",
    "score",
}
_MARK = re.compile(r"</?mark>")


def test_result_has_exactly_the_documented_shape(client, member):
    thread = factories.make_thread(member, title="Pravilnik o radu", body="Pravilnik o radu MZ.")
    post = factories.first_post(thread)
    response = client.get("/api/v1/search", query_string={"q": "pravilnik"})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"total", "page", "results"}
    assert (body["total"], body["page"]) == (1, 1)
    [result] = body["results"]
    assert set(result) == KEYS | {"matches"}  # grouped by thread (the default)
    assert result["matches"] == 0
    ungrouped = client.get("/api/v1/search", query_string={"q": "pravilnik", "group": "post"})
    assert set(ungrouped.get_json()["results"][0]) == KEYS
    assert result["type"] == "post"
    assert (result["thread_id"], result["post_id"], result["document_id"]) == (
        thread.id,
        post.id,
        None,
    )
    assert result["url"] == f"/p/{post.id}"
    assert result["title"] == "Pravilnik o radu"
    assert result["category"] == "regulation"
    assert result["author"] == "Amra Member"
    assert result["created_at"].startswith(post.created_at.isoformat()[:19])
    assert "<mark>" in result["snippet"]
    assert isinstance(result["score"], float)


def test_snippet_shows_the_words_readers_see_not_the_markdown(client, member):
    body = (
        "## Zapisnik\n\n**Važno:** pogledajte [novi pravilnik](https://mz.example.ba/p.pdf)"
        " i `član 12`.\n\n> Citat iz statuta o pravilniku.\n\n- prva tačka pravilnika"
    )
    factories.make_thread(member, title="Sjednica", body=body)
    found = client.get("/api/v1/search", query_string={"q": "pravilnik"}).get_json()
    snippet = _MARK.sub("", found["results"][0]["snippet"])
    assert "Važno: pogledajte novi pravilnik i član 12." in snippet
    assert "Citat iz statuta" in snippet
    for markup in ("**", "](", "https://", "`", "## ", "> ", "- prva"):
        assert markup not in snippet


def test_empty_query_returns_no_results(client):
    assert client.get("/api/v1/search").get_json() == {"total": 0, "page": 1, "results": []}


def test_restricted_category_never_reaches_anonymous_or_other_associations(
    client, login, association_a, moderator_b
):
    insider = factories.make_user(member_of=association_a)
    closed = factories.make_category(association=association_a, visibility="association")
    factories.make_thread(insider, closed, title="Povjerljivo", body="Plata sekretara.")
    query = {"q": "sekretara"}
    assert client.get("/api/v1/search", query_string=query).get_json()["total"] == 0
    login(moderator_b)
    assert client.get("/api/v1/search", query_string=query).get_json()["total"] == 0
    login(insider)
    assert client.get("/api/v1/search", query_string=query).get_json()["total"] == 1


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"to": "yesterday"}, "to"),
        ({"page": "-1"}, "page"),
        ({"category": "tajna"}, "category"),
        ({"type": "image"}, "type"),
    ],
)
def test_bad_parameters_get_a_json_400_naming_the_field(client, params, field):
    response = client.get("/api/v1/search", query_string={"q": "plan", **params})
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"]
    assert body["message"]
    assert list(body["errors"]) == [field]


@pytest.mark.slow
@pytest.mark.parametrize("start", NAUGHTY_CHUNKS)
def test_every_naughty_query_gets_json_whose_snippets_hold_only_marks(client, fred, start):
    fred_posts_the_corpus(fred)
    failures = []
    for text in naughty_strings()[start : start + CHUNK]:
        response = client.get("/api/v1/search", query_string={"q": text})
        if response.status_code != 200 or response.mimetype != "application/json":
            failures.append((text, response.status_code))
            continue
        for result in response.get_json()["results"]:
            if "<" in _MARK.sub("", result["snippet"]):
                failures.append((text, result["snippet"]))
    assert failures == []
