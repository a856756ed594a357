"""Attaching files to threads and replies: what is accepted, refused and kept."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

from sqlalchemy import func, select

from board.documents.pdfgen import make_pdf
from board.extensions import db
from board.models import Document, Thread
from tests import hostile
from tests.documents.conftest import documents, error_text, last_thread

PDF = make_pdf([["Statut mjesne zajednice Čapljina"], ["Član 2. Savjet mjesne zajednice"]])
DOCX = hostile.docx()


def _threads() -> int:
    return db.session.scalar(select(func.count(Thread.id)))


def _assert_refused_and_kept(response, message: str) -> None:
    assert response.status_code == 400
    text = error_text(response)
    assert message in text, text[:1500]
    html = response.get_data(as_text=True)
    assert 'value="Statut MZ"' in html  # the typed title
    assert "Evo dokumenta." in html  # and body stay in the form
    assert _threads() == 0
    assert documents() == []


def test_member_attaches_documents_with_metadata(member, login, start_thread, client):
    login(member)
    response = start_thread(
        [("statut.pdf", PDF), ("zapisnik.docx", DOCX)],
        doc_title="Statut MZ Čapljina",
        doc_type="statute",
        doc_municipality="Čapljina",
        doc_year="2023",
    )
    assert response.status_code == 302
    first, second = documents()
    assert (first.filename, first.kind, first.mime) == ("statut.pdf", "pdf", "application/pdf")
    assert second.kind == "docx"
    assert (first.title, first.doc_type, first.municipality, first.year) == (
        "Statut MZ Čapljina",
        "statute",
        "Čapljina",
        2023,
    )
    assert first.post.is_first and first.post.thread.title == "Statut MZ"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'href="/documents/{first.id}"' in page and "zapisnik.docx" in page
    assert f"/documents/{second.id}/download" in page


def test_reply_carries_files(member, other_member, login, start_thread, reply_with):
    login(member)
    start_thread([])
    thread = last_thread()
    login(other_member)
    assert reply_with(thread.id, [("zapisnik.pdf", PDF)]).status_code == 302
    (document,) = documents()
    assert not document.post.is_first and document.uploader_id == other_member.id


def test_docx_named_pdf_is_refused_with_the_reason(member, login, start_thread):
    login(member)
    response = start_thread([("izvjestaj.pdf", DOCX)])
    _assert_refused_and_kept(
        response, "is named as a PDF document, but its contents are a Word document (DOCX)"
    )


def test_program_is_refused_even_with_a_document_name(member, login, start_thread):
    login(member)
    program = Path(shutil.which("true")).read_bytes()
    _assert_refused_and_kept(start_thread([("budzet.pdf", program)]), "is a program")


def test_zip_bomb_is_refused(member, login, start_thread):
    login(member)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (64 * 1024 * 1024))
    _assert_refused_and_kept(
        start_thread([("plan.docx", bomb.getvalue())]), "looks like a decompression bomb"
    )


def test_plain_zip_archive_is_refused(member, login, start_thread):
    login(member)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("a.txt", "tekst")
    _assert_refused_and_kept(start_thread([("dokumenti.zip", archive.getvalue())]), "ZIP archive")


def test_too_many_files_are_refused(member, login, start_thread):
    login(member)
    files = [(f"prilog-{n}.txt", f"Prilog {n}".encode()) for n in range(11)]
    _assert_refused_and_kept(
        start_thread(files), "You can attach at most 10 files to a post; you chose 11."
    )


def test_every_problem_is_listed(member, login, start_thread):
    login(member)
    response = start_thread([("a.pdf", DOCX), ("b.docx", PDF)])
    text = error_text(response)
    assert "“a.pdf” is named as a PDF document" in text
    assert "“b.docx” is named as a Word document (DOCX)" in text


def test_same_bytes_are_stored_once(member, login, start_thread, app):
    login(member)
    start_thread([("statut.pdf", PDF)])
    start_thread([("statut-kopija.pdf", PDF)], title="Opet statut")
    first, second = documents()
    assert first.sha256 == second.sha256
    blobs = [p for p in Path(app.config["UPLOAD_PATH"]).rglob("*") if p.is_file()]
    assert len(blobs) == 1 and blobs[0].read_bytes() == PDF


def test_invalid_year_keeps_the_post(member, login, start_thread):
    login(member)
    response = start_thread([("statut.pdf", PDF)], doc_year="20234")
    _assert_refused_and_kept(response, "Enter a year such as 2024.")


def test_images_are_shown_inline_not_indexed(member, login, start_thread, client):
    login(member)
    image = hostile.png()
    filename = "slika.png"
    start_thread([(filename, image)])
    (document,) = documents()
    assert document.extraction_status == "skipped" and document.kind in ("png", "jpeg")
    page = client.get(f"/t/{document.post.thread_id}").get_data(as_text=True)
    assert f'<img src="/documents/{document.id}/image"' in page
    response = client.get(f"/documents/{document.id}/image")
    assert response.status_code == 200 and response.data == image
    assert response.mimetype == document.mime
    assert response.headers["Content-Disposition"].startswith("inline;")


def test_upload_does_not_wait_for_extraction(member, login, start_thread, client, app):
    app.config["EXTRACT_WORKER"] = "off"
    login(member)
    response = start_thread([("statut.pdf", PDF)])
    assert response.status_code == 302
    (document,) = documents()
    assert document.extraction_status == "pending"
    assert "Text is being read" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_preview_keeps_metadata_and_the_files(member, login, start_thread):
    login(member)
    response = start_thread([("statut.pdf", PDF)], preview="1", doc_municipality="Žepče")
    assert response.status_code == 200
    assert 'value="Žepče"' in response.get_data(as_text=True)
    assert "Already attached: statut.pdf" in error_text(response)
    assert documents() == []


def test_documents_table_is_untouched_by_a_refused_reply(member, login, start_thread, reply_with):
    login(member)
    start_thread([])
    thread = last_thread()
    response = reply_with(thread.id, [("x.pdf", DOCX)], body="Moj odgovor")
    assert response.status_code == 400
    assert "Moj odgovor" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Document.id))) == 0


def test_fred_cannot_script_through_names_and_metadata(fred, login, start_thread, client):
    login(fred)
    payload = "<img src=x onerror=alert(1)>"
    start_thread([(f"{payload}.pdf", PDF)], doc_title=payload, doc_municipality=payload)
    (document,) = documents()
    for url in (f"/t/{document.post.thread_id}", document.url, "/documents"):
        html = client.get(url).get_data(as_text=True)
        assert payload not in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html
