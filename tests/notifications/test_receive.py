"""Reply by e-mail: real client messages through ``flask board mail receive``."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from board.extensions import db
from board.models import MailQueue, Post
from board.models.base import utcnow
from board.notifications import inbound
from board.notifications.tokens import reply_token
from tests import factories

MESSAGES = Path(__file__).parent / "messages"


@pytest.fixture
def token(app, question, asker, helper):
    """The reply token of the mail Amra got about Boris's reply."""
    app.config.update(MAIL_REPLY_DOMAIN="odgovor.mreza.ba", MAIL_DRAIN="cron")
    factories.make_reply(question, helper, "Zbor saziva predsjednik savjeta MZ.")
    row = db.session.scalar(select(MailQueue).where(MailQueue.user_id == asker.id))
    return reply_token(row.id)


def _raw(name: str, token: str, sender: str = "amra@example.ba") -> bytes:
    text = (MESSAGES / name).read_bytes()
    return text.replace(b"{TOKEN}", token.encode()).replace(b"{FROM}", sender.encode())


def _receive(app, raw: bytes):
    return app.test_cli_runner().invoke(args=["board", "mail", "receive"], input=raw)


def _newest(question) -> Post:
    db.session.expire_all()
    return db.session.scalar(
        select(Post).where(Post.thread_id == question.id).order_by(Post.id.desc())
    )


@pytest.mark.parametrize(
    ("name", "expected", "absent"),
    [
        ("thunderbird.eml", "- poziv na web stranici općine", "Sekretarka"),
        ("gmail_bs.eml", "Odlično, to je bilo ono što mi je trebalo.", "je napisao"),
        ("outlook.eml", "dodajte i zapisnik s prethodnog zbora.", "Poslano"),
        ("cyrillic.eml", "Збор сазива предсједник савјета МЗ", "написао"),
        ("html_only.eml", "Samo HTML: zbor je zakazan za petak & subotu.", "New reply"),
    ],
)
def test_a_reply_from_a_mail_client_is_posted_without_the_quote(
    app, token, question, asker, name, expected, absent
):
    result = _receive(app, _raw(name, token))
    assert result.exit_code == 0, result.output
    post = _newest(question)
    assert post.author_id == asker.id and expected in post.body_md
    assert absent not in post.body_md and "Zbor saziva predsjednik" not in post.body_md


def test_the_mailed_reply_reaches_the_other_watcher(app, token, question, helper):
    from tests.notifications.conftest import notes

    _receive(app, _raw("thunderbird.eml", token))
    assert [n.kind for n in notes(helper)] == ["reply"]


@pytest.mark.parametrize(
    ("name", "status", "reason"),
    [("autoreply.eml", inbound.EX_DATAERR, "auto_reply"), ("bounce.eml", 65, "bounce")],
)
def test_automatic_mail_is_not_posted(app, token, question, name, status, reason):
    before = _newest(question).id
    result = _receive(app, _raw(name, token))
    assert result.exit_code == status and f"refused: {reason}" in result.output
    assert _newest(question).id == before


def test_unknown_and_expired_tokens_are_refused(app, token, question, asker):
    result = _receive(app, _raw("thunderbird.eml", "1x" + "0" * 24))
    assert result.exit_code == inbound.EX_NOUSER and "unknown_token" in result.output
    row = db.session.get(MailQueue, int(token.partition("x")[0]))
    row.created_at = utcnow() - timedelta(days=31)
    db.session.commit()
    result = _receive(app, _raw("thunderbird.eml", token))
    assert result.exit_code == inbound.EX_NOUSER and "expired" in result.output
    refusal = db.session.scalar(select(MailQueue).where(MailQueue.kind == "refusal"))
    assert refusal.user_id == asker.id and refusal.params["reason"] == "expired"


def test_another_sender_cannot_use_the_token(app, token, question):
    result = _receive(app, _raw("thunderbird.eml", token, sender="mallory@example.ba"))
    assert result.exit_code == inbound.EX_NOPERM and "wrong_sender" in result.output


def test_a_locked_thread_refuses_and_says_why(app, token, question, admin, mail_sink):
    from board.moderation import service as moderation

    moderation.switch_thread(admin, question, "lock")
    before = _newest(question).id
    result = _receive(app, _raw("thunderbird.eml", token))
    assert result.exit_code == inbound.EX_NOPERM and "locked" in result.output
    assert _newest(question).id == before
    from board.notifications import mailqueue

    mailqueue.drain(app)
    message = mail_sink.latest("amra@example.ba")
    assert message["Subject"] == "[Mreža] Your reply by e-mail was not posted"
    assert "The thread is locked" in message.get_body(preferencelist=("plain",)).get_content()


def test_a_suspended_member_cannot_post_by_mail(app, token, question, asker):
    asker.suspended_until = utcnow() + timedelta(days=2)
    db.session.commit()
    result = _receive(app, _raw("thunderbird.eml", token))
    assert result.exit_code == inbound.EX_NOPERM and "suspended" in result.output


def test_a_new_members_mail_waits_for_approval(app, token, question, asker):
    asker.approved_posts = 0
    db.session.commit()
    result = _receive(app, _raw("thunderbird.eml", token))
    assert result.exit_code == 0 and "queued for approval" in result.output
    assert not _newest(question).approved


def test_a_member_posting_too_often_is_told_to_retry(app, token, question, asker):
    app.config["MAIL_REPLY_PER_HOUR"] = 1
    factories.make_reply(question, asker, "Upravo sam pisala.")
    result = _receive(app, _raw("thunderbird.eml", token))
    assert result.exit_code == inbound.EX_TEMPFAIL and "rate_limited" in result.output
