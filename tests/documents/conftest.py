"""Helpers for document tests: post a thread or reply with files through the real form."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from board.extensions import db
from board.models import Document, Thread


@pytest.fixture(autouse=True)
def _english(client):
    """Read pages in English so assertions do not depend on the Bosnian catalogue."""
    client.set_cookie("lang", "en")


def _multipart_post(client, url: str, fields: dict, files):
    """POST a multipart form encoded in memory (the test client's own encoder spools big
    bodies to a temp file it never closes), with the CSRF token a browser would send."""
    values = MultiDict({"csrf_token": client.csrf_token(), **fields})
    for name, content in files:
        values.add("files", FileStorage(io.BytesIO(content), filename=name))
    boundary, body = encode_multipart(values)
    return client.post(
        url, data=body, content_type=f"multipart/form-data; boundary={boundary}", csrf=False
    )


@pytest.fixture
def start_thread(client):
    """POST /c/<slug>/new with files [(name, bytes)] and optional metadata fields."""

    def post(files, *, slug="regulation", title="Statut MZ", body="Evo dokumenta.", **fields):
        return _multipart_post(
            client, f"/c/{slug}/new", {"title": title, "body": body, **fields}, files
        )

    return post


@pytest.fixture
def reply_with(client):
    def post(thread_id, files, *, body="Evo i zapisnika.", **fields):
        return _multipart_post(client, f"/t/{thread_id}/reply", {"body": body, **fields}, files)

    return post


def documents() -> list[Document]:
    """Every document, freshly read (extraction happened in another session)."""
    db.session.expire_all()
    return list(db.session.scalars(select(Document).order_by(Document.id)))


def last_thread() -> Thread:
    db.session.expire_all()
    return db.session.scalar(select(Thread).order_by(Thread.id.desc()).limit(1))


def error_text(response) -> str:
    """The visible text of a page, tags stripped and whitespace collapsed."""
    html = response.get_data(as_text=True)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#34;", '"')
