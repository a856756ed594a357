"""Downloads: the original name survives (RFC 6266/5987), the type is the sniffed one,
and a document exists only for those who may read its post."""

from __future__ import annotations

import io

from board.documents.pdfgen import make_pdf
from tests import factories
from tests.documents.conftest import documents

PDF = make_pdf([["Izvještaj o radu savjeta MZ Čapljina za 2024. godinu"]])
NAME = "Izvještaj o radu — Čapljina.pdf"


def _upload(client, slug="regulation", name=NAME, content=PDF, mimetype="text/html"):
    """The browser's claimed MIME type is a lie on purpose: the bytes decide."""
    data = {
        "title": "Izvještaj",
        "body": "U prilogu.",
        "files": [(io.BytesIO(content), name, mimetype)],
    }
    response = client.post(f"/c/{slug}/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return documents()[-1]


def test_download_keeps_the_bcs_name_and_the_sniffed_type(member, login, client):
    login(member)
    document = _upload(client)
    response = client.get(f"/documents/{document.id}/download")
    assert response.status_code == 200
    assert response.data == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="Izvjestaj o radu - Capljina.pdf"' in disposition
    assert (
        "filename*=UTF-8''Izvje%C5%A1taj%20o%20radu%20%E2%80%94%20%C4%8Capljina.pdf" in disposition
    )
    # what a browser would save it as
    from werkzeug.http import parse_options_header

    assert parse_options_header(disposition)[1]["filename"] == NAME


def test_name_with_separators_cannot_break_the_header(member, login, client):
    login(member)
    document = _upload(client, name="statut; 100% nacrt.pdf")
    disposition = client.get(f"/documents/{document.id}/download").headers["Content-Disposition"]
    assert disposition == (
        'attachment; filename="statut_ 100_ nacrt.pdf"; '
        "filename*=UTF-8''statut%3B%20100%25%20nacrt.pdf"
    )


def test_uploaded_names_lose_paths_and_control_characters():
    from board.documents.service import safe_filename

    assert safe_filename("C:\\fakepath\\..\\zapisnik\r\n.pdf") == "zapisnik.pdf"
    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename("...") == "document"


def _hide(client, login, moderator, post_id):
    login(moderator)
    response = client.post(f"/p/{post_id}/hide", data={"reason": "Lični podaci u prilogu"})
    assert response.status_code == 302


def test_hidden_post_hides_its_document_from_others(member, other_member, admin, login, client):
    login(member)
    document = _upload(client)
    urls = [document.url, f"{document.url}/download"]
    _hide(client, login, admin, document.post_id)
    assert all(client.get(url).status_code == 200 for url in urls)  # the moderator still sees it
    login(other_member)
    assert [client.get(url).status_code for url in urls] == [404, 404]
    client.post("/logout")
    assert [client.get(url).status_code for url in urls] == [404, 404]
    login(member)  # the author still sees what was hidden, and why
    assert client.get(urls[1]).status_code == 200


def test_deleted_post_takes_its_document_away(member, other_member, login, client):
    login(member)
    document = _upload(client)
    assert client.post(f"/p/{document.post_id}/delete").status_code == 302
    login(other_member)
    assert client.get(f"{document.url}/download").status_code == 404


def test_members_only_documents_are_not_served_to_guests(member, login, client):
    category = factories.make_category("clanovi", visibility="members")
    login(member)
    document = _upload(client, slug=category.slug)
    assert client.get(f"{document.url}/download").status_code == 200
    client.post("/logout")
    assert client.get(f"{document.url}/download").status_code == 404
    assert client.get("/documents/999999/download").status_code == 404


def test_document_page_shows_metadata_thread_text_and_reason(member, other_member, login, client):
    login(member)
    document = _upload(client)
    page = client.get(document.url).get_data(as_text=True)
    assert "Izvještaj o radu savjeta MZ Čapljina za 2024. godinu" in page
    assert f'href="/p/{document.post_id}"' in page and "Izvještaj" in page
    assert f'href="/documents/{document.id}/download"' in page
    broken = _upload(client, name="sifrirano.pdf", content=PDF[:200])
    page = client.get(broken.url).get_data(as_text=True)
    assert broken.extraction_status == "failed"
    assert "The file is damaged or not valid, so its text cannot be read." in page
    assert "The file itself is kept and can be downloaded." in page
