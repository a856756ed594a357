"""The mail queue: rows written in the transaction that causes the mail, sent after it.

Like the search outbox, a row exists exactly when the change that caused it committed.
``after_commit`` hands the work to a background thread (``MAIL_DRAIN=background``, the
default), does it at once (``inline``, the tests) or leaves it to ``flask board mail send``
(``cron``), so a reply with a thousand watchers returns before any SMTP conversation.

Nothing twice: a row is marked ``sending`` (committed) before the SMTP DATA command. An
SMTP error reply or a refused connection proves the message was not accepted, so the row
goes back to ``queued`` with back-off; a crash or a dropped connection during DATA leaves
it ``sending``: possibly delivered, never re-sent on its own, reported by ``board mail
check`` (``board mail send --requeue-stuck`` re-queues it; the row's Message-ID stays
the same, so a duplicate is recognisable). At most once, with the doubtful cases visible.
"""

from __future__ import annotations

import logging
import os
import secrets
import smtplib
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path

from flask import Flask, current_app, has_app_context
from sqlalchemy import JSON, Integer, Select, String, cast, insert, literal, select, update
from sqlalchemy.orm import Session

from board.extensions import db
from board.models import MailQueue, Notification, User
from board.models.base import UTCDateTime, utcnow

log = logging.getLogger(__name__)

MAIL_GAP = timedelta(minutes=10)
MAX_ATTEMPTS = 8
BATCH = 50
STUCK_AFTER = timedelta(minutes=30)
_FLAG = "mail_queued"
_installed = False


def _domain() -> str:
    address = parseaddr(str(current_app.config["MAIL_SENDER"]))[1]
    return address.rpartition("@")[2] or "mreza.local"


def _row(user_id: int, kind: str, **values) -> dict:
    now = utcnow()
    return {
        "user_id": user_id,
        "kind": kind,
        "notification_id": values.get("notification_id"),
        "thread_id": values.get("thread_id"),
        "params": values.get("params", {}),
        "message_id": f"<mreza.{secrets.token_hex(12)}@{_domain()}>",
        "status": "queued",
        "attempts": 0,
        "last_error": "",
        "created_at": now,
        "send_after": now,
    }


def _mark(session=None) -> None:
    (session or db.session).info[_FLAG] = True


def enqueue_select(thread_id: int | None, notifications: Select) -> None:
    """Queue mail for the (notification id, user id) pairs the query yields: only members
    on ``each`` with a confirmed address, at most one per thread and member in 10 minutes.

    One INSERT … SELECT, whatever the number of recipients; each row's Message-ID is this
    call's random batch id plus the notification id.
    """
    pairs = notifications.subquery()
    notification_id, user_id = list(pairs.c)
    batch = secrets.token_hex(8)
    now = utcnow()
    message_id = (
        literal(f"<mreza.{batch}.") + cast(notification_id, String) + literal(f"@{_domain()}>")
    )
    query = (
        select(
            user_id,
            literal("notification"),
            notification_id,
            literal(thread_id, Integer),
            literal({}, JSON),
            message_id,
            literal("queued"),
            literal(0, Integer),
            literal(""),
            literal(now, UTCDateTime),
            literal(now, UTCDateTime),
        )
        .join(User, User.id == user_id)
        .where(User.email_mode == "each", User.confirmed_at.is_not(None))
    )
    if thread_id is not None:
        recent = (
            select(MailQueue.id)
            .where(
                MailQueue.user_id == user_id,
                MailQueue.thread_id == thread_id,
                MailQueue.kind == "notification",
                MailQueue.status != "skipped",
                MailQueue.created_at > now - MAIL_GAP,
            )
            .correlate_except(MailQueue)
        )  # not the INSERT's own table
        query = query.where(~recent.exists())
    columns = ["user_id", "kind", "notification_id", "thread_id", "params", "message_id"]
    columns += ["status", "attempts", "last_error", "created_at", "send_after"]
    if db.session.execute(insert(MailQueue).from_select(columns, query)).rowcount:
        _mark()


def enqueue_notifications(thread_id: int | None, recipients: dict[int, int]) -> None:
    """Queue mail for a few notifications given as {user id: notification id}."""
    if recipients:
        enqueue_select(
            thread_id,
            select(Notification.id, Notification.user_id).where(
                Notification.id.in_(sorted(recipients.values()))
            ),
        )


