"""The PostgreSQL backend beyond the shared contract: the board served with
``BOARD_SEARCH_BACKEND=postgres``, reads that work on a read-only replica, and text that
PostgreSQL's tsvector limits would otherwise reject. The behaviour both backends share is
in ``test_backend_contract.py``."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine

from board.search.backend import SearchDoc, SearchQuery
from tests import factories, hostile
from tests.conftest import CORPUS, HAVE_CORPUS, PG_URL

pytestmark = pytest.mark.skipif(
    not PG_URL.startswith("postgres"),
    reason="the PostgreSQL backend needs BOARD_TEST_DATABASE_URL=postgresql://…",
)


@pytest.fixture
def app_config(app_config):
    return {**app_config, "SEARCH_BACKEND": "postgres"}


@pytest.fixture
def backend(app):
    from board.search import get_backend

    return get_backend(app)


def entry(n: int, body: str, title: str = "Tema") -> SearchDoc:
    return SearchDoc(
        id=f"post:{n}",
        type="post",
        version="1",
        thread_id=n,
        post_id=n,
        category_id=1,
        author_id=1,
        author="Amra",
        title=title,
        body=body,
        created_at=datetime(2025, 5, 1, tzinfo=UTC),
    )


def found(client, q: str) -> list[int]:
    response = client.get("/api/v1/search", query_string={"q": q})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return [r["post_id"] for r in response.get_json()["results"]]


def test_board_on_postgres_search_finds_new_edited_and_not_deleted_posts(
    client, login, member, backend
):
    from board.search.backends.postgres import PostgresBackend

    assert isinstance(backend, PostgresBackend)
    thread = factories.make_thread(member, title="Javna rasvjeta", body="Ne radi rasvjeta u ulici.")
    first = factories.first_post(thread)
    assert found(client, "расвјета") == [first.id]  # Cyrillic query, Latin post
    login(member)
    edit = {"title": "Javna rasvjeta", "body": "Pokvarena ulična svjetiljka."}
    response = client.post(f"/p/{first.id}/edit", data=edit)
    assert response.status_code == 302
    assert found(client, "svetiljka") == [first.id]  # ekavian query
    assert found(client, "ne radi") == []
    reply = factories.make_reply(thread, member, "Prijavili smo kvar komunalnom preduzeću.")
    assert found(client, "kvar") == [reply.id]
    client.post(f"/p/{reply.id}/delete")
    assert found(client, "kvar") == []


def test_search_only_reads_so_a_read_only_replica_can_serve_it(app, backend):
    from board.search.backends.postgres import PostgresBackend

    backend.index([entry(1, "Zapisnik sa sjednice savjeta mjesne zajednice.")])
    replica = create_engine(
        backend.engine.url, connect_args={"options": "-c default_transaction_read_only=on"}
    )
    try:
        reader = PostgresBackend(replica)
        assert [h.id for h in reader.search(SearchQuery(text="zapisnik")).hits] == ["post:1"]
        assert reader.search(SearchQuery(text="zapisnk")).total == 1  # the typo path too
        assert reader.search(SearchQuery(text="zapisnik budžet")).relaxed
    finally:
        replica.dispose()


def test_text_beyond_tsvector_limits_is_indexed_not_rejected(backend):
    long_word = "a" * 3000  # PostgreSQL rejects lexemes over 2 KB
    many_words = " ".join(["sjednica"] * 20_000) + " poslednja riječ kvorum"
    backend.index([entry(1, f"Prilog {long_word} uz zapisnik"), entry(2, many_words)])
    assert [h.id for h in backend.search(SearchQuery(text="prilog zapisnik")).hits] == ["post:1"]
    assert [h.id for h in backend.search(SearchQuery(text="kvorum")).hits] == ["post:2"]


def test_fred_cannot_break_the_index_or_the_query(backend):
    """Quotes, backslashes and tsquery operators in posts and queries stay plain text."""
    polyglots = (CORPUS / "sqli" / "sqli-polyglots.txt").read_text() if HAVE_CORPUS else ""
    strings = [s for s in polyglots.splitlines() if s] + [
        *hostile.INJECTION,
        "'",
        "\\",
        "a & b | !c <-> d:*",
        "':* | '",
        "x' & 'y",
        "!!",
        "(((",
        "<2>",
    ]
    backend.index([entry(n, s, title=s) for n, s in enumerate(strings, 1)])
    for s in strings:
        page = backend.search(SearchQuery(text=s))
        assert all("<" not in hit.snippet.replace("<mark>", "").replace("</mark>", "")
                   for hit in page.hits)  # fmt: skip


def test_refuses_a_non_postgres_engine():
    from board.search.backends.postgres import PostgresBackend

    with pytest.raises(RuntimeError, match="BOARD_DATABASE_URL"):
        PostgresBackend(create_engine("sqlite://"))


def test_a_drain_on_another_host_holds_back_this_hosts_until_it_ends(app, client, login, member):
    """Web servers on several hosts share the database: their drains take turns."""
    from sqlalchemy import func, select, text

    from board.extensions import db
    from board.models import SearchOutbox
    from board.search.indexing import drain
    from board.search.runtime import DRAIN_LOCK_KEY

    login(member)
    with db.engine.connect() as other_host:
        other_host.execute(text("SELECT pg_advisory_lock(:key)"), {"key": DRAIN_LOCK_KEY})
        other_host.commit()
        response = client.post(
            "/c/regulation/new", data={"title": "Trafostanica", "body": "Buka kod škole."}
        )
        assert response.status_code == 302
        assert found(client, "trafostanica") == []  # queued while the other host drains
        assert drain(app, wait=0.2).busy
        other_host.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": DRAIN_LOCK_KEY})
        other_host.commit()
    assert db.session.scalar(select(func.count()).select_from(SearchOutbox)) >= 1
    assert not drain(app, wait=1.0).busy
    assert len(found(client, "trafostanica")) == 1


def test_optimize_vacuums_and_search_keeps_working(app, client, member):
    factories.make_thread(member, title="Javna rasvjeta", body="Rasvjeta u ulici.")
    result = app.test_cli_runner().invoke(args=["board", "search", "optimize"])
    assert result.exit_code == 0, result.output
    assert found(client, "rasvjeta") != []
