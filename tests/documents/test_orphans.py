"""`board documents check [--fix]` finds upload files nothing refers to and removes them,
never a file a document uses or one an upload still in progress may be about to use."""

from __future__ import annotations

import io
import os
import time

from board.documents.storage import get_storage
from tests import hostile
from tests.documents.conftest import documents


def _age(path, seconds: float = 7200) -> None:
    past = time.time() - seconds
    os.utime(path, (past, past))


def test_check_lists_and_fix_removes_orphans_only(app, member, login, start_thread):
    login(member)
    assert start_thread([("statut.pdf", hostile.pdf())]).status_code == 302
    (document,) = documents()
    storage = get_storage()
    kept = storage.path(document.sha256)
    orphan_sha, _ = storage.put(io.BytesIO(b"nobody refers to me"))
    orphan = storage.path(orphan_sha)
    leftover = storage.root / ".upload-killed"
    leftover.write_bytes(b"half a file")
    young_sha, _ = storage.put(io.BytesIO(b"an upload still in progress"))
    for path in (kept, orphan, leftover):
        _age(path)
    runner = app.test_cli_runner()

    result = runner.invoke(args=["board", "documents", "check"])
    assert result.exit_code == 1
    assert f"orphan file: {orphan}" in result.output
    assert f"unfinished upload: {leftover}" in result.output
    assert str(kept) not in result.output and young_sha not in result.output
    assert "1 newer than 3600 s not judged" in result.output

    fixed = runner.invoke(args=["board", "documents", "check", "--fix"])
    assert fixed.exit_code == 0 and "Removed 2 files." in fixed.output
    assert kept.is_file() and storage.exists(young_sha)
    assert not orphan.exists() and not leftover.exists()
    assert runner.invoke(args=["board", "documents", "check"]).exit_code == 0


def test_reuploading_an_old_blob_makes_it_young_again(app):
    storage = get_storage()
    sha, _ = storage.put(io.BytesIO(b"same bytes"))
    _age(storage.path(sha))
    storage.put(io.BytesIO(b"same bytes"))  # a new upload of the same bytes, not yet committed
    result = app.test_cli_runner().invoke(args=["board", "documents", "check", "--fix"])
    assert result.exit_code == 0 and storage.exists(sha)


def test_a_missing_referenced_file_is_reported(app, member, login, start_thread):
    login(member)
    start_thread([("statut.pdf", hostile.pdf())])
    (document,) = documents()
    get_storage().delete(document.sha256)
    result = app.test_cli_runner().invoke(args=["board", "documents", "check"])
    assert result.exit_code == 1 and f"missing file: {document.sha256}" in result.output
