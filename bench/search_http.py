"""The HTTP half of ``bench/search.py``: gunicorn (2 workers on 127.0.0.1) serving the
search page to 4 concurrent clients, the time from a new post's commit to its being
searchable, and the RSS of each worker with the index open."""

from __future__ import annotations

import http.client
import http.cookiejar
import itertools
import json
import re
import secrets
import socket
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 4
WORKERS = 2
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _percentiles(values: list[float]) -> str:
    ordered = sorted(v * 1000 for v in values)
    if not ordered:
        return "no samples"

    def at(p: float) -> float:
        return ordered[max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))]

    return f"p50 {at(50):.0f} ms, p95 {at(95):.0f} ms, max {ordered[-1]:.0f} ms (n={len(ordered)})"


def start_gunicorn(env: dict[str, str], port: int) -> subprocess.Popen:
    """Serve the app as ``make run`` does and wait until it answers."""
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "-w", str(WORKERS), "-b", f"127.0.0.1:{port}",
         "--timeout", "120", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5):
                return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def load_test(port: int, queries: tuple[str, ...], duration: float) -> None:
    """``CLIENTS`` threads requesting /search over the query mix for ``duration`` seconds."""
    paths = itertools.cycle(f"/search?q={urllib.parse.quote(q)}" for q in queries)
    lock = threading.Lock()
    timings: list[float] = []
    statuses: dict[int, int] = {}
    deadline = time.monotonic() + duration

    def client() -> None:
        while time.monotonic() < deadline:
            with lock:
                path = next(paths)
            started = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            conn.close()
            with lock:
                timings.append(time.perf_counter() - started)
                statuses[response.status] = statuses.get(response.status, 0) + 1

    workers = [threading.Thread(target=client) for _ in range(CLIENTS)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    print(
        f"search page, {CLIENTS} clients, {WORKERS} gunicorn workers: "
        f"{len(timings) / elapsed:.1f} requests/s over {elapsed:.0f} s; "
        f"latency {_percentiles(timings)}; statuses {statuses}"
    )


def _session(port: int, email: str, password: str) -> tuple[urllib.request.OpenerDirector, str]:
    """Log in through the real form; returns the opener and a CSRF token."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    base = f"http://127.0.0.1:{port}"
    page = opener.open(f"{base}/login").read().decode()
    token = _CSRF.search(page).group(1)
    data = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": token})
    opener.open(f"{base}/login", data.encode()).read()
    page = opener.open(f"{base}/").read().decode()
    return opener, _CSRF.search(page).group(1)


def time_to_searchable(port: int, env: dict[str, str], thread_ids: list[int], count: int) -> None:
    """Reply with a unique word, then poll the search API until it finds the reply.

    The commit happens inside the POST, so "POST sent -> searchable" bounds
    "commit -> searchable" from above; "response -> searchable" shows what is left after
    the request (a background drain) if anything.
    """
    password = "bench password 1234"  # noqa: S105 (a throwaway instance)
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi", "board", "users", "create",
         "bench-admin@example.ba", "--name", "Bench", "--password", password, "--role", "admin"],
        cwd=ROOT, env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    opener, token = _session(port, "bench-admin@example.ba", password)
    base = f"http://127.0.0.1:{port}"
    from_post: list[float] = []
    from_response: list[float] = []
    missing = 0
    for n in range(count):
        word = "zqx" + secrets.token_hex(4).translate(str.maketrans("0123456789", "ghijklmnop"))
        thread_id = thread_ids[(n * 7919) % len(thread_ids)]
        body = urllib.parse.urlencode(
            {"body": f"Nova poruka {word} za mjerenje.", "csrf_token": token}
        )
        sent = time.perf_counter()
        opener.open(f"{base}/t/{thread_id}/reply", body.encode()).read()
        answered = time.perf_counter()
        found = _poll(base, word, deadline=answered + 10)
        if found is None:
            missing += 1
            continue
        from_post.append(found - sent)
        from_response.append(found - answered)
    print(f"new post searchable, POST sent -> found: {_percentiles(from_post)}")
    print(
        f"new post searchable, POST answered -> found: {_percentiles(from_response)}"
        f"{f'; NOT FOUND within 10 s: {missing}' if missing else ''}"
    )


def _poll(base: str, word: str, deadline: float) -> float | None:
    while time.perf_counter() < deadline:
        with urllib.request.urlopen(f"{base}/api/v1/search?q={word}") as response:
            if json.loads(response.read()).get("total", 0) > 0:
                return time.perf_counter()
        time.sleep(0.005)
    return None


def worker_rss(server: subprocess.Popen) -> None:
    """RSS of each gunicorn worker (children of the master), from /proc."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    sizes = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    print(
        "RSS per gunicorn worker with the index open: "
        + ", ".join(f"{size:.0f} MB" for size in sizes)
    )


def run(
    env: dict[str, str], queries, thread_ids: list[int], duration: float, new_posts: int
) -> None:
    """Start gunicorn, measure, stop it (even when a measurement fails)."""
    port = _free_port()
    server = start_gunicorn(env, port)
    try:
        load_test(port, tuple(queries), duration)
        worker_rss(server)
        time_to_searchable(port, env, thread_ids, new_posts)
        worker_rss(server)
    finally:
        server.terminate()
        server.wait(timeout=30)
