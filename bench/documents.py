"""Document figures: extraction throughput on the shared corpus, and how long the upload
of a 20 MB PDF keeps the member waiting.

    .venv/bin/python -m bench.documents
    .venv/bin/python -m bench.documents --uploads 10

Extraction runs exactly as in production: one child process per file, with the default
60 s / 512 MB limits, so the figures include the child's start-up. The upload is a real
HTTP request to the app served by Werkzeug on 127.0.0.1 (fresh SQLite instance, Whoosh,
``EXTRACT_WORKER=thread``): the response time is what the member waits, and the time
until the text is read is reported beside it. Figures go to stdout; copy them into
bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import statistics
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

from bench.search import load_average, machine
from board.documents.pdfgen import make_pdf
from board.documents.runner import run_extraction

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
LINE = "Savjet mjesne zajednice razmatrao je izvještaj o utrošku sredstava i učešću građana."


def extraction(repeat: int) -> None:
    """Pages/s and MB/s per format over every corpus PDF, DOCX and ODT (plus a long PDF)."""
    files = [p for folder in ("pdf", "docx", "odt") for p in sorted((CORPUS / folder).rglob("*"))]
    files = [p for p in files if p.is_file()]
    with tempfile.TemporaryDirectory() as tmp:
        long_pdf = Path(tmp) / "long-report.pdf"
        long_pdf.write_bytes(make_pdf([[f"Strana {n}.", *[LINE] * 40] for n in range(200)]))
        totals: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0, 0.0, 0])
        for path in [*files, long_pdf]:
            kind = path.suffix.lstrip(".")
            group = "pdf (generated, 200 pages)" if path == long_pdf else kind
            for _ in range(repeat):
                started = time.perf_counter()
                outcome = run_extraction(kind, str(path), timeout=60, memory_mb=512)
                elapsed = time.perf_counter() - started
                row = totals[group]
                row[0] += 1
                row[1] += len(outcome.pages)
                row[2] += path.stat().st_size
                row[3] += elapsed
                row[4] += 0 if outcome.ok else 1
    print(f"Extraction ({repeat}x each file, child process per file, load {load_average()}):")
    print(
        f"  {'format':28} {'files':>5} {'failed':>6} {'pages':>6} {'MB':>6} {'s':>7} {'pages/s':>8} {'MB/s':>6} {'s/file':>7}"
    )
    for group, (count, pages, size, seconds, failed) in totals.items():
        mb = size / 1024 / 1024
        print(
            f"  {group:28} {count:5d} {failed:6d} {pages:6d} {mb:6.2f} {seconds:7.2f} "
            f"{pages / seconds:8.1f} {mb / seconds:6.2f} {seconds / count:7.3f}"
        )


class Session:
    """A tiny cookie-keeping HTTP client (only the standard library)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes = b"", headers: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(method, path, body=body or None, headers=headers)
        response = conn.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        conn.close()
        return response.status, dict(response.getheaders()), data

    def token(self, path: str) -> str:
        _status, _headers, page = self.request("GET", path)
        return (
            re.search(rb'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
            .group(1)
            .decode()
        )


def multipart(fields: dict[str, str], filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = "benchboundary7d3f"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{filename}"\r\n'
        "Content-Type: application/pdf\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), boundary


def upload(count: int) -> None:
    """Response time of posting a thread with a 20 MB PDF, and time until its text is read."""
    from sqlalchemy import select
    from werkzeug.serving import make_server

    from board.auth.service import create_user
    from board.extensions import db
    from board.models import Document

    instance = Path(tempfile.mkdtemp(prefix="mreza-bench-docs-"))
    os.environ.update({"BOARD_INSTANCE_PATH": str(instance), "BOARD_RATELIMIT_ENABLED": "0"})
    from flask_migrate import upgrade

    from board import create_app
    from board.cli import seed_categories

    app = create_app({"EXTRACT_WORKER": "thread", "NEW_MEMBER_QUEUE_POSTS": 0})
    with app.app_context():
        upgrade()
        seed_categories()
        create_user("bench@example.ba", "Bench", "bench password 2024", confirmed=True)
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    port = server.server_port
    threading.Thread(target=server.serve_forever, daemon=True).start()
    client = Session(port)
    token = client.token("/login")
    login = urllib.parse.urlencode(
        {"csrf_token": token, "email": "bench@example.ba", "password": "bench password 2024"}
    ).encode()
    client.request("POST", "/login", login, {"Content-Type": "application/x-www-form-urlencoded"})
    pages = [[f"Strana {n}.", *[LINE] * 30] for n in range(40)]
    waits, reads = [], []
    for n in range(count):
        base = len(make_pdf(pages))
        pdf = make_pdf(pages, padding=20 * 1024 * 1024 - base - 100)  # just under 20 MB
        body, boundary = multipart(
            {
                "csrf_token": client.token("/c/regulation/new"),
                "title": f"Izvještaj {n}",
                "body": "Prilog.",
            },
            "izvjestaj.pdf",
            pdf,
        )
        started = time.perf_counter()
        status, _headers, _ = client.request(
            "POST",
            "/c/regulation/new",
            body,
            {"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        waits.append(time.perf_counter() - started)
        assert status == 302, status
        with app.app_context():
            while True:
                db.session.expire_all()
                doc = db.session.scalars(select(Document).order_by(Document.id.desc())).first()
                if doc.extraction_status in ("done", "failed"):
                    break
                time.sleep(0.05)
            reads.append(time.perf_counter() - started)
            assert doc.extraction_status == "done", doc.extraction_error
    server.shutdown()
    size = len(pdf) / 1024 / 1024
    print(f"Upload of a {size:.1f} MB PDF (40 text pages + padding), real HTTP, {count} runs:")
    print(f"  response time: median {statistics.median(waits):.3f} s, max {max(waits):.3f} s")
    print(
        f"  until its text was read (background worker): median {statistics.median(reads):.3f} s, max {max(reads):.3f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=1, help="extractions per corpus file")
    parser.add_argument("--uploads", type=int, default=5)
    args = parser.parse_args()
    print(f"Machine: {machine()}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    extraction(args.repeat)
    upload(args.uploads)


if __name__ == "__main__":
    main()
