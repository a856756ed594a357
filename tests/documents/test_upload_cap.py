"""Uploads per member per day are capped (lower in a member's first day)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from board.extensions import db
from board.models.base import utcnow
from tests.documents.conftest import documents, error_text


@pytest.fixture
def app_config(app_config: dict) -> dict:
    return {**app_config, "UPLOADS_PER_DAY": 3, "UPLOADS_PER_DAY_NEW_MEMBER": 1}


def _files(n: int, prefix: str) -> list[tuple[str, bytes]]:
    return [(f"{prefix}-{i}.txt", f"Zapisnik {prefix} {i}".encode()) for i in range(n)]


def test_daily_upload_cap_refuses_and_keeps_the_post(member, login, start_thread):
    member.created_at = utcnow() - timedelta(days=10)
    db.session.commit()
    login(member)
    assert start_thread(_files(2, "a"), title="Prva").status_code == 302
    refused = start_thread(_files(2, "b"), title="Druga")
    assert refused.status_code == 400
    assert "at most 3 files a day" in error_text(refused)
    assert "Druga" in refused.get_data(as_text=True)
    assert len(documents()) == 2
    assert start_thread(_files(1, "c"), title="Treća").status_code == 302


def test_a_new_member_uploads_fewer(member, login, start_thread):
    login(member)
    refused = start_thread(_files(2, "n"), title="Nova")
    assert refused.status_code == 400
    assert "at most 1 file a day" in error_text(refused)
