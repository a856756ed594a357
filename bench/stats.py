"""Time the participation figures at 100,000 posts and 5,000 members.

    .venv/bin/python bench/stats.py [--posts 100000] [--members 5000] [--runs 7]

Builds a fresh SQLite database (real migrations, the real map) in a temporary folder,
fills it with core bulk inserts over 24 months, then times ``stats.service.figures`` for
the whole board and for one association's categories, and the whole ``/admin/stats``
page through the test client. Prints the median and the worst run of each.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build(app, posts: int, members: int) -> None:
    """Members with places, roles and genders; threads, posts, accepted answers, documents."""
    from flask_migrate import upgrade
    from sqlalchemy import insert, select

    from board.cli import seed_categories
    from board.extensions import db
    from board.models import Category, Document, Municipality, Post, Thread, User
    from board.places.service import load_map

    upgrade()
    seed_categories()
    load_map()
    rng = random.Random(9)
    now = datetime.now(UTC)
    places = list(db.session.scalars(select(Municipality.id)))
    categories = list(db.session.scalars(select(Category.id)))
    functions = ["president", "council", "secretary", "official", "activist", "association"]
    genders = ["woman", "man", "other", "undisclosed"]

    def when() -> datetime:
        return now - timedelta(days=rng.random() * 730)

    users = [
        {
            "email": f"u{n}@bench.ba", "display_name": f"Član {n}", "password_hash": "x",
            "function": rng.choice(functions), "gender": rng.choice(genders),
            "municipality_id": rng.choice(places[:100]), "created_at": when(),
            "confirmed_at": now, "municipality_text": "", "mz_text": "", "bio": "",
            "in_directory": True, "is_admin": n == 0, "suspension_reason": "",
            "approved_posts": 10,
        }
        for n in range(members)
    ]  # fmt: skip
    db.session.execute(insert(User.__table__), users)
    threads = posts // 10
    db.session.execute(
        insert(Thread.__table__),
        [
            {
                "category_id": rng.choice(categories), "author_id": rng.randint(1, members),
                "title": f"Tema {n}", "created_at": (t := when()), "last_post_at": t,
                "post_count": 10, "locked": False, "pinned": False, "solved": n % 3 == 0,
                "hidden_reason": "", "approved": True,
                "municipality_id": rng.choice(places),
            }
            for n in range(threads)
        ],
    )  # fmt: skip
    batch = []
    for n in range(posts):
        batch.append(
            {
                "thread_id": n // 10 + 1, "author_id": rng.randint(1, members),
                "is_first": n % 10 == 0, "body_md": "Tekst.", "body_html": "<p>Tekst.</p>",
                "created_at": when(), "approved": True, "accepted": n % 30 == 5,
                "hidden_reason": "",
            }
        )  # fmt: skip
        if len(batch) == 10_000:
            db.session.execute(insert(Post.__table__), batch)
            batch = []
    if batch:
        db.session.execute(insert(Post.__table__), batch)
    db.session.execute(
        insert(Document.__table__),
        [
            {
                "post_id": rng.randint(1, posts), "uploader_id": 1, "sha256": f"{n:064d}",
                "size": 10, "filename": "a.pdf", "mime": "application/pdf", "kind": "pdf",
                "title": "", "extraction_status": "done", "text": "", "created_at": when(),
            }
            for n in range(posts // 50)
        ],
    )  # fmt: skip
    db.session.commit()


def timed(action, runs: int) -> tuple[float, float, float]:
    """Median and worst wall time, and median CPU time of this process, in milliseconds.

    SQLite runs inside the process, so CPU time is the work itself: on a shared, busy
    machine the wall time mostly measures waiting for a core.
    """
    action()  # warm the caches, as a serving process would be
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), max(wall), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--members", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    from board import create_app
    from board.extensions import db
    from board.models import Category
    from board.stats.service import figures

    with tempfile.TemporaryDirectory() as instance:
        app = create_app(
            {"INSTANCE_PATH": instance, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False}
        )
        with app.app_context():
            started = time.perf_counter()
            build(app, args.posts, args.members)
            print(f"built {args.posts} posts, {args.members} members "
                  f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
            some = [db.session.scalar(db.select(Category.id).limit(1))]
            for label, scope in (("whole board", None), ("one association", some)):
                for months in (12, 24):
                    median, worst, cpu = timed(lambda s=scope, m=months: figures(s, m), args.runs)
                    print(f"figures, {label}, {months} months: median {median:.0f} ms, "
                          f"worst {worst:.0f} ms, CPU {cpu:.0f} ms")  # fmt: skip
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = "1"
            session["_fresh"] = True
        median, worst, cpu = timed(lambda: client.get("/admin/stats"), args.runs)
        print(f"/admin/stats page (admin, 12 months): median {median:.0f} ms, "
              f"worst {worst:.0f} ms, CPU {cpu:.0f} ms")  # fmt: skip
        print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
