"""Driving a board served for real on a loopback port: a free port, gunicorn started and
awaited, a redirect-less opener and the CSRF token read from a page, as a browser would."""

from __future__ import annotations

import re
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
_CONSONANTS = "bcdfghjklmnpqrstvwxz"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hands a 302 back to the caller, who checks where it points."""

    def redirect_request(self, *args, **kwargs):
        return None


def word(n: int) -> str:
    """A made-up word per number (consonants only, so no stemmer trims it)."""
    letters = ""
    for _ in range(4):
        n, r = divmod(n, len(_CONSONANTS))
        letters += _CONSONANTS[r]
    return "zq" + letters


@contextmanager
def gunicorn(
    env: dict[str, str], log: Path, workers: int, *options: str
) -> Iterator[tuple[str, int]]:
    """Gunicorn serving ``wsgi:app`` on a free loopback port, answering before this yields
    its base URL and master pid; terminated on the way out."""
    port = free_port()
    with log.open("w") as out:
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{port}",
                *options,
                "wsgi:app",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        try:
            yield base, server.pid
        finally:
            server.terminate()
            server.wait(timeout=30)
