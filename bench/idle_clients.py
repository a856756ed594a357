"""How the server answers while idle clients hold connections: waitress (``make run``)
against gunicorn's sync workers (the old ``make run``).

    .venv/bin/python bench/idle_clients.py [IDLE]

Starts each server on a free port with a throwaway instance, opens IDLE connections that
send a request line and headers and then wait, and times five ordinary requests.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVERS = {
    "waitress (python -m board.serve)": ["-m", "board.serve", "--port", "{port}"],
    "gunicorn, 2 sync workers": [
        "-m", "gunicorn", "--workers", "2", "--bind", "127.0.0.1:{port}", "wsgi:app",
    ],
}  # fmt: skip


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(port: int) -> None:
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("server did not start")


def measure(name: str, args: list[str], idle: int, env: dict) -> None:
    """Print the five requests' times (or the timeout) with ``idle`` idle clients."""
    port = _port()
    command = [sys.executable, *(a.format(port=port) for a in args)]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
    try:
        _wait(port)
        sockets = []
        for _ in range(idle):
            sock = socket.create_connection(("127.0.0.1", port))
            sock.sendall(b"GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1\r\n")
            sockets.append(sock)
        times = []
        for _ in range(5):
            start = time.perf_counter()
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=40).read()
                times.append(f"{(time.perf_counter() - start) * 1000:.0f} ms")
            except OSError as error:
                times.append(f"failed after {time.perf_counter() - start:.0f} s ({error})")
        print(f"{name}, {idle} idle: {', '.join(times)}")
        for sock in sockets:
            sock.close()
    finally:
        server.terminate()
        server.wait()


def main() -> None:
    idle = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    with tempfile.TemporaryDirectory() as instance:
        env = {**os.environ, "BOARD_INSTANCE_PATH": instance, "BOARD_RATELIMIT_ENABLED": "0"}
        subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
            cwd=ROOT, env=env, check=True, capture_output=True,
        )  # fmt: skip
        for name, args in SERVERS.items():
            measure(name, args, idle, env)


if __name__ == "__main__":
    main()
