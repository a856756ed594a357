"""Search performance on the reference corpus: reindex, query latency, throughput,
time to searchable, worker memory.

    .venv/bin/python -m bench.search                  # 100,000 posts, Whoosh on SQLite
    .venv/bin/python -m bench.search --posts 10000    # a quick run
    .venv/bin/python -m bench.search --backend postgres \\
        --database-url postgresql://postgres@127.0.0.1:5432/bench   # scale-out (DB is wiped)

Everything runs against a fresh instance folder (``--instance``, default a temp dir): the
corpus is bulk-loaded into the database, indexed through the backend and again through
``flask board search reindex``, queried in-process, then served by gunicorn (2 workers on
127.0.0.1) for the HTTP figures. Figures go to stdout; copy them into bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import search_corpus, search_http

ROOT = Path(__file__).resolve().parent.parent

# A fixed mix: frequent, middling and rare words; Cyrillic, ekavian and diacritic-free
# spellings; phrases, prefixes, exclusions, OR, typos and stop-word-heavy questions.
QUERIES = (
    "godine",
    "ministar",
    "vlada",
    "lokalne izbore",
    "građani",
    "programa",
    "poplave",
    "softver",
    "raščišćavanju",
    "gradjani",
    "rascjscavanju",
    "medjutim",
    "министар",
    "локалне изборе",
    "поплаве",
    "vreme",
    "svet",
    "primer",
    "šteta od poplave",
    "proces privatizacije",
    "kulture i obrazovanja",
    '"proces privatizacije"',
    '"lokalne izbore"',
    "privatiz*",
    "hrvat*",
    "privatizacija -kosovo",
    "izbori -beograd",
    "poplave OR suša",
    "ministar OR premijer",
    "minstar",
    "izvještaj o radu savjeta",
    "broj stanovnika grada",
)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile: no interpolation, so p99 is a latency someone really saw."""
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def summary(values: list[float]) -> str:
    """p50/p95/p99/max in milliseconds."""
    ms = [v * 1000 for v in values]
    return (
        f"p50 {percentile(ms, 50):.1f} ms, p95 {percentile(ms, 95):.1f} ms, "
        f"p99 {percentile(ms, 99):.1f} ms, max {max(ms):.1f} ms (n={len(ms)})"
    )


def environment(args: argparse.Namespace, instance: Path) -> dict[str, str]:
    """The BOARD_* settings every process of this run shares."""
    env = dict(os.environ)
    env.update(
        BOARD_INSTANCE_PATH=str(instance),
        BOARD_SEARCH_BACKEND=args.backend,
        BOARD_SECRET_KEY="bench-secret",  # noqa: S106 (a throwaway instance)
        BOARD_RATELIMIT_ENABLED="0",
        PYTHONPATH=str(ROOT),
    )
    env.pop("BOARD_DATABASE_URL", None)
    if args.database_url:
        env["BOARD_DATABASE_URL"] = args.database_url
    return env


def load_average() -> str:
    """The 1-minute load average: other work on the machine inflates every figure."""
    return Path("/proc/loadavg").read_text().split()[0]


def child_cpu() -> float:
    """CPU seconds used so far by finished child processes."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def flask(env: dict[str, str], *command: str) -> float:
    """Run ``flask --app wsgi …`` from the repo; returns the wall-clock seconds."""
    started = time.perf_counter()
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi", *command],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def make_app(env: dict[str, str]):
    """An app in this process configured exactly like the CLI and gunicorn ones."""
    os.environ.update({k: v for k, v in env.items() if k.startswith("BOARD_")})
    from board import create_app

    return create_app()


def prepare_database(args: argparse.Namespace, env: dict[str, str]) -> None:
    """A fresh schema: wipe PostgreSQL's public schema, or start from an empty SQLite file."""
    if args.database_url:
        from sqlalchemy import create_engine, text

        from board.config import _normalise_url

        engine = create_engine(_normalise_url(args.database_url))
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
    flask(env, "db", "upgrade")
    flask(env, "board", "seed")


def load(app, args: argparse.Namespace) -> list[search_corpus.BenchPost]:
    """Generate the corpus and bulk-load it; prints how long each took."""
    from board.auth.service import create_user
    from board.extensions import db

    started = time.perf_counter()
    items = list(search_corpus.generate(args.posts, args.threads, args.seed))
    words = sum(len(p.body.split()) for p in items)
    print(
        f"corpus: {len(items)} posts, {args.threads} threads, {words} words, "
        f"generated in {time.perf_counter() - started:.1f} s"
    )
    started = time.perf_counter()
    with app.app_context():
        probe = create_user(
            "bench-probe@example.ba", "Probe", "bench password 1234", confirmed=True
        )
        password_hash = probe.password_hash
        db.session.rollback()
        search_corpus.load_database(items, password_hash)
    print(f"database load: {time.perf_counter() - started:.1f} s")
    return items


