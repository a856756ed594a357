"""Daily and weekly digests: one queued message per member and period, never two.

``digest_runs`` has a unique key (member, period, period key), written in the same
transaction as the queued message, so running the command twice (or on two hosts at
once) gives nobody a second digest for the same day or week.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from board.extensions import db
from board.models import DigestRun, Notification, User
from board.models.base import utcnow
from board.notifications import mailqueue

PERIODS = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}
CHUNK = 1000


@dataclass
class DigestResult:
    """What a run did."""

    queued: int = 0
    empty: int = 0
    already: int = 0


def period_key(period: str, now: datetime) -> str:
    """``2026-12-02`` for a day, ``2026-W49`` for an ISO week."""
    if period == "daily":
        return now.date().isoformat()
    year, week, _day = now.isocalendar()
    return f"{year}-W{week:02d}"


def run(period: str, now: datetime | None = None) -> DigestResult:
    """Queue this period's digest for every member on ``period``; commits per chunk."""
    now = now or utcnow()
    key, since = period_key(period, now), now - PERIODS[period]
    result = DigestResult()
    members = list(
        db.session.scalars(
            select(User.id)
            .where(User.email_mode == period, User.confirmed_at.is_not(None))
            .order_by(User.id)
        )
    )
    for start in range(0, len(members), CHUNK):
        _chunk(members[start : start + CHUNK], period, key, since, result)
    return result


def _chunk(ids: list[int], period: str, key: str, since: datetime, result: DigestResult) -> None:
    done = set(
        db.session.scalars(
            select(DigestRun.user_id).where(
                DigestRun.user_id.in_(ids), DigestRun.period == period, DigestRun.period_key == key
            )
        )
    )
    result.already += len(done)
    todo = [uid for uid in ids if uid not in done]
    if not todo:
        return
    with_news = set(
        db.session.scalars(
            select(Notification.user_id)
            .where(
                Notification.user_id.in_(todo),
                Notification.read_at.is_(None),
                Notification.created_at >= since,
                Notification.thread_id.is_not(None),
                Notification.kind.in_(("reply", "new_thread", "mention", "quote", "accepted")),
            )
            .group_by(Notification.user_id)
            .having(func.count(Notification.id) > 0)
        )
    )
    now = utcnow()
    db.session.execute(
        insert(DigestRun),
        [{"user_id": u, "period": period, "period_key": key, "created_at": now} for u in todo],
    )
    params = {"period": period, "key": key, "since": since.isoformat()}
    mailqueue.enqueue_many(sorted(with_news), "digest", params=params)
    try:
        db.session.commit()
    except IntegrityError:  # another run took some of these members: leave them to it
        db.session.rollback()
        result.already += len(todo)
        return
    result.queued += len(with_news)
    result.empty += len(todo) - len(with_news)
