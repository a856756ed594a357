"""Fred posts everything in corpus/naughty and corpus/xss. Our job is to stop Fred.

Each string, as a thread title, a post body, a display name and a search term, must give
a 4xx or a page that is safe: never a 500, never markup that could run script.
Titles and bodies go through the real forms; titles and display names are batched where
joining them changes nothing (plain text, escaped as a whole), bodies are joined as
separate Markdown paragraphs. The per-string Markdown check is in test_markdown_safety.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from board.extensions import db
from board.models import Post, Thread
from tests import factories
from tests.security import corpus
from tests.security.htmlcheck import unsafe_markup

pytestmark = pytest.mark.slow

# Not in the corpus, but what a hostile client sends first.
EXTRA = ("Naslov\x00sa nulom", "\x00", "\u202eRTL override", "\r\n\r\n", "\x1b[31mANSI")
THREAD_ID = re.compile(r"/t/(\d+)$")


def _assert_safe(response, what: str) -> None:
    assert response.status_code < 500, (what, response.status_code)
    if response.status_code == 200 and response.mimetype == "text/html":
        problems = unsafe_markup(response.get_data(as_text=True))
        assert not problems, (what[:200], problems)


@pytest.fixture
def fred_client(client, login, fred):
    login(fred)
    return client


@pytest.fixture
def app_config(app_config: dict) -> dict:
    return {**app_config, "POSTS_PER_PAGE": 400, "THREADS_PER_PAGE": 400}


def test_hostile_titles_through_the_new_thread_form(fred_client):
    titles = corpus.batches(corpus.representative() + EXTRA, 200, " · ")
    created = []
    for title in titles:
        response = fred_client.post(
            "/c/regulation/new", data={"title": title, "body": "Tijelo poruke."}
        )
        assert response.status_code in (302, 400), (title[:200], response.status_code)
        if response.status_code == 302:
            created.append(THREAD_ID.search(response.headers["Location"]).group(1))
        else:
            _assert_safe(response, title)
    assert len(created) > len(titles) * 0.9
    for thread_id in created[::10]:
        _assert_safe(fred_client.get(f"/t/{thread_id}"), f"thread {thread_id}")
    listing = fred_client.get("/c/regulation")  # every title: 400 threads a page here
    _assert_safe(listing, "category listing")
    assert listing.get_data(as_text=True).count('class="thread-item') == min(len(created), 400)
    _assert_safe(fred_client.get("/"), "index")


def test_overlong_hostile_title_is_refused_and_kept(fred_client):
    title = "<script>alert(1)</script>" * 10
    response = fred_client.post("/c/regulation/new", data={"title": title, "body": "Tijelo."})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # kept, escaped
    assert unsafe_markup(page) == []


def test_hostile_bodies_through_the_reply_form(fred_client, fred):
    thread = factories.make_thread(fred, title="Fredova tema")
    bodies = corpus.batches(corpus.everything() + EXTRA, 20_000, "\n\n")
    for body in bodies:
        response = fred_client.post(f"/t/{thread.id}/reply", data={"body": body})
        assert response.status_code in (302, 400), (body[:200], response.status_code)
    posts = db.session.scalars(select(Post).where(Post.thread_id == thread.id)).all()
    assert len(posts) > len(bodies) * 0.9
    for post in posts:
        assert unsafe_markup(post.body_html) == [], post.body_md[:200]
    _assert_safe(fred_client.get(f"/t/{thread.id}"), "thread page")
    _assert_safe(fred_client.get(f"/api/v1/threads/{thread.id}"), "thread json")


def test_hostile_new_thread_bodies_and_previews(fred_client):
    for text in corpus.representative()[::5]:
        response = fred_client.post(
            "/c/regulation/new", data={"title": "Pregled", "body": text, "preview": "1"}
        )
        _assert_safe(response, text)
        preview = fred_client.post("/preview", data={"body": text})
        assert preview.status_code in (200, 400)
        assert unsafe_markup(preview.get_json().get("html", "")) == [], text
    assert db.session.scalar(select(Thread)) is None  # previews never save


def test_hostile_display_names_through_the_settings_form(fred_client, fred):
    thread = factories.make_thread(fred, title="Tema s imenima")
    names = corpus.batches(corpus.representative()[::3], 80, " ")
    for name in names:
        response = fred_client.post("/settings", data={"display_name": name, "function": "other"})
        assert response.status_code in (302, 400), (name, response.status_code)
        if response.status_code == 400:
            _assert_safe(response, name)
    # The last accepted name is shown on the thread page and in the header.
    _assert_safe(fred_client.get(f"/t/{thread.id}"), "thread with hostile author")


def test_hostile_display_names_through_registration(client, mail_sink):
    sample = corpus.polyglots() + corpus.naughty()[::50] + EXTRA
    for n, name in enumerate(sample):
        response = client.post(
            "/register",
            data={
                "email": f"fred{n}@example.ba",
                "display_name": name,
                "password": "fred je ovdje bio 2026",
                "function": "other",
            },
        )
        assert response.status_code in (200, 400), (name, response.status_code)
        _assert_safe(response, name)
    for message in mail_sink.messages:
        assert message.get_content_type() == "text/plain"  # names never reach HTML mail


def test_hostile_search_terms(app, client):
    factories.make_thread(factories.make_user(), title="Statut mjesne zajednice")
    for term in corpus.representative()[::3] + EXTRA:
        _assert_safe(client.get("/search", query_string={"q": term}), term)
        response = client.get("/api/v1/search", query_string={"q": term})
        assert response.status_code < 500, term


def test_nul_characters_are_dropped_not_fatal(fred_client, fred):
    """PostgreSQL cannot store NUL; the board takes it out rather than failing."""
    response = fred_client.post(
        "/c/regulation/new", data={"title": "Naslov\x00 s nulom", "body": "Tijelo\x00."}
    )
    assert response.status_code == 302
    thread = db.session.scalar(select(Thread))
    assert thread.title == "Naslov s nulom"
    assert fred_client.get("/c/regulation%00").status_code == 404
    assert fred_client.get("/c/regulation?page=1%00").status_code == 200
