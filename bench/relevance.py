"""Search relevance on the BCS dev set: recall@5 and MRR, overall and per phenomenon.

    .venv/bin/python -m bench.relevance              # the shared dev set
    .venv/bin/python -m bench.relevance --failures   # also list queries that miss
    .venv/bin/python -m bench.relevance --set other.json

The posts are loaded through the app's own services into a fresh instance (temp
``BOARD_INSTANCE_PATH``, migrated database, founding categories, a confirmed trusted
member, ``forum.service.start_thread`` (which commits), so the search outbox indexes them as
it would on the site), and every query goes through ``/api/v1/search``, the same code path
as ``/search``. Scoring follows ``shared/search/README.md``: results are counted at
thread level; a query passes when all its relevant threads are in the first five.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

DEV_SET = Path(__file__).resolve().parent.parent.parent / "shared" / "search" / "dev-set.json"
TOP = 5


@dataclass
class Tally:
    """Passes, recalled relevant posts and reciprocal ranks for one group of queries."""

    passed: list[bool] = field(default_factory=list)
    recalled: list[float] = field(default_factory=list)
    rr: list[float] = field(default_factory=list)

    def add(self, passed: bool, recalled: float, rr: float) -> None:
        self.passed.append(passed)
        self.recalled.append(recalled)
        self.rr.append(rr)

    def row(self, name: str) -> str:
        n = len(self.passed)
        return (
            f"| {name} | {n} | {sum(self.passed) / n:.3f} | "
            f"{sum(self.recalled) / n:.3f} | {sum(self.rr) / n:.3f} |"
        )


def _app(instance: str):
    os.environ["BOARD_INSTANCE_PATH"] = instance
    os.environ.setdefault("BOARD_SECRET_KEY", "relevance-bench")
    os.environ["BOARD_RATELIMIT_ENABLED"] = "0"
    from board import create_app

    return create_app({"TESTING": True, "MAIL_SERVER": ""})


def load_posts(posts: list[dict]) -> dict[int, str]:
    """Create every post as a new thread through the forum service; thread id -> key."""
    from flask import current_app

    from board.auth.service import create_user
    from board.cli import seed_categories
    from board.extensions import db
    from board.forum import service as forum
    from board.models import Category
    from board.search.indexing import drain

    seed_categories()
    user = create_user("relevance@example.ba", "Relevance", "a long bench password", confirmed=True)
    user.approved_posts = 10
    db.session.commit()
    categories = {c.slug: c for c in db.session.scalars(db.select(Category))}
    threads: dict[int, str] = {}
    for post in posts:
        first = forum.start_thread(user, categories[post["category"]], post["title"], post["body"])
        threads[first.thread_id] = post["key"]
    result = drain(current_app._get_current_object(), wait=30)  # whatever after-commit left
    if not result.complete:
        raise SystemExit(f"the search outbox did not drain: {result.errors}")
    return threads


def ranked_threads(client, q: str) -> list[int]:
    """Distinct thread ids in result order, as the API returns them."""
    response = client.get("/api/v1/search", query_string={"q": q})
    if response.status_code != 200:
        raise SystemExit(f"/api/v1/search?q={q!r} answered {response.status_code}")
    out: list[int] = []
    for result in response.get_json()["results"]:
        if result["thread_id"] not in out:
            out.append(result["thread_id"])
    return out


def score(queries: list[dict], threads: dict[int, str], client, show: bool) -> dict[str, Tally]:
    """Run every query; tallies overall, per phenomenon and per combined part."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    for query in queries:
        keys = [threads.get(t, "?") for t in ranked_threads(client, query["q"])][:TOP]
        relevant = query["relevant"]
        ranks = [keys.index(k) + 1 for k in relevant if k in keys]
        passed = len(ranks) == len(relevant)
        args = (passed, len(ranks) / len(relevant), 1 / min(ranks) if ranks else 0.0)
        phenomenon = query["phenomenon"]
        tallies["overall"].add(*args)
        tallies[phenomenon].add(*args)
        if phenomenon.startswith("combined:"):
            for part in phenomenon.removeprefix("combined:").split("+"):
                tallies[f"part: {part}"].add(*args)
        if show and not passed:
            print(f"MISS [{phenomenon}] {query['q']!r}: want {relevant}, got {keys}")
    return tallies


def passes_targets(tallies: dict[str, Tally]) -> list[str]:
    """The targets the set misses (empty when all are met): recall@5 >= 0.95, MRR >= 0.85,
    every phenomenon (and every combined part) >= 0.9."""
    misses = []
    overall = tallies["overall"]
    if sum(overall.passed) / len(overall.passed) < 0.95:
        misses.append("overall recall@5 < 0.95")
    if sum(overall.rr) / len(overall.rr) < 0.85:
        misses.append("overall MRR < 0.85")
    for name, tally in tallies.items():
        if not name.startswith("combined:") and sum(tally.passed) / len(tally.passed) < 0.9:
            misses.append(f"{name} recall@5 < 0.9")
    return misses


def report(tallies: dict[str, Tally]) -> None:
    """Markdown table: pass rate (recall@5 of whole queries), post recall@5, MRR."""
    print(
        f"Machine: {platform.node()} ({platform.machine()}, {os.cpu_count()} CPUs), "
        f"Python {platform.python_version()}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )
    print("| group | queries | recall@5 | post recall@5 | MRR |")
    print("|---|---|---|---|---|")
    names = sorted(tallies, key=lambda n: (n != "overall", n.startswith("part: "), n))
    for name in names:
        print(tallies[name].row(name))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", type=Path, default=DEV_SET, help="relevance set (JSON)")
    parser.add_argument("--failures", action="store_true", help="list queries that miss")
    args = parser.parse_args()
    data = json.loads(args.set.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="relevance-") as instance:
        app = _app(instance)
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()
            threads = load_posts(data["posts"])
        tallies = score(data["queries"], threads, app.test_client(), args.failures)
    report(tallies)


if __name__ == "__main__":
    main()
