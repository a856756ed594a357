"""Many members posting at once through several gunicorn workers: every post ends up
searchable, ``board search check`` finds no drift, and nobody ever sees a 500 (no
``LockError`` from the single Whoosh writer reaches anyone)."""

from __future__ import annotations

import http.cookiejar
import json
import os
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.liveserver import BIN, CSRF, ROOT, NoRedirect, gunicorn, word

POSTERS = 8
REPLIES = 10
PASSWORD = "correct horse battery staple"

SETUP = f"""
from board import create_app
from board.auth.service import create_user
from board.extensions import db
app = create_app()
with app.app_context():
    for n in range({POSTERS}):
        create_user(f"poster{{n}}@example.ba", f"Poster {{n}}", {PASSWORD!r}, confirmed=True)
    db.session.commit()
"""


class Member:
    """A browser-like session: cookies, CSRF tokens read from the real forms."""

    def __init__(self, base: str, statuses: list[int]) -> None:
        self.base = base
        self.statuses = statuses
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            response = self.opener.open(self.base + path, body, timeout=60)
            status, text, location = response.status, response.read().decode(), ""
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode(errors="replace")
            location = error.headers.get("Location", "")
        self.statuses.append(status)
        return status, text, location

    def token(self, path: str) -> str:
        status, page, _ = self.request(path)
        match = CSRF.search(page)
        assert status == 200 and match, f"no form on {path} ({status})"
        return match.group(1)

    def post(self, path: str, form_page: str, **fields: str) -> str:
        status, _, location = self.request(path, {"csrf_token": self.token(form_page), **fields})
        assert status == 302, f"POST {path} gave {status}"
        return urllib.parse.urlparse(location).path


@pytest.fixture
def served_board(tmp_path: Path):
    """A migrated board in a temp instance folder, served by four gunicorn workers."""
    env = {
        **os.environ,
        "BOARD_INSTANCE_PATH": str(tmp_path / "instance"),
        "BOARD_RATELIMIT_ENABLED": "0",
        "BOARD_SECRET_KEY": "concurrency-test",
        "BOARD_NEW_MEMBER_QUEUE_POSTS": "0",
    }
    env.pop("BOARD_DATABASE_URL", None)
    flask = [str(BIN / "flask"), "--app", "wsgi"]
    for command in (["db", "upgrade"], ["board", "seed"]):
        subprocess.run(flask + command, cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([sys.executable, "-c", SETUP], cwd=ROOT, env=env, check=True)
    with gunicorn(env, tmp_path / "gunicorn.log", 4) as (base, _pid):
        yield base, env, tmp_path / "instance" / "board.sqlite3"


def post_as(base: str, n: int, statuses: list[int]) -> dict[str, str]:
    """Log in through the form, start a thread, reply to it; returns word -> url path."""
    member = Member(base, statuses)
    member.post("/login", "/login", email=f"poster{n}@example.ba", password=PASSWORD)
    written = {}
    first = word(n * 100)
    thread_path = member.post(
        "/c/regulation/new", "/c/regulation/new", title=f"Tema {n}", body=f"Pitanje {first}."
    )
    written[first] = thread_path
    for r in range(1, REPLIES + 1):
        token = word(n * 100 + r)
        written[token] = member.post(
            f"{thread_path}/reply", thread_path, body=f"Odgovor {token} na temu."
        )
    return written


def outbox_rows(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        return connection.execute("SELECT count(*) FROM search_outbox").fetchone()[0]


@pytest.mark.slow
def test_concurrent_posters_through_gunicorn_are_all_searchable(served_board):
    base, env, database = served_board
    statuses: list[int] = []
    with ThreadPoolExecutor(POSTERS) as pool:
        written = {}
        for result in pool.map(lambda n: post_as(base, n, statuses), range(POSTERS)):
            written.update(result)
    assert len(written) == POSTERS * (REPLIES + 1)
    for _ in range(600):  # the workers' drainers finish what a busy index left queued
        if outbox_rows(database) == 0:
            break
        time.sleep(0.1)
    reader = Member(base, statuses)
    missing = []
    for token, path in written.items():
        status, body, _ = reader.request("/api/v1/search?" + urllib.parse.urlencode({"q": token}))
        results = json.loads(body)["results"] if status == 200 else []
        # replies redirect to their permalink, new threads to the thread
        places = {r["url"] for r in results} | {f"/t/{r['thread_id']}" for r in results}
        if path not in places:
            missing.append(token)
    check = subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", "board", "search", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert [s for s in statuses if s >= 500] == []
    assert missing == []
    assert check.returncode == 0, check.stdout + check.stderr
