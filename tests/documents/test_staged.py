"""Files chosen on a post form that is refused are kept as staged uploads, not lost."""

from __future__ import annotations

import re
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from board.documents.service import human_size
from board.documents.storage import get_storage
from board.extensions import db
from board.models import StagedUpload
from board.models.base import utcnow
from tests import hostile
from tests.documents.conftest import documents, error_text, last_thread

PDF_NAME = "minimal-document.pdf"
PDF = hostile.pdf()
PROGRAM = Path(shutil.which("true")).read_bytes()


def tokens(response) -> list[str]:
    """The staged-upload tokens the re-rendered form carries in hidden fields."""
    html = response.get_data(as_text=True)
    return re.findall(r'<input type="hidden" name="staged" value="([^"]+)">', html)


def staged_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(StagedUpload.id)))


def test_empty_title_keeps_the_pdf_and_the_next_submit_attaches_it(
    member, login, start_thread, client
):
    login(member)
    response = start_thread([(PDF_NAME, PDF)], title="", doc_type="statute")
    assert response.status_code == 400
    text = error_text(response)
    assert "Write a title." in text
    assert f"Already attached: {PDF_NAME} ({human_size(len(PDF))})" in text
    assert documents() == []
    (token,) = tokens(response)

    response = start_thread([], title="Statut MZ Stup", staged=[token], doc_type="statute")
    assert response.status_code == 302
    (document,) = documents()
    assert document.filename == PDF_NAME and document.kind == "pdf"
    assert document.doc_type == "statute" and document.uploader_id == member.id
    assert document.post.thread.title == "Statut MZ Stup"
    with get_storage().open(document.sha256) as blob:
        assert blob.read() == PDF
    assert staged_count() == 0
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'href="/documents/{document.id}"' in page


def test_reply_too_long_keeps_the_file(member, login, start_thread, reply_with, app):
    login(member)
    start_thread([])
    thread = last_thread()
    too_long = "x" * (int(app.config["BODY_MAX"]) + 1)
    response = reply_with(thread.id, [(PDF_NAME, PDF)], body=too_long)
    assert response.status_code == 400
    assert f"Already attached: {PDF_NAME}" in error_text(response)
    response = reply_with(thread.id, [], body="Kraće.", staged=tokens(response))
    assert response.status_code == 302
    (document,) = documents()
    assert not document.post.is_first and document.post.thread_id == thread.id


def test_refused_file_is_not_staged_and_its_reason_is_shown(member, login, start_thread):
    login(member)
    response = start_thread([("budzet.pdf", PROGRAM), (PDF_NAME, PDF)])
    assert response.status_code == 400
    text = error_text(response)
    assert "“budzet.pdf”" in text and "is a program" in text
    assert "choose the refused files again" in text
    assert f"Already attached: {PDF_NAME}" in text
    assert "Already attached: budzet.pdf" not in text
    assert len(tokens(response)) == 1 and staged_count() == 1

    assert start_thread([], staged=tokens(response)).status_code == 302
    assert [d.filename for d in documents()] == [PDF_NAME]


def test_another_members_token_is_never_attached(member, other_member, login, start_thread):
    login(member)
    (token,) = tokens(start_thread([(PDF_NAME, PDF)], title=""))
    login(other_member)
    refused = start_thread([], title="", staged=[token])
    assert "Already attached" not in error_text(refused)
    assert tokens(refused) == []
    assert start_thread([], title="Tuđi prilog", staged=[token]).status_code == 302
    assert documents() == []
    assert staged_count() == 1  # still the member's, untouched


def test_a_made_up_token_is_ignored(member, login, start_thread):
    login(member)
    assert start_thread([], staged=["1", "' OR 1=1 --"]).status_code == 302
    assert documents() == []


def test_removed_file_is_not_attached_and_its_blob_goes(member, login, start_thread):
    login(member)
    (token,) = tokens(start_thread([(PDF_NAME, PDF)], title=""))
    sha = db.session.scalar(select(StagedUpload.sha256))
    response = start_thread([], staged=[token], staged_remove=[token])
    assert response.status_code == 302
    assert documents() == [] and staged_count() == 0
    assert not get_storage().exists(sha)


def test_file_limit_counts_staged_and_new_files(member, login, start_thread, app):
    app.config["UPLOAD_MAX_FILES"] = 2
    login(member)
    first = tokens(start_thread([("a.txt", b"prvi prilog"), ("b.txt", b"drugi prilog")], title=""))
    assert len(first) == 2
    response = start_thread([("c.txt", b"treci prilog")], staged=first)
    assert response.status_code == 400
    text = error_text(response)
    assert "at most 2 files" in text and "you chose 3" in text
    assert "so are the files listed as already attached." in text
    assert "refused files" not in text  # none was refused: there were just too many
    kept = tokens(response)
    assert len(kept) == 3  # the third is kept too: the member chooses what to drop
    response = start_thread([], staged=kept, staged_remove=[kept[0]])
    assert response.status_code == 302
    assert [d.filename for d in documents()] == ["b.txt", "c.txt"]


def test_preview_keeps_the_file(member, login, start_thread):
    login(member)
    response = start_thread([(PDF_NAME, PDF)], preview="1")
    assert response.status_code == 200
    assert f"Already attached: {PDF_NAME}" in error_text(response)
    assert start_thread([], staged=tokens(response)).status_code == 302
    assert len(documents()) == 1


@pytest.mark.parametrize("shared", [False, True])
def test_purge_removes_old_staged_uploads(member, login, start_thread, app, shared):
    login(member)
    if shared:  # the same bytes are also a posted document: the blob must stay
        start_thread([(PDF_NAME, PDF)], title="Objavljeno")
    (token,) = tokens(start_thread([(PDF_NAME, PDF)], title=""))
    row = db.session.scalar(select(StagedUpload))
    row.created_at = utcnow() - timedelta(hours=25)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["board", "documents", "purge-staged"])
    assert "Staged uploads purged: 1." in result.output
    assert staged_count() == 0
    assert get_storage().exists(row.sha256) is shared
    assert start_thread([], title="Kasno", staged=[token]).status_code == 302
    assert len(documents()) == (1 if shared else 0)
