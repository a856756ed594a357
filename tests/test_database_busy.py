"""A write that cannot get the database in time answers 503 with Retry-After, and the form
comes back with what the member typed; once the database is free, sending it works."""

from __future__ import annotations

import contextlib
import io
import sqlite3
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from board.extensions import db
from board.models import Thread
from tests.conftest import PG_URL


@pytest.fixture
def app_config(app_config: dict) -> dict:
    return {**app_config, "DATABASE_BUSY_TIMEOUT": 0.2, "NEW_MEMBER_QUEUE_POSTS": 0}


@contextlib.contextmanager
def write_lock(app) -> Iterator[None]:
    """Another connection holds the write lock (SQLite) or the threads table (PostgreSQL)."""
    if PG_URL:
        import psycopg

        url = make_url(PG_URL).set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(url) as conn:
            conn.execute("LOCK TABLE threads IN EXCLUSIVE MODE")
            yield
            conn.rollback()
        return
    path = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        conn.execute("ROLLBACK")
        conn.close()


def _threads() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(Thread.id)))


def test_new_thread_while_the_database_is_locked_gets_503_and_keeps_the_text(
    app, client, login, member
):
    login(member)
    client.set_cookie("lang", "en")
    data = {
        "title": "Zbor građana <u petak>",
        "body": "Saziva se zbor građana MZ Stup.\n\nDnevni red…",
    }
    with write_lock(app):
        response = client.post("/c/regulation/new", data=data)
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    page = response.get_data(as_text=True)
    assert "The board is busy" in page
    assert 'value="Zbor građana &lt;u petak&gt;"' in page
    assert "Saziva se zbor građana MZ Stup.\n\nDnevni red…</textarea>" in page
    assert 'action="/c/regulation/new"' in page
    assert _threads() == 0

    retry = client.post("/c/regulation/new", data=data)
    assert retry.status_code == 302
    assert _threads() == 1


def test_busy_page_is_in_bosnian_by_default(app, client, login, member):
    login(member)
    with write_lock(app):
        response = client.post("/c/regulation/new", data={"title": "Naslov", "body": "Tekst."})
    assert response.status_code == 503
    assert "Pokušajte ponovo" in response.get_data(as_text=True)


def test_reply_while_locked_keeps_the_reply(app, client, login, member):
    from tests import factories

    thread = factories.make_thread(member)
    login(member)
    with write_lock(app):
        response = client.post(f"/t/{thread.id}/reply", data={"body": "Moj odgovor ostaje."})
    assert response.status_code == 503
    assert "Moj odgovor ostaje.</textarea>" in response.get_data(as_text=True)


@pytest.mark.skipif(bool(PG_URL), reason="SQLite's single write lock")
def test_uploads_are_stored_before_the_write_lock_is_taken(app, client, login, member, monkeypatch):
    """Copying and hashing files inside the post's transaction held SQLite's only write
    lock for as long as that took, so other members' writes timed out under load."""
    from board.documents.pdfgen import make_pdf
    from board.documents.storage import LocalStorage

    path = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database
    lock_free: list[bool] = []
    put = LocalStorage.put

    def checking_put(self, stream):
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            lock_free.append(True)
        except sqlite3.OperationalError:
            lock_free.append(False)
        finally:
            other.close()
        return put(self, stream)

    monkeypatch.setattr(LocalStorage, "put", checking_put)
    login(member)
    thread = client.post(
        "/c/regulation/new",
        data={
            "title": "Statut",
            "body": "U prilogu.",
            "files": [(io.BytesIO(make_pdf([["a"]])), "a.pdf")],
        },
        content_type="multipart/form-data",
    )
    assert thread.status_code == 302
    reply = client.post(
        f"{thread.headers['Location']}/reply",
        data={"body": "I zapisnik.", "files": [(io.BytesIO(make_pdf([["b"]])), "b.pdf")]},
        content_type="multipart/form-data",
    )
    assert reply.status_code == 302
    assert lock_free == [True, True]


def test_a_member_reads_a_thread_while_the_database_is_locked(app, client, login, member):
    """Viewing a thread records how far the member read; a busy database skips that
    record rather than answering the read with a 503."""
    from tests import factories

    thread = factories.make_thread(member, title="Zbor građana u petak")
    login(member)
    with write_lock(app):
        response = client.get(f"/t/{thread.id}")
    assert response.status_code == 200
    assert "Zbor građana u petak" in response.get_data(as_text=True)
