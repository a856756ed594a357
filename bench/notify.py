"""What notifications cost: a reply with 1,000 watchers, and a digest for 10,000 members.

    .venv/bin/python bench/notify.py [--watchers 1000] [--members 10000] [--rounds 15]

1. The reply request (the real form through Flask's test client, SQLite in a temp
   folder), median of ``--rounds``, with no watchers and with ``--watchers`` watchers on
   e-mail mode ``each``: the difference is what fan-out adds to the author's wait
   (notification rows, one mail-queue row per watcher). ``MAIL_DRAIN=cron`` keeps the
   sending out of the timing, as the background sender does in production.
2. Sending: how long the queue of those watchers' messages takes to drain to the outbox
   folder (rendering in each recipient's language included), per message.
3. ``digest.run("daily")`` for ``--members`` members on the daily mode, half of whom have
   something new: the run that queues their digests, then a second (idempotent) run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "bench-password-123"  # noqa: S105  (a throwaway bench account)


def _app(instance: str):
    from flask_migrate import upgrade

    from board import create_app
    from board.cli import seed_categories

    app = create_app(
        {
            "INSTANCE_PATH": instance,
            "RATELIMIT_ENABLED": False,
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
            "MAIL_DRAIN": "cron",
            "SERVER_NAME": "localhost",
            "SEARCH_DRAIN_WAIT": 0.5,
        }
    )
    with app.app_context():
        upgrade()
        seed_categories()
    return app


def _members(n: int, prefix: str, mode: str = "each") -> list[int]:
    from sqlalchemy import insert, select

    from board.auth.passwords import hash_password
    from board.extensions import db
    from board.models import User
    from board.models.base import utcnow

    hashed = hash_password(PASSWORD)
    now = utcnow()
    rows = [
        {
            "email": f"{prefix}{i}@example.ba", "display_name": f"{prefix} {i}",
            "handle": f"{prefix}.{i}", "password_hash": hashed, "confirmed_at": now,
            "created_at": now, "approved_posts": 5, "email_mode": mode, "function": "other",
            "municipality": "", "mz": "", "is_admin": False, "suspension_reason": "",
        }
        for i in range(n)
    ]  # fmt: skip
    for start in range(0, n, 2000):
        db.session.execute(insert(User), rows[start : start + 2000])
    db.session.commit()
    return list(db.session.scalars(select(User.id).where(User.email.like(f"{prefix}%"))))


def _reply_timing(app, watchers: int, rounds: int) -> tuple[float, float]:
    """Median ms of the reply request with no watchers and with ``watchers`` watchers."""
    from sqlalchemy import insert

    from board.extensions import db
    from board.forum import service as forum
    from board.models import Watch

    with app.app_context():
        [author_id] = _members(1, "author")
        author = db.session.get(__import__("board.models", fromlist=["User"]).User, author_id)
        category = db.session.scalar(
            db.select(__import__("board.models", fromlist=["Category"]).Category).limit(1)
        )
        quiet = forum.start_thread(author, category, "Tiha tema", "Bez pratilaca.").thread
        busy = forum.start_thread(author, category, "Prometna tema", "Mnogo pratilaca.").thread
        forum.commit()
        ids = _members(watchers, "watcher")
        db.session.execute(
            insert(Watch), [{"user_id": i, "thread_id": busy.id, "level": "watching"} for i in ids]
        )
        db.session.commit()
        quiet_id, busy_id = quiet.id, busy.id
    client = app.test_client()
    client.post("/login", data={"email": "author0@example.ba", "password": PASSWORD})
    timings: dict[int, list[float]] = {quiet_id: [], busy_id: []}
    for n in range(rounds):
        for thread_id in (quiet_id, busy_id):
            started = time.perf_counter()
            response = client.post(f"/t/{thread_id}/reply", data={"body": f"Odgovor {n}."})
            timings[thread_id].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 302, response.status_code
    return statistics.median(timings[quiet_id]), statistics.median(timings[busy_id])


def _drain_timing(app) -> tuple[int, float]:
    from board.extensions import db
    from board.models import MailQueue
    from board.notifications import mailqueue

    with app.app_context():
        queued = db.session.scalar(
            db.select(db.func.count(MailQueue.id)).where(MailQueue.status == "queued")
        )
        started = time.perf_counter()
        result = mailqueue.drain(app)
        elapsed = time.perf_counter() - started
    return result.sent, elapsed * 1000 / max(result.sent, 1) if queued else 0.0


def _digest_timing(app, members: int) -> tuple[float, float, object]:
    from sqlalchemy import insert

    from board.extensions import db
    from board.models import Notification, Post
    from board.models.base import utcnow
    from board.notifications import digest

    with app.app_context():
        ids = _members(members, "digest", mode="daily")
        post = db.session.scalar(db.select(Post).order_by(Post.id.desc()).limit(1))
        now = utcnow()
        rows = [
            {
                "user_id": uid, "kind": "reply", "params": {}, "url": post.url,
                "created_at": now, "thread_id": post.thread_id, "post_id": post.id, "count": 1,
            }
            for uid in ids[::2]
        ]  # fmt: skip
        db.session.execute(insert(Notification), rows)
        db.session.commit()
        started = time.perf_counter()
        first = digest.run("daily")
        first_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        digest.run("daily")
        second_ms = (time.perf_counter() - started) * 1000
    return first_ms, second_ms, first


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--watchers", type=int, default=1000)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as instance:
        app = _app(instance)
        quiet, busy = _reply_timing(app, args.watchers, args.rounds)
        print(f"reply request, median of {args.rounds}: no watchers {quiet:.1f} ms, "
              f"{args.watchers} watchers {busy:.1f} ms, added {busy - quiet:.1f} ms")  # fmt: skip
        sent, per = _drain_timing(app)
        print(f"sending to the outbox: {sent} messages, {per:.2f} ms each")
        first, second, result = _digest_timing(app, args.members)
        print(f"daily digest for {args.members} members: {first:.0f} ms "
              f"({result.queued} queued, {result.empty} with nothing new); "
              f"second run {second:.0f} ms (idempotent)")  # fmt: skip


if __name__ == "__main__":
    main()
