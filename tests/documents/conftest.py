"""Helpers for document tests: post a thread or reply with files through the real form."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from board.extensions import db
from board.models import Document, Thread


@pytest.fixture(autouse=True)
def _english(client):
    """Read pages in English so assertions do not depend on the Bosnian catalogue."""
    client.set_cookie("lang", "en")


@pytest.fixture
def start_thread(client):
    """POST /c/<slug>/new with files [(name, bytes)] and optional metadata fields."""

    def post(files, *, slug="regulation", title="Statut MZ", body="Evo dokumenta.", **fields):
        data = {"title": title, "body": body, **fields}
        data["files"] = [(io.BytesIO(content), name) for name, content in files]
        return client.post(f"/c/{slug}/new", data=data, content_type="multipart/form-data")

    return post


@pytest.fixture
def reply_with(client):
    def post(thread_id, files, *, body="Evo i zapisnika.", **fields):
        data = {"body": body, **fields}
        data["files"] = [(io.BytesIO(content), name) for name, content in files]
        return client.post(f"/t/{thread_id}/reply", data=data, content_type="multipart/form-data")

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
