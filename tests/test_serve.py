"""The server ``make run`` starts keeps answering while idle clients hold connections open
(a request line and headers, never finished), as a hostile page's hidden iframes would."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import PG_URL
from tests.liveserver import free_port

ROOT = Path(__file__).resolve().parent.parent
IDLE = 24  # three times the server's threads, and twelve times the old two workers


def _wait_until_listening(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text(errors="replace")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the server did not start listening")


@pytest.fixture
def server(tmp_path, migrated_template):
    """``python -m board.serve`` (what ``make run`` runs) on a free port, own instance."""
    instance = tmp_path / "instance"
    instance.mkdir()
    port = free_port()
    env = {
        **os.environ,
        "BOARD_INSTANCE_PATH": str(instance),
        "BOARD_SECRET_KEY": "serve-test",
        "BOARD_RATELIMIT_ENABLED": "0",
    }
    if PG_URL:  # the suite's database, migrated by the template fixture
        env["BOARD_DATABASE_URL"] = PG_URL
    else:
        env.pop("BOARD_DATABASE_URL", None)
        shutil.copy(migrated_template, instance / "board.sqlite3")
    log = (tmp_path / "server.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "board.serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_until_listening(port, process, tmp_path / "server.log")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def _idle_connection(port: int, n: int) -> socket.socket:
    """A client that sent most of a request and then went quiet."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    if n % 2:
        sock.sendall(b"GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1\r\n")
    else:
        sock.sendall(
            b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n\r\nemail=a"
        )
    return sock


@pytest.mark.slow
def test_idle_connections_do_not_stop_the_board(server):
    idle = [_idle_connection(server, n) for n in range(IDLE)]
    try:
        for path in ("/login", "/", "/search?q=zbor", "/login", "/documents"):
            with urllib.request.urlopen(f"http://127.0.0.1:{server}{path}", timeout=10) as r:
                assert r.status == 200, path
    finally:
        for sock in idle:
            sock.close()
