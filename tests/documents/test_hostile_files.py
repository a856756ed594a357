"""Hostile uploads the suite builds itself (tests/hostile.py): each one is refused with a
message or kept, served as a download and explained, never a 500 or a script."""

from __future__ import annotations

import pytest

from board.extensions import db
from tests import hostile
from tests.documents.conftest import documents, error_text
from tests.security.htmlcheck import unsafe_markup


@pytest.mark.parametrize("name", sorted(hostile.HOSTILE_FILES))
def test_hostile_file_is_refused_or_kept_safely(name, member, login, start_thread, client):
    login(member)
    data = hostile.HOSTILE_FILES[name]()
    response = start_thread([(name, data)], title="Prilog")
    assert response.status_code in (302, 400), (name, response.status_code)
    page = client.get(response.headers["Location"]) if response.status_code == 302 else response
    assert page.status_code in (200, 400)
    assert unsafe_markup(page.get_data(as_text=True)) == [], name
    if response.status_code == 400:
        assert "Prilog" in page.get_data(as_text=True)  # the typed title is kept
        assert documents() == []
        return
    (document,) = documents()
    assert document.extraction_status in ("done", "failed", "skipped"), name
    assert "root:x:0:0" not in document.text  # no external entity was resolved
    download = client.get(f"/documents/{document.id}/download")
    assert download.status_code == 200 and download.data == data
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "/" not in document.filename and "\u202e" not in document.filename
    if document.extraction_status == "failed":
        assert "not" in error_text(client.get(document.url)).lower()  # "text not extracted"


def test_html_named_as_pdf_is_refused_with_a_reason(member, login, start_thread):
    login(member)
    response = start_thread([("zapisnik.pdf", hostile.html_page())], title="Zapisnik")
    assert response.status_code == 400
    assert "zapisnik.pdf" in error_text(response)
    db.session.expire_all()
    assert documents() == []


def test_zip_bomb_named_as_docx_is_kept_but_not_read(member, login, start_thread):
    login(member)
    response = start_thread([("statut.docx", hostile.zip_bomb_docx())], title="Statut")
    assert response.status_code in (302, 400)
    for document in documents():
        assert document.extraction_status in ("failed", "skipped")
        assert document.text == ""
