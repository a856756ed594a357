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
from datetime import UTC, datetime
from pathlib import Path

from board.search.relevance import Tally, load_posts, score

DEV_SET = Path(__file__).resolve().parent.parent.parent / "shared" / "search" / "dev-set.json"


def _app(instance: str):
    os.environ["BOARD_INSTANCE_PATH"] = instance
    os.environ.setdefault("BOARD_SECRET_KEY", "relevance-bench")
    os.environ["BOARD_RATELIMIT_ENABLED"] = "0"
    from board import create_app

    return create_app({"TESTING": True, "MAIL_SERVER": ""})


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
