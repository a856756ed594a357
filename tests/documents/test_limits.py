"""Size limits with a small configured maximum: a clear message, or the 413 page."""

from __future__ import annotations

import pytest

from tests.documents.conftest import documents, error_text

LIMIT = 40_000


@pytest.fixture
def app_config(app_config):
    return {**app_config, "UPLOAD_MAX_BYTES": LIMIT, "UPLOAD_MAX_FILES": 2}


def test_file_over_the_limit_is_refused_and_the_post_kept(member, login, start_thread):
    login(member)
    big = ("Zapisnik sa sjednice. " * 3000).encode()
    response = start_thread([("zapisnik.txt", big)])
    assert response.status_code == 400
    assert "“zapisnik.txt” is 65 KB; a file can be at most 40 KB." in error_text(response)
    assert 'value="Statut MZ"' in response.get_data(as_text=True)
    assert documents() == []


def test_configured_file_count_applies(member, login, start_thread):
    login(member)
    response = start_thread([(f"{n}.txt", b"tekst") for n in range(3)])
    assert "at most 2 files" in error_text(response)


def test_request_over_the_total_limit_gets_the_413_page(member, login, client):
    login(member)
    # A raw body (not the test client's file encoder, whose temp file would leak on 413).
    boundary = "mrezaboundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nT\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="a.txt"\r\n'
            "Content-Type: text/plain\r\n\r\n"
        ).encode()
        + b"x" * (LIMIT * 2 + 1024 * 1024 + 10)
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = client.post(
        "/c/regulation/new",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        csrf=False,
    )
    assert response.status_code == 413
    assert "larger than the board accepts" in error_text(response)
