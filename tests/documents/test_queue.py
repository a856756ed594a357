"""Extraction happens outside the request, survives restarts, and stays within limits."""

from __future__ import annotations

import io
import time
import zipfile
from datetime import timedelta

from board import create_app
from board.documents.pdfgen import make_pdf
from board.documents.runner import run_extraction
from board.extensions import db
from board.models.base import utcnow
from tests.documents.conftest import documents

PDF = make_pdf([["Zapisnik sa zbora građana"], ["Zaključak: usvaja se plan rada"]])


def test_pending_extractions_survive_a_restart(app, app_config, member, login, start_thread):
    app.config["EXTRACT_WORKER"] = "off"  # nobody reads the text in this process
    login(member)
    start_thread([("zapisnik.pdf", PDF)])
    assert documents()[0].extraction_status == "pending"
    restarted = create_app({**app_config, "EXTRACT_WORKER": "off"})
    result = restarted.test_cli_runner().invoke(args=["board", "documents", "extract"])
    with restarted.app_context():
        db.engine.dispose()
    assert result.exit_code == 0, result.output
    assert "zapisnik.pdf\tdone\t2 pages" in result.output
    (document,) = documents()
    assert document.extraction_status == "done"
    assert "usvaja se plan rada" in document.text.split("\f")[1]


def test_work_claimed_by_a_dead_process_is_taken_up_again(app, member, login, start_thread):
    app.config["EXTRACT_WORKER"] = "off"
    login(member)
    start_thread([("zapisnik.pdf", PDF)])
    (document,) = documents()
    document.extraction_status = "running"  # claimed, then the process was killed
    document.extracted_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["board", "documents", "extract"])
    assert "Documents read: 1." in result.output
    assert documents()[0].extraction_status == "done"


def test_background_worker_reads_the_text_after_the_response(app, member, login, start_thread):
    app.config["EXTRACT_WORKER"] = "thread"
    login(member)
    assert start_thread([("zapisnik.pdf", PDF)]).status_code == 302
    deadline = time.monotonic() + 60
    while documents()[0].extraction_status in ("pending", "running"):
        assert time.monotonic() < deadline, "the worker never read the document"
        time.sleep(0.1)
    assert documents()[0].extraction_status == "done"
    app.extensions["documents_worker"].stop()


def test_extraction_over_the_time_limit_is_stopped_and_explained(
    app, member, login, start_thread, client
):
    app.config["EXTRACT_TIMEOUT"] = 0.001
    login(member)
    start_thread([("zapisnik.pdf", PDF)])
    (document,) = documents()
    assert (document.extraction_status, document.extraction_error) == ("failed", "timeout")
    assert "Reading the file took too long" in client.get(document.url).get_data(as_text=True)
    assert client.get(f"{document.url}/download").data == PDF


def test_long_document_keeps_the_pages_read_before_the_time_limit(
    app, member, login, start_thread, client
):
    app.config["EXTRACT_TIMEOUT"] = 2  # far too short for 600 dense pages, enough for the first
    long_pdf = make_pdf([[f"Strana {n}: plan asfaltiranja ulica"] * 60 for n in range(600)])
    login(member)
    start_thread([("dugi-plan.pdf", long_pdf)])
    (document,) = documents()
    assert (document.extraction_status, document.extraction_error) == ("done", "partial")
    assert 0 < document.page_count < 600
    assert document.text.startswith("Strana 0: plan asfaltiranja ulica")
    page = client.get(document.url).get_data(as_text=True)
    assert f"only its first {document.page_count} pages were read" in page


def test_decompression_bomb_hits_the_memory_limit_not_the_server(tmp_path):
    """An ODT whose content.xml unpacks to 150 MB of paragraphs (refused at upload by the
    sniffer; here the child's own memory cap is what stops it)."""
    paragraph = b"<text:p>Zapisnik sa sjednice savjeta mjesne zajednice</text:p>"
    body = paragraph * (150 * 1024 * 1024 // len(paragraph))
    content = (
        b'<?xml version="1.0"?><office:document-content '
        b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
        b"<office:body><office:text>"
        + body
        + b"</office:text></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content)
    path = tmp_path / "bomb.odt"
    path.write_bytes(buffer.getvalue())
    outcome = run_extraction("odt", str(path), timeout=60, memory_mb=256)
    assert outcome.error == "too_large", outcome
