"""The /search page as a reader meets it: results, filters, messages, and Fred's queries."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from board.extensions import db
from board.forum import service as forum
from board.models import Document
from tests import factories, hostile
from tests.conftest import CORPUS, HAVE_CORPUS


class TagCollector(HTMLParser):
    """Every start tag with its attributes, to look for anything a query injected."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def injected_markup(page: str) -> list[str]:
    """Scripts other than ours, event-handler attributes, javascript: URLs."""
    parser = TagCollector()
    parser.feed(page)
    found = []
    for tag, attrs in parser.tags:
        if tag == "script" and attrs.get("src") != "/static/js/board.js":
            found.append(f"<script {attrs}>")
        for name, value in attrs.items():
            if name.startswith("on"):
                found.append(f"<{tag} {name}=…>")
            if name in {"href", "src", "action", "formaction"} and (
                value or ""
            ).strip().lower().startswith(("javascript:", "data:text/html", "vbscript:")):
                found.append(f"<{tag} {name}={value}>")
        if tag in {"iframe", "object", "embed", "svg", "math", "base", "meta"} and tag != "meta":
            found.append(f"<{tag}>")
    return found


NAUGHTY_SOURCES = (
    "naughty/blns.json",
    "xss/markdown-xss-payloads.txt",
    "xss/owasp-rsnake-xss-filter-evasion.txt",
    "xss/payloadbox-xss-payload-list.txt",
    "xss/xss-polyglots.txt",
    "sqli/payloadbox-auth-bypass.txt",
    "sqli/payloadbox-generic-errorbased.txt",
    "sqli/payloadbox-generic-sqli.txt",
    "sqli/sqli-polyglots.txt",
)


def naughty_strings(source: str | None = None) -> list[str]:
    """Every string of one corpus file, or our own hostile strings and all of the corpus's
    without repeats (only ours in a clone without the corpus)."""
    if source is None:
        every = list(hostile.STRINGS)
        if HAVE_CORPUS:
            every += [s for name in NAUGHTY_SOURCES for s in naughty_strings(name)]
        return list(dict.fromkeys(every))
    path = CORPUS / source
    if path.suffix == ".json":
        return [s for s in json.loads(path.read_text()) if s]
    return [line for line in path.read_text(errors="replace").splitlines() if line]


CHUNK = 800
NAUGHTY_CHUNKS = [
    pytest.param(start, id=f"strings-{start}-{start + CHUNK}")
    for start in range(0, len(naughty_strings()), CHUNK)
]


