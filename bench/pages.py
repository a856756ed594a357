"""Requests per second of the thread page (20 posts) against a minimal page of the same app.

    .venv/bin/python bench/pages.py [--seconds 5] [--no-gunicorn] [--database-url URL]

``--database-url`` (or ``BOARD_BENCH_DATABASE_URL``) runs the same pages on a scratch
PostgreSQL database (its ``public`` schema is dropped first), e.g. one from
``url=$(BOARD_PG_DIR=/tmp/pg-bench .ci/pg start)``.

The ratio says what the board's page costs over Flask's floor on this machine, so it
travels between machines better than either figure alone. Two methods, in one run:

1. in-process: Flask's test client, one thread, no network, no server;
2. gunicorn: 2 sync workers on 127.0.0.1 (as ``make run`` serves), 4 concurrent loopback
   clients, one connection per request.

The thread has 20 posts by 20 authors, each post edited once (a revision) and carrying a
document row (with ~100 KB of extracted text), with an accepted answer: what a busy
thread looks like. It is read twice: by a guest, and by a signed-in member who wrote
one of its posts (reply form with its CSRF token, edit and quote links, watch state).
The category page lists 25 threads (the busy one and 24 others with a few replies).
The minimal page (``/bench/minimal``) is registered only on the bench's app instance.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CLIENTS = 4
WORKERS = 2
MEMBER = ("autor3@example.ba", "bench password 123")
DATABASE_ENV = "BOARD_BENCH_DATABASE_URL"


def bench_app(instance: str | None = None):
    """The board plus one trivial route; gunicorn calls this as ``bench.pages:bench_app()``."""
    from board import create_app

    config = {
        "INSTANCE_PATH": instance or os.environ["BOARD_INSTANCE_PATH"],
        "RATELIMIT_ENABLED": False,
        "SECRET_KEY": "bench-secret",
    }
    if os.environ.get(DATABASE_ENV):
        config["DATABASE_URL"] = os.environ[DATABASE_ENV]
    app = create_app(config)
    app.add_url_rule("/bench/minimal", "bench_minimal", lambda: "ok")
    return app


def build_world(instance: str) -> int:
    """Migrate a fresh SQLite database and create the busy thread; returns its id."""
    from flask_migrate import upgrade

    from board.auth.service import create_user
    from board.cli import seed_categories
    from board.extensions import db
    from board.forum import service as forum
    from board.models import Category, Document

    app = bench_app(instance)
    with app.app_context():
        if os.environ.get(DATABASE_ENV):
            from sqlalchemy import text

            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        upgrade()
        seed_categories()
        category = db.session.query(Category).filter_by(slug="regulation").one()
        authors = [
            create_user(f"autor{n}@example.ba", f"Autor {n}", "bench password 123", confirmed=True)
            for n in range(20)
        ]
        for author in authors:
            author.approved_posts = 10
        first = forum.start_thread(authors[0], category, "Statut MZ", "Ko donosi **statut**?")
        posts = [first] + [
            forum.reply(a, first.thread, f"Odgovor {n}: vidi član {n}.")
            for n, a in enumerate(authors[1:])
        ]
        for n, post in enumerate(posts):
            forum.edit_post(post.author, post, post.body_md + " (dopuna)", "dopuna")
            db.session.add(
                Document(
                    post=post,
                    uploader=post.author,
                    sha256=f"{n:064d}",
                    size=1000,
                    filename=f"odluka-{n}.pdf",
                    mime="application/pdf",
                    kind="pdf",
                    extraction_status="done",
                    text="Član 1. Mjesna zajednica je oblik mjesne samouprave. " * 2000,
                )
            )
        forum.accept_answer(first.thread.author, posts[5])
        for n in range(24):
            other = forum.start_thread(authors[n % 20], category, f"Tema {n}", f"Pitanje {n}.")
            for m in range(3):
                forum.reply(authors[(n + m + 1) % 20], other.thread, f"Odgovor {m}.")
        return first.thread_id


def member_cookie(instance: str) -> str:
    """A ``Cookie`` header of a member signed in through the real login form."""
    import re

    client = bench_app(instance).test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    email, password = MEMBER
    response = client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token}
    )
    assert response.status_code == 302, response.status_code
    return f"session={client.get_cookie('session').value}"


def _split(path: str) -> tuple[str, dict[str, str]]:
    """A page is a path, optionally followed by `` Cookie: ...``: the header it is sent with."""
    path, _, cookie = path.partition(" Cookie: ")
    return path, ({"Cookie": cookie} if cookie else {})


def in_process(instance: str, paths: dict[str, str], seconds: float) -> dict[str, float]:
    """Requests per second through the test client, one thread; also CPU time per request
    (``CPU_MS``), which other work on a shared machine disturbs far less than the rate."""
    app = bench_app(instance)
    client = app.test_client(use_cookies=False)
    rates = {}
    for name, page in paths.items():
        path, headers = _split(page)
        assert client.get(path, headers=headers).status_code == 200, path
        count, start, cpu = 0, time.perf_counter(), time.process_time()
        while time.perf_counter() - start < seconds:
            client.get(path, headers=headers)
            count += 1
        CPU_MS[name] = (time.process_time() - cpu) / count * 1000
        rates[name] = count / (time.perf_counter() - start)
    return rates


CPU_MS: dict[str, float] = {}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(port: int, page: str) -> int:
    path, headers = _split(page)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def _load(port: int, path: str, seconds: float) -> float:
    """CLIENTS threads requesting ``path`` back to back; total requests per second."""
    counts = [0] * CLIENTS
    deadline = time.perf_counter() + seconds

    def worker(i: int) -> None:
        while time.perf_counter() < deadline:
            assert _get(port, path) == 200
            counts[i] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(CLIENTS)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / (time.perf_counter() - start)


def with_gunicorn(instance: str, paths: dict[str, str], seconds: float) -> dict[str, float]:
    """Requests per second through gunicorn, as ``make run`` serves the board."""
    port = _free_port()
    env = {**os.environ, "BOARD_INSTANCE_PATH": instance, "BOARD_RATELIMIT_ENABLED": "0"}
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "-w", str(WORKERS), "-b", f"127.0.0.1:{port}",
         "--timeout", "120", "bench.pages:bench_app()"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(300):
            try:
                _get(port, "/bench/minimal")
                break
            except OSError:
                time.sleep(0.1)
        for path in paths.values():  # warm both workers
            for _ in range(10):
                _get(port, path)
        return {name: _load(port, path, seconds) for name, path in paths.items()}
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="per page and method")
    parser.add_argument("--no-gunicorn", action="store_true", help="in-process only")
    parser.add_argument("--database-url", help=f"scratch PostgreSQL (or ${DATABASE_ENV})")
    args = parser.parse_args()
    if args.database_url:
        os.environ[DATABASE_ENV] = args.database_url
    database = "PostgreSQL" if os.environ.get(DATABASE_ENV) else "SQLite"
    with tempfile.TemporaryDirectory(prefix="mreza-bench-") as instance:
        thread_id = build_world(instance)
        paths = {
            "thread page, guest": f"/t/{thread_id}",
            "thread page, member": f"/t/{thread_id} Cookie: {member_cookie(instance)}",
            "category page (25)": "/c/regulation",
            "minimal page": "/bench/minimal",
        }
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        print(
            f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {database}, "
            f"{args.seconds:g} s per figure, load average {load}"
        )
        methods = [("in-process test client, 1 thread", in_process)]
        if not args.no_gunicorn:
            methods.append(
                (f"gunicorn {WORKERS} workers, {CLIENTS} loopback clients", with_gunicorn)
            )
        for label, run in methods:
            rates = run(instance, paths, args.seconds)
            minimal = rates["minimal page"]
            print(f"\n{label}:")
            for name, rate in rates.items():
                ratio = f"  ratio to minimal {rate / minimal:6.3f}" if rate is not minimal else ""
                cpu = f"  {CPU_MS[name]:6.2f} ms CPU" if run is in_process else ""
                print(f"  {name:22} {rate:8.1f} requests/s{cpu}{ratio}")
        print(f"\nload average after: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
