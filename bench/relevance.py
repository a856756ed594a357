"""Search relevance on the BCS dev sets: recall@5 and MRR, overall and per phenomenon.

    .venv/bin/python -m bench.relevance                    # the shared dev set
    .venv/bin/python -m bench.relevance --failures         # also list queries that miss
    .venv/bin/python -m bench.relevance --set other.json
    .venv/bin/python -m bench.relevance --set ../shared/search/dev-set-v2.json \
        --distractors 2000                                 # among 2,000 everyday posts
    .venv/bin/python -m bench.relevance --database-url postgresql://… --backend postgres

``--distractors N`` adds N posts built from the real BCS sentences of
``corpus/bcs/`` (Leipzig-style sentence lists and the text of the UD treebanks, Latin
and Cyrillic): each takes 3 to 7 sentences, its title the first words of the first one,
chosen by a ``random.Random`` seeded with N, so a run is repeatable. The dev-set posts are
shuffled in among them (same seed), so neither comes first by id or date.
``--database-url`` runs on that database (its ``public`` schema is dropped and
migrated afresh: give it a scratch database).

The posts are loaded through the app's own services into a fresh instance (temp
``BOARD_INSTANCE_PATH``, migrated database, founding categories, a confirmed trusted
member, ``forum.service.start_thread``, which commits, so the search outbox indexes them as
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
from datetime import UTC, datetime
from pathlib import Path

from board.relevance import (
    DEV_SET,
    Tally,
    distractor_posts,
    load_posts,
    mixed,
    score,
)


def _app(instance: str, database_url: str | None, backend: str):
    os.environ["BOARD_INSTANCE_PATH"] = instance
    os.environ.setdefault("BOARD_SECRET_KEY", "relevance-bench")
    os.environ["BOARD_RATELIMIT_ENABLED"] = "0"
    from board import create_app

    config = {"TESTING": True, "MAIL_SERVER": "", "SEARCH_BACKEND": backend}
    if database_url:
        config["DATABASE_URL"] = database_url
    return create_app(config)


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
    parser.add_argument("--distractors", type=int, default=0, help="everyday posts around them")
    parser.add_argument("--database-url", help="a scratch database (default: SQLite in a temp dir)")
    parser.add_argument("--backend", choices=("whoosh", "postgres"), default="whoosh")
    args = parser.parse_args()
    data = json.loads(args.set.read_text(encoding="utf-8"))
    posts = mixed(data["posts"], distractor_posts(args.distractors))
    with tempfile.TemporaryDirectory(prefix="relevance-") as instance:
        app = _app(instance, args.database_url, args.backend)
        with app.app_context():
            from flask_migrate import upgrade
            from sqlalchemy import text

            from board.extensions import db

            if args.database_url:
                db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
                db.session.commit()
            upgrade()
            threads = load_posts(posts)
        tallies = score(data["queries"], threads, app.test_client(), args.failures)
    print(f"{args.set.name}, {args.backend}, {args.distractors} distractors")
    report(tallies)


if __name__ == "__main__":
    main()
