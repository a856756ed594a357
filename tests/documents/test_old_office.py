"""Old Office files (.doc, .xls): told apart from their OLE2 directory, read with xlrd
and antiword, kept with a reason when their text cannot be read.

The two fixtures were made with LibreOffice (see ``fixtures/make_old_office.sh``); the
damaged ones are cut or made up here.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from board.documents.sniff import OLE_MAGIC, RefusedFile, sniff
from tests.documents.conftest import documents, error_text

FIXTURES = Path(__file__).parent / "fixtures"
DOC = (FIXTURES / "zapisnik.doc").read_bytes()
XLS = (FIXTURES / "budzet.xls").read_bytes()
# An OLE2 signature followed by nothing a reader can use.
BROKEN_OLE = OLE_MAGIC + b"\x00not a compound file directory" * 40


def _kind(data: bytes, name: str) -> str:
    return sniff(io.BytesIO(data), name).kind.code


def test_doc_and_xls_are_told_apart_by_their_bytes():
    assert _kind(DOC, "zapisnik.doc") == "doc"
    assert _kind(XLS, "budzet.xls") == "xls"
    assert _kind(DOC, "bez-imena") == "doc"


@pytest.fixture
def english(app):
    with app.test_request_context(environ_base={"HTTP_COOKIE": "lang=en"}):
        yield


def test_a_doc_named_xls_is_refused_with_what_it_really_is(english):
    with pytest.raises(RefusedFile) as refused:
        sniff(io.BytesIO(DOC), "tabela.xls")
    assert "Word 97" in str(refused.value)


def test_a_damaged_ole2_file_is_kept_by_its_name_and_refused_without_one(english):
    assert _kind(BROKEN_OLE, "stari.xls") == "xls"
    with pytest.raises(RefusedFile):
        sniff(io.BytesIO(BROKEN_OLE), "stari.ppt")


def test_xls_cells_are_read_sheet_by_sheet(member, login, start_thread, client):
    login(member)
    assert start_thread([("budzet.xls", XLS)]).status_code == 302
    (document,) = documents()
    assert document.kind == "xls"
    assert document.mime == "application/vnd.ms-excel"
    assert document.extraction_status == "done", document.extraction_error
    assert "Rasvjeta u ulici Čekaluša 1200" in document.text
    results = client.get("/api/v1/search", query_string={"q": "Čekaluša"}).get_json()
    assert [r["document_id"] for r in results["results"] if r["type"] == "document"] == [
        document.id
    ]


@pytest.mark.skipif(shutil.which("antiword") is None, reason="antiword is not installed")
def test_doc_text_is_read_with_antiword(member, login, start_thread):
    login(member)
    assert start_thread([("zapisnik.doc", DOC)]).status_code == 302
    (document,) = documents()
    assert document.kind == "doc"
    assert document.extraction_status == "done", document.extraction_error
    assert "Zapisnik sa sjednice savjeta MZ Kovačići" in document.text
    assert "općinskom vijeću" in document.text


def test_without_antiword_the_doc_is_kept_and_its_text_not_read(
    member, login, start_thread, client, monkeypatch
):
    login(member)
    monkeypatch.setenv("PATH", "/nonexistent")  # the extractor's child finds no antiword
    assert start_thread([("zapisnik.doc", DOC)]).status_code == 302
    (document,) = documents()
    assert document.extraction_status == "failed"
    assert document.extraction_error == "no_reader"
    page = error_text(client.get(f"/documents/{document.id}"))
    assert "The board has no reader for this kind of file installed" in page
    assert client.get(f"/documents/{document.id}/download").data == DOC


@pytest.mark.parametrize(
    ("name", "data"),
    [("stari.xls", BROKEN_OLE), ("odrezan.xls", XLS[:2500]), ("odrezan.doc", DOC[:3000])],
)
def test_damaged_old_office_files_are_kept_with_a_reason(name, data, member, login, start_thread):
    login(member)
    assert start_thread([(name, data)]).status_code == 302
    (document,) = documents()
    assert document.extraction_status == "failed"
    assert document.extraction_error in ("damaged", "no_reader")
