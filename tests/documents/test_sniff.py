"""Types come from the bytes: office containers are told apart by their parts."""

from __future__ import annotations

import io

import pytest

from board.documents.sniff import RefusedFile, sniff
from tests.conftest import corpus_bytes
from tests.documents.test_generated import make_docx, make_ods, make_odt, make_xlsx
from tests.documents.test_upload import PDF


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (make_docx, "docx"),
        (make_xlsx, "xlsx"),
        (make_odt, "odt"),
        (make_ods, "ods"),
        (lambda: PDF, "pdf"),
    ],
)
def test_each_container_is_recognised_without_a_telling_name(app, make, kind):
    assert sniff(io.BytesIO(make()), "prilog").kind.code == kind


@pytest.fixture
def english(app):
    with app.test_request_context(environ_base={"HTTP_COOKIE": "lang=en"}):
        yield


def test_spreadsheet_named_as_word_document_is_explained(english):
    with pytest.raises(RefusedFile) as refused:
        sniff(io.BytesIO(make_xlsx()), "plan.docx")
    assert str(refused.value) == (
        "“plan.docx” is named as a Word document (DOCX), but its contents are an Excel "
        "spreadsheet (XLSX). The file was not attached."
    )


@pytest.mark.corpus
def test_password_protected_docx_is_kept_for_an_explanation(app):
    data = corpus_bytes("docx/tika-encrypted-passtika.docx")
    sniffed = sniff(io.BytesIO(data), "zasticeno.docx")
    assert (sniffed.kind.code, sniffed.encrypted) == ("docx", True)


def test_empty_file_is_refused(english):
    with pytest.raises(RefusedFile, match="is empty"):
        sniff(io.BytesIO(b""), "prazno.pdf")
