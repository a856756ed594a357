"""Every real file in the shared corpus ends in extracted text or a clear reason.

Each one goes through the real new-thread form; extraction runs in the real child
process with the configured limits (in tests, right after the request).
"""

from __future__ import annotations

import pytest

from board.documents.service import REASONS
from tests.conftest import CORPUS
from tests.documents.conftest import documents, error_text

pytestmark = pytest.mark.corpus

FILES = sorted(
    p for folder in ("pdf", "docx", "odt") for p in (CORPUS / folder).rglob("*") if p.is_file()
)

EXPECTED_TEXT = {
    "croatian-court-summary.pdf": "zemljišta",
    "russian-cyrillic.pdf": "Номер полиса",
    "polish-letters.pdf": "ĄŁąłężśćźńĘ",
    "czech-non-unicode-cmap.pdf": "Peněžní prostředky",
    "multicolumn.pdf": "fi",  # the ligature U+FB01 is folded by NFKC
    "owner-password-only.pdf": "asdfzxcv",
    "jbig2-decompression-bomb.pdf": "GIANT JBIG2 BOMB",
    "recursive-xobjects.pdf": "Hello world",
    "no-startxref-simple1.pdf": "Hello",
    "zen-of-python-corrupted.pdf": "Beautiful is better than ugly",
    "tika-text-box.docx": "text box",
    "tika-slovak-textbox.docx": "Komisia",
    "tika-testWORD.docx": "header for our document",
    "python-docx-table-text.docx": "a hearty foo",
    "odfpy-headerfooter.odt": "Footer 1 Bottom",
    "odfpy-simpletable.odt": "Cell 4",
    "tika-spanish-accents.odt": "Traducción",
    "tika-external-dtd-ooo3.odt": "Apache Tika Test Document",
}
EXPECTED_REASON = {
    "aes-256-r6.pdf": "encrypted",
    "rc4-128-user-password.pdf": "encrypted",
    "user-password-openpassword.pdf": "encrypted",
    "no-extract-permission.pdf": "forbidden",
    "tika-encrypted-passtika.docx": "encrypted",
    "tika-encrypted.odt": "encrypted",
    "odfpy-nasty-xxe.odt": "unsafe",
    "tika-truncated.docx": "damaged",
    "fuzzed-poppler-kids-not-array.pdf": "damaged",
    "scanned-ocr-needed.pdf": "no_text",
    "empty-page.pdf": "no_text",
    "python-docx-empty-default.docx": "no_text",
}
REFUSED = {"tika-not-a-zip.odt": "contents are a text file"}


@pytest.mark.parametrize(
    "path", FILES or [CORPUS / "absent"], ids=lambda p: f"{p.parent.name}/{p.name}"
)  # one placeholder when absent, so the skip gives the corpus reason
def test_corpus_file_ends_in_text_or_a_reason(path, member, login, start_thread, client):
    login(member)
    response = start_thread([(path.name, path.read_bytes())])
    if path.name in REFUSED:
        assert response.status_code == 400
        assert REFUSED[path.name] in error_text(response)
        assert "Statut MZ" in response.get_data(as_text=True)  # the typed title is kept
        return
    assert response.status_code == 302, error_text(response)[:400]
    (document,) = documents()
    assert document.extraction_status in ("done", "failed")
    if document.extraction_status == "done":
        assert document.text.strip()
        assert "(cid:" not in document.text
    else:
        assert document.extraction_error in REASONS
        page = client.get(document.url).get_data(as_text=True)
        assert str(REASONS[document.extraction_error]).replace("'", "&#39;") in page
    if path.name in EXPECTED_TEXT:
        assert document.extraction_status == "done", document.extraction_error
        assert EXPECTED_TEXT[path.name] in document.text
    if path.name in EXPECTED_REASON:
        assert (document.extraction_status, document.extraction_error) == (
            "failed",
            EXPECTED_REASON[path.name],
        )
    # kept and downloadable whatever happened to its text
    download = client.get(f"{document.url}/download")
    assert download.status_code == 200
    assert download.data == path.read_bytes()


def test_pdf_pages_keep_their_numbers(member, login, start_thread):
    login(member)
    path = CORPUS / "pdf/non-ascii/croatian-court-summary.pdf"
    start_thread([(path.name, path.read_bytes())])
    (document,) = documents()
    assert document.page_count == 2
    pages = document.text.split("\f")
    assert len(pages) == 2 and all(pages)


def test_xxe_file_resolves_no_external_entity(member, login, start_thread):
    login(member)
    path = CORPUS / "odt/odfpy-nasty-xxe.odt"
    start_thread([(path.name, path.read_bytes())])
    (document,) = documents()
    assert document.extraction_status == "failed"
    assert document.text == ""
