"""`board backup` while members post, `board restore` into a new instance: every post
acknowledged before the backup began is there, searchable, with its files."""

from __future__ import annotations

import io
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from board import create_app
from board.documents.pdfgen import make_pdf
from board.extensions import db
from board.models import Document, Post
from tests import factories, hostile
from tests.conftest import PG_URL, BoardClient, _base_config

POSTERS = 4
POSTS_EACH = 12  # bounded: each poster stops after this many, or when told


def word(n: int) -> str:
    """A made-up search word per post (letters only, no stemmable ending)."""
    letters = ""
    while True:
        n, digit = divmod(n, 26)
        letters += chr(ord("a") + digit)
        if n == 0:
            return f"zq{letters}zq"


@pytest.fixture
def app_config(app_config: dict) -> dict:
    return {**app_config, "NEW_MEMBER_QUEUE_POSTS": 0}


def _poster(app, email: str, index: int, acked: list, stop: threading.Event) -> None:
    """Log in through the form and post threads (every third with a PDF) until told."""
    client = app.test_client()
    assert isinstance(client, BoardClient)
    client.post("/login", data={"email": email, "password": factories.PASSWORD})
    client.forget_csrf()
    for k in range(POSTS_EACH):
        if stop.is_set():
            return
        key = word(index * 100 + k)
        data = {"title": f"Zapisnik {key}", "body": f"Sjednica savjeta {key}."}
        pdf = None
        if k % 3 == 0:
            pdf = make_pdf([[f"Prilog {key}"]])
            data["files"] = [(io.BytesIO(pdf), f"{key}.pdf")]
        response = client.post("/c/regulation/new", data=data, content_type="multipart/form-data")
        assert response.status_code == 302, response.get_data(as_text=True)[:300]
        acked.append((time.monotonic(), key, pdf))


def _new_app(tmp_path: Path, name: str):
    config = _base_config(tmp_path / name)
    if PG_URL:
        config["DATABASE_URL"] = PG_URL
    else:
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / name / 'fresh.sqlite3'}"
    config["INSTANCE_PATH"] = str(tmp_path / name / "instance")
    return create_app(config)


def _searchable(client, key: str) -> bool:
    response = client.get("/api/v1/search", query_string={"q": key})
    assert response.status_code == 200
    return any(key in r["title"] for r in response.get_json()["results"])


def test_backup_while_posting_restores_every_acknowledged_post(app, tmp_path):
    users = [factories.make_user(email=f"poster{i}@example.ba") for i in range(POSTERS)]
    emails = [u.email for u in users]
    (Path(app.instance_path) / "secret_key").write_text("instance secret\n")
    acked: list = []
    stop = threading.Event()
    threads = [
        threading.Thread(target=_poster, args=(app, email, i, acked, stop))
        for i, email in enumerate(emails)
    ]
    for thread in threads:
        thread.start()
    while len(acked) < POSTERS * 2 and any(t.is_alive() for t in threads):
        time.sleep(0.05)
    began = time.monotonic()
    result = app.test_cli_runner().invoke(args=["board", "backup", str(tmp_path / "bk")])
    stop.set()
    for thread in threads:
        thread.join(timeout=120)
    assert result.exit_code == 0, result.output
    assert "manifest with sha256 checksums" in result.output
    before = [(key, pdf) for at, key, pdf in acked if at < began]
    assert len(before) >= POSTERS * 2

    db.session.remove()
    db.engine.dispose()
    fresh = _new_app(tmp_path, "fresh")
    with fresh.app_context():
        args = ["board", "restore", str(tmp_path / "bk")] + (["--force"] if PG_URL else [])
        result = fresh.test_cli_runner().invoke(args=args)
        assert result.exit_code == 0, result.output
        assert "Indexed" in result.output
        assert (Path(fresh.instance_path) / "secret_key").read_text() == "instance secret\n"
        fresh.test_client_class = BoardClient
        client = fresh.test_client()
        titles = set(db.session.scalars(select(Post.body_md)))
        for key, pdf in before:
            assert f"Sjednica savjeta {key}." in titles, key
            assert _searchable(client, key), key
            if pdf is not None:
                document = db.session.scalar(
                    select(Document).where(Document.filename == f"{key}.pdf")
                )
                download = client.get(f"/documents/{document.id}/download")
                assert download.status_code == 200 and download.data == pdf
        fresh.extensions["board_search"].close()
        db.session.remove()
        db.engine.dispose()


def test_restore_refuses_to_overwrite_without_force(app, member, tmp_path):
    factories.make_thread(member, title="Postojeća tema")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["board", "backup", str(tmp_path / "bk")]).exit_code == 0
    refused = runner.invoke(args=["board", "restore", str(tmp_path / "bk")])
    assert refused.exit_code == 3
    assert "--force" in refused.output
    forced = runner.invoke(args=["board", "restore", "--force", str(tmp_path / "bk")])
    assert forced.exit_code == 0, forced.output
    assert "Postojeća tema" in app.test_client().get("/c/regulation").get_data(as_text=True)


def test_backup_refuses_a_directory_that_is_not_empty(app, tmp_path):
    (tmp_path / "bk").mkdir()
    (tmp_path / "bk" / "other").write_text("x")
    result = app.test_cli_runner().invoke(args=["board", "backup", str(tmp_path / "bk")])
    assert result.exit_code == 1 and "not empty" in result.output


def test_damaged_backup_is_refused_and_nothing_changes(app, member, tmp_path, login, client):
    login(member)
    pdf = hostile.pdf()
    data = {"title": "Statut", "body": "Statut MZ.", "files": [(io.BytesIO(pdf), "s.pdf")]}
    assert (
        client.post("/c/regulation/new", data=data, content_type="multipart/form-data").status_code
        == 302
    )
    runner = app.test_cli_runner()
    assert runner.invoke(args=["board", "backup", str(tmp_path / "bk")]).exit_code == 0
    (blob,) = [p for p in (tmp_path / "bk" / "uploads").rglob("*") if p.is_file()]
    blob.write_bytes(blob.read_bytes()[:-1] + b"X")
    factories.make_thread(member, title="Poslije kopije")
    result = runner.invoke(args=["board", "restore", "--force", str(tmp_path / "bk")])
    assert result.exit_code == 1
    assert "damaged" in result.output and "checksum mismatch: uploads/" in result.output
    assert "Poslije kopije" in client.get("/c/regulation").get_data(as_text=True)


def test_a_directory_without_manifest_is_not_a_backup(app, tmp_path):
    (tmp_path / "bk").mkdir()
    result = app.test_cli_runner().invoke(args=["board", "restore", str(tmp_path / "bk")])
    assert result.exit_code == 1 and "not a finished backup" in result.output
