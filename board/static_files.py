"""Static files: fingerprinted names, cached for a year, precompressed, served by WhiteNoise.

A page then costs one request on a repeat view: the stylesheets' names carry a hash of
their bytes (``css/board.3f2a…c1.css``), so browsers keep them without asking again
(``Cache-Control: immutable``) and a changed file gets a new name. At start-up each file
is copied into ``<instance>/static`` under its hashed name (and its own, for old links)
with gzip and brotli copies beside it; WhiteNoise, in front of Flask, answers from there
with the encoding the browser accepts and 304 for conditional requests.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from functools import lru_cache
from pathlib import Path

import brotli
from flask import Flask
from whitenoise import WhiteNoise

STABLE_NAMES = frozenset({"favicon.svg", "favicon.ico", "js/board.js"})
"""Served under their own names only (revalidated hourly, not immutable): pages and tests
name ``/static/favicon.svg`` and ``/static/js/board.js`` exactly, and browsers ask for the
icon by its name."""

COMPRESSIBLE = frozenset({".css", ".js", ".svg", ".ico", ".txt", ".json", ".map", ".html"})
MAX_AGE = 3600
IMMUTABLE_MAX_AGE = 365 * 24 * 3600
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def init_app(app: Flask) -> None:
    """Build the fingerprinted copies and put WhiteNoise in front of the app."""
    source = Path(app.static_folder or "static")
    target = Path(app.instance_path) / "static"
    names = build(source, target)
    immutable = {f"/static/{served}" for name, served in names.items() if served != name}
    app.extensions["board.static_names"] = names
    app.wsgi_app = WhiteNoise(
        app.wsgi_app,
        root=str(target),
        prefix="static/",
        max_age=MAX_AGE,
        immutable_file_test=lambda _path, url: url in immutable,
        add_headers_function=_add_headers,
    )


def static_name(filename: str, app: Flask) -> str:
    """The name a page links to: fingerprinted where there is one."""
    return app.extensions.get("board.static_names", {}).get(filename, filename)


def build(source: Path, target: Path) -> dict[str, str]:
    """Copy every static file to ``target`` under its own and its hashed name, compressed
    too; returns {name: name to link}. Unchanged files are not written again, and every
    write is atomic, so several workers starting together agree."""
    names: dict[str, str] = {}
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        name = path.relative_to(source).as_posix()
        data = path.read_bytes()
        served = name if name in STABLE_NAMES else _hashed(name, data)
        names[name] = served
        compressed = _compressed(data) if path.suffix in COMPRESSIBLE else {}
        for copy in {name, served}:
            _write_if_changed(target / copy, data)
            for extension, packed in compressed.items():
                _write_if_changed(target / f"{copy}.{extension}", packed)
    return names


@lru_cache(maxsize=64)
def _compressed(data: bytes) -> dict[str, bytes]:
    """gzip and brotli copies where they save something (WhiteNoise's own compressor
    writes in place, which a worker starting beside another could read half-written).
    Compressing is most of ``build``'s ~35 ms and every app built in one process (each
    test builds one) ships the same bytes, so each file is compressed once per process."""
    packed = {"gz": gzip.compress(data, 9, mtime=0), "br": brotli.compress(data)}
    return {ext: value for ext, value in packed.items() if len(value) < len(data) * 0.95}


def _hashed(name: str, data: bytes) -> str:
    stem, dot, suffix = name.rpartition(".")
    digest = hashlib.sha256(data).hexdigest()[:12]
    return f"{stem}.{digest}.{suffix}" if dot else f"{name}.{digest}"


def _write_if_changed(destination: Path, data: bytes) -> bool:
    if destination.is_file() and destination.read_bytes() == data:
        return False
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=destination.parent, delete=False) as handle:
        handle.write(data)
    os.replace(handle.name, destination)
    return True


def _add_headers(headers, _path: str, _url: str) -> None:
    """The security headers Flask adds to its own responses."""
    for name, value in HEADERS.items():
        headers[name] = value
