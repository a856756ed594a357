"""``flask board mail send|check|receive|digest``."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from board.extensions import db
from board.models import MailQueue
from board.models.base import utcnow

mail_cli = AppGroup("mail", help="The mail queue, digests and replies by e-mail.")


@mail_cli.command("send")
@click.option("--requeue-stuck", is_flag=True, help="Re-queue rows left 'sending' (maybe twice).")
def send(requeue_stuck: bool) -> None:
    """Send every queued message that is due (safe to run from cron at any time)."""
    from board.notifications import mailqueue

    app = current_app._get_current_object()
    if requeue_stuck:
        click.echo(f"Re-queued {mailqueue.requeue_stuck(app)} stuck message(s).")
    result = mailqueue.drain(app)
    click.echo(
        f"Sent {result.sent}, skipped {result.skipped}, will retry {result.retried}, "
        f"failed {result.failed}, doubtful {result.doubtful}."
    )
    if result.failed or result.doubtful:
        sys.exit(1)


@mail_cli.command("check")
def check() -> None:
    """Report stuck, failing and waiting rows; exit 1 when any needs an operator."""
    from board.notifications.mailqueue import STUCK_AFTER

    counts = dict(
        db.session.execute(select(MailQueue.status, func.count()).group_by(MailQueue.status)).all()
    )
    stuck = db.session.scalars(
        select(MailQueue).where(
            MailQueue.status == "sending", MailQueue.send_after < utcnow() - STUCK_AFTER
        )
    ).all()
    failing = db.session.scalars(
        select(MailQueue).where(MailQueue.status == "queued", MailQueue.attempts > 0).limit(20)
    ).all()
    failed = db.session.scalars(
        select(MailQueue).where(MailQueue.status == "failed").limit(20)
    ).all()
    click.echo(
        ", ".join(f"{status}: {n}" for status, n in sorted(counts.items())) or "Queue empty."
    )
    for row in stuck:
        click.echo(f"STUCK {row.id} {row.message_id} (possibly delivered): {row.last_error}")
    for row in failing:
        click.echo(f"RETRYING {row.id} attempt {row.attempts}: {row.last_error}")
    for row in failed:
        click.echo(f"FAILED {row.id} after {row.attempts} attempts: {row.last_error}")
    if stuck or failed:
        sys.exit(1)


@mail_cli.command("digest")
@click.option("--period", type=click.Choice(["daily", "weekly"]), required=True)
def digest(period: str) -> None:
    """Queue (and send) the digest of every member on that period; idempotent per period."""
    from board.notifications import digest as digests
    from board.notifications import mailqueue

    result = digests.run(period)
    click.echo(
        f"{period} digests: {result.queued} queued, {result.empty} with nothing new, "
        f"{result.already} already done for this period."
    )
    mailqueue.drain(current_app._get_current_object())


@mail_cli.command("receive")
@click.option("--recipient", default=None, help="Envelope recipient (Postfix: ${recipient}).")
def receive(recipient: str | None) -> None:
    """Read one RFC 5322 message on stdin (an MTA pipe) and post it as a reply."""
    from board.notifications import inbound

    log = inbound.log
    raw = sys.stdin.buffer.read()
    subject = str(inbound.parse(raw).get("Subject", ""))
    try:
        received = inbound.receive(raw, recipient)
    except inbound.ReceiveError as error:
        db.session.rollback()
        who = f"member {error.user.id}" if error.user is not None else "unknown sender"
        log.warning("mail receive refused (%s): %s, exit %s", error.reason, who, error.status)
        click.echo(f"refused: {error.reason}", err=True)
        inbound.refuse(error, subject)
        sys.exit(error.status)
    post = received.post
    state = "posted" if post.approved else "queued for approval"
    log.info(
        "mail receive %s: post %s in thread %s by member %s",
        state,
        post.id,
        post.thread_id,
        post.author_id,
    )
    click.echo(f"{state}: post {post.id} in thread {post.thread_id}")
