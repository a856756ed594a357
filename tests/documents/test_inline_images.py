"""Uploaded PNG and JPEG images appear in the post itself, and are still downloads."""

from __future__ import annotations

from board.extensions import db
from tests import hostile
from tests.documents.conftest import documents
from tests.documents.test_upload import PDF


def test_image_is_inline_with_its_file_name_as_alt_and_still_a_download(
    member, login, start_thread, client
):
    login(member)
    start_thread([("trg-prije-obnove.png", hostile.png())])
    (document,) = documents()
    page = client.get(f"/t/{document.post.thread_id}").get_data(as_text=True)
    img = page[page.index(f'<img src="/documents/{document.id}/image"') :]
    img = img[: img.index(">") + 1]
    assert 'alt="trg-prije-obnove.png"' in img and 'loading="lazy"' in img
    assert f'href="/documents/{document.id}/download"' in page
    response = client.get(f"/documents/{document.id}/image")
    assert response.mimetype == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_file_whose_bytes_are_not_an_image_is_never_served_as_one(
    member, login, start_thread, client
):
    login(member)
    start_thread([("statut.pdf", PDF)])
    (document,) = documents()
    document.kind, document.mime = "png", "image/png"  # a row that lies about the bytes
    db.session.commit()
    response = client.get(f"/documents/{document.id}/image")
    assert response.status_code == 404
    assert not response.mimetype.startswith("image/")


def test_an_image_whose_file_is_gone_is_a_404(member, login, start_thread, client):
    from board.documents.storage import get_storage

    login(member)
    start_thread([("trg.png", hostile.png())])
    (document,) = documents()
    get_storage().delete(document.sha256)
    assert client.get(f"/documents/{document.id}/image").status_code == 404