def index_direct(app, items: list[search_corpus.BenchPost]) -> None:
    """Index through the backend alone: the engine's own throughput."""
    from sqlalchemy import select

    from board.extensions import db
    from board.models import Category
    from board.search import get_backend

    with app.app_context():
        categories = dict(db.session.execute(select(Category.slug, Category.id)).all())
        backend = get_backend(app)
        started, cpu = time.perf_counter(), time.process_time()
        backend.clear()
        for start in range(0, len(items), 2000):
            chunk = items[start : start + 2000]
            backend.index(search_corpus.search_doc(p, categories[p.category_slug]) for p in chunk)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"index through the backend: {elapsed:.1f} s, {len(items) / elapsed:.0f} items/s "
        f"(CPU {cpu:.1f} s; load {load_average()})"
    )


def reindex_cli(env: dict[str, str], count: int) -> None:
    """The operator's path: ``flask board search reindex`` reading the database."""
    cpu = child_cpu()
    try:
        elapsed = flask(env, "board", "search", "reindex")
    except subprocess.CalledProcessError as error:
        print(f"board search reindex: FAILED ({error})")
        return
    print(
        f"full reindex (flask board search reindex): {elapsed:.1f} s "
        f"({elapsed / 60:.1f} min), {count / elapsed:.0f} items/s "
        f"(CPU {child_cpu() - cpu:.1f} s; load {load_average()})"
    )


def query_latency(app, repeat: int) -> None:
    """Every query of the mix, first page with highlights, ``repeat`` times after a warm-up.

    Scoped to the categories a guest may read, as the search page scopes every query.
    """
    from functools import partial

    from board.permissions import visible_category_ids
    from board.search import get_backend
    from board.search.backend import SearchQuery

    with app.app_context():
        backend = get_backend(app)
        SearchQuery = partial(
            SearchQuery, allowed_category_ids=frozenset(visible_category_ids(None))
        )
        for q in QUERIES:
            backend.search(SearchQuery(text=q))
        timings: list[float] = []
        slowest: dict[str, float] = {}
        totals: dict[str, int] = {}
        for _ in range(repeat):
            for q in QUERIES:
                started = time.perf_counter()
                page = backend.search(SearchQuery(text=q))
                elapsed = time.perf_counter() - started
                timings.append(elapsed)
                slowest[q] = max(slowest.get(q, 0.0), elapsed)
                totals[q] = page.total
    print(
        f"query latency (backend, first page + snippets): {summary(timings)}; load {load_average()}"
    )
    worst = sorted(slowest.items(), key=lambda kv: -kv[1])[:5]
    print(
        "  slowest: " + "; ".join(f"{q!r} {t * 1000:.0f} ms ({totals[q]} hits)" for q, t in worst)
    )


def machine() -> str:
    """CPU model, cores and memory, for the results file."""
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return (
        f"{cpu}, {os.cpu_count()} cores, {mem_kb / 1024 / 1024:.0f} GB RAM, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--threads", type=int, default=None, help="default: posts / 10")
    parser.add_argument("--seed", type=int, default=20261127)
    parser.add_argument("--backend", choices=("whoosh", "postgres"), default="whoosh")
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (it is wiped)")
    parser.add_argument("--instance", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=5, help="passes over the query mix")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of HTTP load")
    parser.add_argument("--new-posts", type=int, default=40)
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--skip-reindex", action="store_true")
    parser.add_argument(
        "--direct", action="store_true", help="also time indexing through the backend alone"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="measure queries and HTTP on --instance as it is"
    )
    args = parser.parse_args()
    args.threads = args.threads or max(1, args.posts // 10)
    if args.backend == "postgres" and not args.database_url:
        parser.error("--backend postgres needs --database-url")
    instance = args.instance or Path(tempfile.mkdtemp(prefix="bench-search-"))
    print(f"# Search benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(f"machine: {machine()}")
    print(
        f"backend: {args.backend}, database: {'PostgreSQL' if args.database_url else 'SQLite'}, "
        f"instance: {instance}"
    )
    env = environment(args, instance)
    if args.reuse:
        app = make_app(env)
    else:
        prepare_database(args, env)
        app = make_app(env)
        items = load(app, args)
        if args.direct or args.skip_reindex:
            index_direct(app, items)
        if not args.skip_reindex:
            reindex_cli(env, len(items))
    query_latency(app, args.repeat)
    if not args.skip_http:
        search_http.run(
            env, QUERIES, list(range(1, args.threads + 1)), args.duration, args.new_posts
        )


if __name__ == "__main__":
    main()
