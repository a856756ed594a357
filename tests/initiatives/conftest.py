"""Helpers for initiative tests: places, an initiative through the real form, uploads."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from board.extensions import db
from board.models import Entity, LocalCommunity, Municipality
from board.models.initiatives import Initiative


@pytest.fixture(autouse=True)
def _english(client):
    """Read pages in English so assertions do not depend on the Bosnian catalogue."""
    client.set_cookie("lang", "en")


def make_place(slug: str, name: str, mz_name: str) -> LocalCommunity:
    """A municipality with one MZ (the tests do not load the whole map)."""
    entity = db.session.scalar(select(Entity).where(Entity.code == "fbih"))
    if entity is None:
        entity = Entity(code="fbih", name="Federacija BiH", name_cyrillic="Федерација БиХ")
    town = Municipality(slug=slug, name=name, name_cyrillic=name, entity=entity)
    mz = LocalCommunity(municipality=town, name=mz_name, name_key=mz_name.lower())
    db.session.add_all([town, mz])
    db.session.commit()
    return mz


def multipart_post(client, url: str, fields: dict, files=()):
    """POST a multipart form with files [(name, bytes)] and the CSRF token."""
    values = MultiDict({"csrf_token": client.csrf_token(), **fields})
    for name, content in files:
        values.add("files", FileStorage(io.BytesIO(content), filename=name))
    boundary, body = encode_multipart(values)
    return client.post(
        url, data=body, content_type=f"multipart/form-data; boundary={boundary}", csrf=False
    )


@pytest.fixture
def new_initiative(client):
    """POST /initiatives/new as whoever is logged in; returns the thread id."""

    def post(title="Izmjena Zakona o principima lokalne samouprave", **fields) -> int:
        data = {
            "category": "regulation",
            "title": title,
            "body": "Problem: MZ nemaju pravni subjektivitet. Prijedlog: izmjena člana 24.",
            "level": "entity",
            "addressee": "Federalno ministarstvo pravde",
            "legal_basis": "Zakon o principima lokalne samouprave, član 24.",
            **fields,
        }
        response = client.post("/initiatives/new", data=data)
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        return int(response.headers["Location"].rsplit("/", 1)[-1])

    return post


def initiative(thread_id: int) -> Initiative:
    db.session.expire_all()
    return db.session.scalar(select(Initiative).where(Initiative.thread_id == thread_id))