def enqueue(user_id: int, kind: str, **values) -> None:
    """Queue one message of another kind (digest, refusal) in the caller's transaction."""
    enqueue_many([user_id], kind, **values)


def enqueue_many(user_ids: list[int], kind: str, **values) -> None:
    """Queue the same kind of message for many members in one statement (digests)."""
    if user_ids:
        db.session.execute(insert(MailQueue), [_row(uid, kind, **values) for uid in user_ids])
        _mark()


# Sending --------------------------------------------------------------------------------


@dataclass
class SendResult:
    """What one drain did."""

    sent: int = 0
    skipped: int = 0
    retried: int = 0
    failed: int = 0
    doubtful: int = 0
    errors: list[str] = field(default_factory=list)


class _Refused(Exception):
    """The server answered with an error: the message was certainly not accepted."""


class Transport:
    """One SMTP connection reused for a drain, or the outbox folder without a server."""

    def __init__(self, app: Flask) -> None:
        self.config = app.config
        self.smtp: smtplib.SMTP | None = None

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()
            self.smtp = None

    def prepare(self, message: EmailMessage) -> None:
        """Everything up to DATA; raises _Refused when the server says no."""
        if not self.config.get("MAIL_SERVER"):
            return
        try:
            if self.smtp is None:
                self.smtp = smtplib.SMTP(
                    self.config["MAIL_SERVER"], int(self.config["MAIL_PORT"]), timeout=20
                )
                if str(self.config.get("MAIL_USE_TLS")).lower() in {"1", "true", "yes", "on"}:
                    self.smtp.starttls()
                if self.config.get("MAIL_USERNAME"):
                    self.smtp.login(self.config["MAIL_USERNAME"], self.config["MAIL_PASSWORD"])
            self.smtp.ehlo_or_helo_if_needed()
            sender = parseaddr(str(message["From"]))[1]
            code, reply = self.smtp.mail(sender)
            if code != 250:
                raise _Refused(f"MAIL FROM {code} {reply!r}")
            code, reply = self.smtp.rcpt(parseaddr(str(message["To"]))[1])
            if code not in (250, 251):
                self.smtp.rset()
                raise _Refused(f"RCPT TO {code} {reply!r}")
        except (OSError, smtplib.SMTPException) as error:
            self.close()
            raise _Refused(f"{type(error).__name__}: {error}") from error

    def data(self, message: EmailMessage) -> None:
        """The DATA command; an SMTP error reply raises _Refused, a dropped line OSError."""
        if not self.config.get("MAIL_SERVER"):
            outbox = Path(self.config["MAIL_OUTBOX_PATH"])
            outbox.mkdir(parents=True, exist_ok=True)
            (outbox / f"{time.time_ns()}.eml").write_bytes(bytes(message))
            return
        try:
            wire = message.as_bytes(policy=message.policy.clone(linesep="\r\n"))
            code, reply = self.smtp.data(wire)
        except smtplib.SMTPDataError as error:
            raise _Refused(f"DATA {error.smtp_code} {error.smtp_error!r}") from error
        if code != 250:
            raise _Refused(f"DATA {code} {reply!r}")


def drain(app: Flask, *, limit: int | None = None) -> SendResult:
    """Send every due row; never raises for mail errors (they are written to the rows).

    Rows are claimed in batches (one UPDATE and commit marks them ``sending``) and their
    outcomes committed once per batch: a commit costs a disk flush, a message should not.
    """
    from board.notifications.compose import compose

    result = SendResult()
    transport = Transport(app)
    try:
        # no autoflush: outcomes are written at the batch's commit, so the database's
        # write lock is not held while talking to the SMTP server
        with Session(db.engine, autoflush=False) as session:
            while limit is None or result.sent + result.skipped < limit:
                rows = _claim(session, BATCH)
                if not rows:
                    break
                for row in rows:
                    _send_row(session, transport, row, compose, result)
                session.commit()
    finally:
        transport.close()
    return result


