"""``flask board search check|reindex|drain`` against a real index."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, update

from board.extensions import db
from board.models import Post, SearchOutbox
from tests import factories


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def run(*args: str):
        return runner.invoke(args=["board", "search", *args])

    return run


@pytest.fixture
def backend(app):
    return app.extensions["board_search"].backend()


def test_check_passes_when_index_matches_database(cli, member):
    factories.make_thread(member, title="Budžet", body="Budžet za 2025.", replies=2)
    result = cli("check")
    assert result.exit_code == 0, result.output
    assert "Expected 3 entries; the index holds 3." in result.output
    assert "The index matches the database." in result.output


def test_check_reports_missing_stale_and_unsearchable_entries(cli, member, backend):
    thread = factories.make_thread(member, title="Statut", body="Statut MZ.", replies=2)
    first, second, third = db.session.scalars(
        select(Post).where(Post.thread_id == thread.id).order_by(Post.id)
    ).all()
    # Changes made behind the services' back, as a careless bulk script would.
    db.session.execute(update(Post).where(Post.id == first.id).values(body_md="Novi tekst."))
    db.session.execute(update(Post).where(Post.id == second.id).values(hidden_at=datetime.now(UTC)))
    db.session.commit()
    backend.delete([f"post:{third.id}"])
    result = cli("check")
    assert result.exit_code == 1
    assert f"Missing from the index: 1\n  post:{third.id}" in result.output
    assert f"Stale (older version indexed): 1\n  post:{first.id}" in result.output
    assert f"not searchable (hidden, deleted or gone): 1\n  post:{second.id}" in result.output


def test_reindex_repairs_drift_and_shows_progress(cli, client, member, backend):
    thread = factories.make_thread(member, title="Zapisnik", body="Zapisnik sa sjednice.")
    reply = factories.make_reply(thread, member, "Zapisnik je usvojen.")
    db.session.execute(update(Post).where(Post.id == reply.id).values(deleted_at=datetime.now(UTC)))
    db.session.commit()
    backend.clear()
    factories.make_thread(member, title="Drugo", body="Nešto drugo.")
    result = cli("reindex")
    assert result.exit_code == 0, result.output
    assert "Indexing" in result.output
    assert "removed 0 stale" in result.output or "removed" in result.output
    assert cli("check").exit_code == 0
    found = client.get("/api/v1/search", query_string={"q": "zapisnik"}).get_json()
    assert [r["post_id"] for r in found["results"]] == [factories.first_post(thread).id]


def test_reindex_leaves_a_compact_index_and_applies_posts_queued_meanwhile(
    app, cli, client, member, backend
):
    thread = factories.make_thread(member, title="Zapisnik", body="Zapisnik sa sjednice.")
    for n in range(12):
        factories.make_reply(thread, member, f"Odgovor broj {n} o zapisniku.")
    runtime = app.extensions["board_search"]
    if hasattr(backend, "searcher"):
        assert len(backend.searcher().reader().segments()) > 1
    # A reply committed while another drain holds the lock stays in the outbox...
    with runtime.drain_lock(1.0):
        factories.make_reply(thread, member, "Kasni odgovor o budžetu.")
    assert db.session.scalar(select(func.count()).select_from(SearchOutbox)) >= 1
    result = cli("reindex")
    assert result.exit_code == 0, result.output
    # ...and the reindex leaves nothing queued, one segment for everything (plus the
    # late reply, applied by the drain after it), and everything findable.
    assert db.session.scalar(select(func.count()).select_from(SearchOutbox)) == 0
    if hasattr(backend, "searcher"):
        sizes = sorted(s.doc_count() for s in backend.searcher().reader().segments())
        assert len(sizes) <= 2 and sum(sizes) == 14, sizes
    assert cli("check").exit_code == 0
    found = client.get("/api/v1/search", query_string={"q": "budžetu"}).get_json()
    assert found["total"] == 1


def test_optimize_compacts_the_index_and_search_still_finds_everything(
    app, cli, client, member, backend
):
    thread = factories.make_thread(member, title="Zapisnik", body="Zapisnik sa sjednice.")
    for n in range(5):
        factories.make_reply(thread, member, f"Odgovor broj {n} o zapisniku.")
    if hasattr(backend, "searcher"):
        assert len(backend.searcher().reader().segments()) > 1
    result = cli("optimize")
    assert result.exit_code == 0, result.output
    assert "Index optimised" in result.output
    if hasattr(backend, "searcher"):
        assert len(backend.searcher().reader().segments()) == 1
    assert cli("check").exit_code == 0
    found = client.get("/api/v1/search", query_string={"q": "zapisnik", "group": "post"})
    assert found.get_json()["total"] == 6


def test_reindex_removes_entries_for_posts_hidden_behind_its_back(cli, member, backend):
    thread = factories.make_thread(member, title="Javni poziv", body="Javni poziv udruženjima.")
    post = factories.first_post(thread)
    db.session.execute(update(Post).where(Post.id == post.id).values(hidden_at=datetime.now(UTC)))
    db.session.commit()
    assert f"post:{post.id}" in backend.versions()
    result = cli("reindex", "--clear")
    assert result.exit_code == 0, result.output
    assert f"post:{post.id}" not in backend.versions()


def test_drain_applies_work_left_by_a_busy_index(app, cli, client, login, member):
    login(member)
    with app.extensions["board_search"].drain_lock(wait=0):
        client.post("/c/regulation/new", data={"title": "Trafostanica", "body": "Buka."})
    assert db.session.scalar(select(SearchOutbox)) is not None
    assert cli("check").exit_code == 1
    held = app.extensions["board_search"].backend()._writer()  # another writer holds it
    try:
        assert "still queued" in cli("drain").output
    finally:
        held.cancel()
    report = cli("check").output
    assert "Queued in the outbox: 1" in report
    assert re.search(r"post:\d+ failed 1 time\(s\): IndexBusyError", report), report
    result = cli("drain")
    assert result.exit_code == 0, result.output
    assert "Applied 1 queued changes" in result.output
    assert cli("check").exit_code == 0