def fred_posts_the_corpus(fred) -> None:
    """A sample of the corpus as posts, so hostile queries also get hits and snippets."""
    strings = naughty_strings()
    for text in strings[:: len(strings) // 12]:
        factories.make_thread(fred, title=text[:200], body=text)


def test_empty_query_shows_how_to_search(client):
    response = client.get("/search")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "How to search" in page or "Kako pretraživati" in page
    assert "<code>&#34;zbor građana&#34;</code>" in page or '"zbor građana"' in page


def test_results_show_thread_category_author_and_highlighted_snippet(client, member):
    factories.make_thread(
        member, title="Odvoz smeća", body="Odvoz smeća u našoj ulici kasni tri sedmice."
    )
    page = client.get("/search", query_string={"q": "smeća"}).get_data(as_text=True)
    assert "Odvoz smeća" in page
    assert "Regulativa" in page
    assert "Amra Member" in page
    assert "<mark>" in page
    assert 'value="smeća"' in page


def test_document_hit_links_to_its_page_its_file_and_its_thread(client, member):
    thread = factories.make_thread(member, title="Statut MZ Stup", body="Evo statuta.")
    post = factories.first_post(thread)
    document = Document(
        post=post,
        uploader=member,
        sha256="0" * 64,
        size=10,
        filename="statut.pdf",
        mime="application/pdf",
        kind="pdf",
        title="Statut mjesne zajednice",
        extraction_status="done",
        text="Opće odredbe.\fSavjet podnosi godišnji izvještaj zboru građana.",
    )
    db.session.add(document)
    db.session.commit()
    client.post("/language", data={"locale": "en"})
    response = client.get("/search", query_string={"q": "izvještaj", "type": "document"})
    page = response.get_data(as_text=True)
    assert f'href="/documents/{document.id}#page=2">Statut mjesne zajednice</a>' in page
    assert f'href="/documents/{document.id}/download#page=2"' in page
    assert f'href="/p/{post.id}">Statut MZ Stup</a>' in page
    assert "page 2" in page


def test_typo_offers_did_you_mean_keeping_the_filters(client, member):
    factories.make_thread(member, title="Sjednica savjeta", body="Sjednica je u utorak.")
    client.post("/language", data={"locale": "en"})
    page = client.get("/search", query_string={"q": "sjednca", "category": "regulation"}).get_data(
        as_text=True
    )
    assert "Did you mean:" in page
    assert 'href="/search?q=sjednica&amp;category=regulation"' in page


def test_no_post_with_every_word_shows_some_words_with_a_note(client, member):
    factories.make_thread(member, title="Kotlovnica", body="Kotlovnica ne grije.")
    client.post("/language", data={"locale": "en"})
    page = client.get("/search", query_string={"q": "kotlovnica semafor"}).get_data(as_text=True)
    assert "1 result" in page
    assert "No result contains all of your words" in page


def test_accepted_answer_carries_a_badge(client, member, other_member):
    thread = factories.make_thread(member, title="Zbor građana", body="Ko saziva zbor?")
    answer = factories.make_reply(thread, other_member, "Zbor saziva predsjednik savjeta MZ.")
    forum.accept_answer(member, answer)
    client.post("/language", data={"locale": "en"})
    page = client.get("/search", query_string={"q": "predsjednik"}).get_data(as_text=True)
    assert 'class="tag tag-answer"' in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "31.12.2024"}, "YYYY-MM-DD"),
        ({"from": "2024-02-30"}, "YYYY-MM-DD"),
        ({"from": "2025-01-01", "to": "2024-01-01"}, "before the start date"),
        ({"page": "abc"}, "whole number"),
        ({"page": "0"}, "whole number"),
        ({"category": "nema-je"}, "nema-je"),
        ({"type": "video"}, "initiative or practice"),  # issue 10 added the two types
        ({"sort": "random"}, "relevance or new"),
        ({"author": "Niko Nikić"}, "Niko Nikić"),
    ],
)
def test_bad_parameters_get_a_clear_message_not_an_error_page(client, params, message):
    client.post("/language", data={"locale": "en"})
    response = client.get("/search", query_string={"q": "budžet", **params})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    assert 'value="budžet"' in page  # what was typed is kept


def test_results_are_paginated_keeping_the_query(client, member):
    for n in range(23):
        factories.make_thread(member, title=f"Pitanje {n}", body=f"Javna rasvjeta broj {n}.")
    client.post("/language", data={"locale": "en"})
    first = client.get("/search", query_string={"q": "rasvjeta", "sort": "new"})
    page = first.get_data(as_text=True)
    assert "23 results" in page
    assert page.count('class="search-result ') == 20
    assert 'href="/search?page=2&amp;q=rasvjeta&amp;sort=new" rel="next"' in page
    second = client.get("/search", query_string={"q": "rasvjeta", "sort": "new", "page": "2"})
    assert second.get_data(as_text=True).count('class="search-result ') == 3


def test_author_shared_by_two_members_offers_both(client, member):
    factories.make_user(display_name="Amra Member")
    client.post("/language", data={"locale": "en"})
    response = client.get("/search", query_string={"q": "budžet", "author": "Amra Member"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert page.count("author=") >= 2


@pytest.mark.slow
@pytest.mark.markup  # the same queries reach each backend through the API sweep
@pytest.mark.parametrize("start", NAUGHTY_CHUNKS)
def test_every_naughty_query_gets_a_page_without_injected_markup(client, fred, start):
    fred_posts_the_corpus(fred)
    failures = []
    for text in naughty_strings()[start : start + CHUNK]:
        response = client.get("/search", query_string={"q": text})
        if response.status_code != 200:
            failures.append((text, response.status_code))
            continue
        bad = injected_markup(response.get_data(as_text=True))
        if bad:
            failures.append((text, bad))
    assert failures == []