def _claim(session: Session, size: int) -> list[MailQueue]:
    """Take the next due rows: marked ``sending`` and committed before any SMTP DATA."""
    due = list(
        session.scalars(
            select(MailQueue.id)
            .where(MailQueue.status == "queued", MailQueue.send_after <= utcnow())
            .order_by(MailQueue.id)
            .limit(size)
        )
    )
    if not due:
        return []
    token = secrets.token_hex(8)
    session.execute(
        update(MailQueue)
        .where(MailQueue.id.in_(due), MailQueue.status == "queued")
        .values(status="sending", attempts=MailQueue.attempts + 1, last_error=f"claim {token}")
    )
    session.commit()
    return list(
        session.scalars(
            select(MailQueue)
            .where(MailQueue.id.in_(due), MailQueue.last_error == f"claim {token}")
            .order_by(MailQueue.id)
        )
    )


def _send_row(session: Session, transport: Transport, row: MailQueue, compose, result) -> None:
    try:
        message = compose(session, row)
    except Exception as error:  # a rendering bug must not stop the queue
        log.exception("Cannot compose mail %s", row.id)
        return _retry(session, row, f"compose: {type(error).__name__}: {error}", result)
    if message is None:
        row.status, row.last_error = "skipped", "nothing to send"
        result.skipped += 1
        return None
    try:
        transport.prepare(message)
        transport.data(message)
    except _Refused as error:
        return _retry(session, row, str(error), result)
    except (OSError, smtplib.SMTPException) as error:
        transport.close()
        row.last_error = f"possibly delivered: {type(error).__name__}: {error}"[:1000]
        log.error("Mail %s: connection lost during DATA; left as sending", row.id)
        result.doubtful += 1
        return None
    row.status, row.sent_at, row.last_error = "sent", utcnow(), ""
    result.sent += 1
    return None


def _retry(session: Session, row: MailQueue, error: str, result: SendResult) -> None:
    row.last_error = error[:1000]
    if row.attempts >= MAX_ATTEMPTS:
        row.status = "failed"
        result.failed += 1
    else:
        row.status = "queued"
        row.send_after = utcnow() + timedelta(seconds=min(30 * 2 ** (row.attempts - 1), 6 * 3600))
        result.retried += 1
    result.errors.append(error)
    log.warning("Mail %s not sent (attempt %s): %s", row.id, row.attempts, error)


def requeue_stuck(app: Flask) -> int:
    """Operator's choice: send again rows left ``sending`` for a while (maybe twice)."""
    with Session(db.engine) as session:
        count = session.execute(
            update(MailQueue)
            .where(MailQueue.status == "sending", MailQueue.send_after < utcnow() - STUCK_AFTER)
            .values(status="queued", send_after=utcnow())
        ).rowcount
        session.commit()
    return count


# After commit ---------------------------------------------------------------------------


class Sender:
    """A daemon thread that drains the queue when poked and every minute (for back-off)."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.event = threading.Event()
        self.pid = os.getpid()
        self.thread = threading.Thread(target=self._run, name="mail-sender", daemon=True)
        self.thread.start()

    def alive(self) -> bool:
        return self.pid == os.getpid() and self.thread.is_alive()

    def _run(self) -> None:
        while True:
            self.event.wait(timeout=60)
            self.event.clear()
            try:
                with self.app.app_context():
                    drain(self.app)
            except Exception:  # the thread outlives any failure; rows stay queued
                log.exception("Background mail drain failed")


_senders: dict[int, Sender] = {}
_guard = threading.Lock()


def poke(app: Flask) -> None:
    """Wake this process's sender thread (started on first use)."""
    with _guard:
        sender = _senders.get(id(app))
        if sender is None or not sender.alive():
            sender = _senders[id(app)] = Sender(app)
    sender.event.set()


def _after_commit(session) -> None:
    if not session.info.pop(_FLAG, False) or not has_app_context():
        return
    app = current_app._get_current_object()
    mode = app.config.get("MAIL_DRAIN") or ("inline" if app.testing else "background")
    try:
        if mode == "inline":
            drain(app)
        elif mode == "background":
            poke(app)
    except Exception:  # never fail the request that caused the mail
        log.exception("Mail drain after commit failed; the queue keeps the rows")


def _forget(session, _previous=None) -> None:
    session.info.pop(_FLAG, None)


def install() -> None:
    """Listen to the app's ORM sessions (once per process)."""
    global _installed
    if _installed:
        return
    from flask_sqlalchemy.session import Session as FlaskSession
    from sqlalchemy import event

    event.listen(FlaskSession, "after_commit", _after_commit)
    event.listen(FlaskSession, "after_soft_rollback", _forget)
    _installed = True
