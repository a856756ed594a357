"""Static files: fingerprinted stylesheets cached for good, compressed copies, 304s."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import brotli

from board import ROOT
from board.static_files import build


def _stylesheet_url(client) -> str:
    page = client.get("/").get_data(as_text=True)
    return re.search(r'<link rel="stylesheet" href="(/static/css/board\.[0-9a-f]{12}\.css)"', page)[
        1
    ]


def test_stylesheet_link_carries_a_fingerprint_and_is_kept_for_good(client):
    response = client.get(_stylesheet_url(client))
    assert response.status_code == 200
    assert response.data == (ROOT / "static" / "css" / "board.css").read_bytes()
    assert "immutable" in response.headers["Cache-Control"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_unfingerprinted_names_still_work_but_are_revalidated(client):
    response = client.get("/static/css/board.css")
    assert response.status_code == 200
    assert "immutable" not in response.headers["Cache-Control"]


def test_static_files_come_compressed_as_the_browser_accepts(client):
    url = _stylesheet_url(client)
    original = (ROOT / "static" / "css" / "board.css").read_bytes()
    br = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert br.headers["Content-Encoding"] == "br"
    assert brotli.decompress(br.data) == original
    gz = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert gz.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(gz.data) == original
    plain = client.get(url)
    assert "Content-Encoding" not in plain.headers and plain.data == original
    assert "Accept-Encoding" in br.headers["Vary"]


def test_a_repeat_request_for_a_static_file_gets_304(client):
    url = _stylesheet_url(client)
    etag = client.get(url).headers["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304


def test_a_changed_file_gets_a_new_name(tmp_path: Path):
    source = tmp_path / "source"
    (source / "css").mkdir(parents=True)
    (source / "css" / "site.css").write_text("body { color: black }")
    first = build(source, tmp_path / "out")["css/site.css"]
    (source / "css" / "site.css").write_text("body { color: navy }")
    second = build(source, tmp_path / "out")["css/site.css"]
    assert first != second and first.startswith("css/site.") and first.endswith(".css")
    assert (tmp_path / "out" / second).read_text() == "body { color: navy }"
