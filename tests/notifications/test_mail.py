"""Mail: the queue, real SMTP (aiosmtpd), headers, languages, unsubscribe, digests."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from board.extensions import db
from board.models import MailQueue, User
from board.models.base import utcnow
from board.notifications import digest, mailqueue
from board.notifications.tokens import reply_token
from tests import factories
from tests.liveserver import free_port
from tests.mailsink import MailSink


def _rows(status: str | None = None) -> list[MailQueue]:
    db.session.expire_all()
    query = select(MailQueue).order_by(MailQueue.id)
    if status:
        query = query.where(MailQueue.status == status)
    return list(db.session.scalars(query))


def test_a_reply_mails_the_watcher_through_smtp(app, mail_sink, question, asker, helper):
    app.config["MAIL_REPLY_DOMAIN"] = "odgovor.mreza.ba"
    reply = factories.make_reply(question, helper, "Zbor saziva predsjednik savjeta MZ.")
    message = mail_sink.latest("amra@example.ba")
    assert message["Subject"] == "[Mreža] New reply in “Kako sazvati zbor građana?”"
    assert message.get_content_type() == "multipart/alternative"
    text = MailSink.body(message)
    assert "Zbor saziva predsjednik savjeta MZ." in text
    assert f"http://localhost/p/{reply.id}" in text
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Zbor saziva predsjednik savjeta MZ." in html and "<a href=" in html
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert str(message["List-Unsubscribe"]).strip().startswith("<http://localhost/unsubscribe/")
    [row] = _rows("sent")
    assert message["Message-ID"] == row.message_id
    assert message["Reply-To"] == f"reply+{reply_token(row.id)}@odgovor.mreza.ba"
    assert mail_sink.to("boris@example.ba") == []


def test_mail_is_in_the_recipients_language(app, mail_sink, asker, helper):
    asker.locale = "bs"
    db.session.commit()
    thread = factories.make_thread(asker, title="Budžet")
    factories.make_reply(thread, helper, "Odgovor.")
    message = mail_sink.latest("amra@example.ba")
    assert message["Subject"] == "[Mreža] Novi odgovor u temi „Budžet“"
    assert "Odjava od svih e-poruka" in MailSink.body(message)


def test_mail_shows_members_words_in_the_recipients_script(app, mail_sink, asker, helper):
    asker.locale, asker.script = "sr", "cyrillic"
    db.session.commit()
    thread = factories.make_thread(asker, title="Budžet mjesne zajednice")
    factories.make_reply(thread, helper, "Savjet je usvojio budžet.")
    message = mail_sink.latest("amra@example.ba")
    assert "„Буџет мјесне заједнице“" in message["Subject"]
    assert "Савјет је усвојио буџет." in MailSink.body(message)


def test_at_most_one_mail_per_thread_in_ten_minutes(app, mail_sink, question, asker, helper):
    factories.make_reply(question, helper, "Prvi.")
    factories.make_reply(question, helper, "Drugi.")
    assert len(mail_sink.to("amra@example.ba")) == 1
    for row in _rows():
        row.created_at = utcnow() - timedelta(minutes=11)
    db.session.commit()
    factories.make_reply(question, helper, "Treći.")
    assert len(mail_sink.to("amra@example.ba")) == 2


def test_no_mail_when_the_member_chose_a_digest_or_none(app, mail_sink, question, asker, helper):
    asker.email_mode = "daily"
    db.session.commit()
    factories.make_reply(question, helper, "Odgovor.")
    assert mail_sink.to("amra@example.ba") == []


def test_without_a_mail_server_mail_goes_to_the_outbox_folder(app, question, asker, helper):
    factories.make_reply(question, helper, "Odgovor u folder.")
    files = list((Path(app.instance_path) / "outbox").glob("*.eml"))
    assert len(files) == 1 and b"amra@example.ba" in files[0].read_bytes()


def test_the_reply_request_only_queues_in_background_mode(app, mail_sink, question, asker, helper):
    """With the default background sender the request returns before SMTP: rows queued."""
    app.config["MAIL_DRAIN"] = "cron"
    factories.make_reply(question, helper, "Odgovor.")
    assert [r.status for r in _rows()] == ["queued"] and mail_sink.to("amra@example.ba") == []
    result = mailqueue.drain(app)
    assert result.sent == 1 and len(mail_sink.to("amra@example.ba")) == 1


class _Moody:
    """An SMTP handler that refuses the first ``refusals`` messages with a 451, then accepts."""

    def __init__(self, refusals: int) -> None:
        self.refusals = refusals
        self.accepted: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):
        if self.refusals > 0:
            self.refusals -= 1
            return "451 4.3.0 Try again later"
        self.accepted.append(envelope.content)
        return "250 OK"


def test_a_refusing_server_leaves_mail_queued_and_it_is_retried(app, question, asker, helper):
    handler = _Moody(refusals=1)
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        factories.make_reply(question, helper, "Odgovor.")
        [row] = _rows()
        assert row.status == "queued" and row.attempts == 1 and "451" in row.last_error
        assert row.send_after > utcnow() and handler.accepted == []
        assert mailqueue.drain(app).sent == 0  # back-off: not due yet
        row.send_after = utcnow()
        db.session.commit()
        assert mailqueue.drain(app).sent == 1
        [row] = _rows()
        assert row.status == "sent" and row.attempts == 2
        assert len(handler.accepted) == 1 and row.message_id.encode() in handler.accepted[0]
    finally:
        controller.stop()


def test_an_unreachable_server_keeps_the_row(app, question, asker, helper):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())
    factories.make_reply(question, helper, "Odgovor.")
    [row] = _rows()
    assert row.status == "queued" and "ConnectionRefusedError" in row.last_error


def test_a_hidden_post_is_not_mailed(app, mail_sink, question, asker, admin):
    app.config["MAIL_DRAIN"] = "cron"
    reply = factories.make_reply(question, factories.make_user(), "Spam!")
    from board.moderation import service as moderation

    moderation.hide_post(admin, reply, "Spam")
    mailqueue.drain(app)
    assert mail_sink.to("amra@example.ba") == []
    assert [r.status for r in _rows() if r.user_id == asker.id] == ["skipped"]


def test_unsubscribe_page_and_one_click_post(app, client, mail_sink, question, asker, helper):
    factories.make_reply(question, helper, "Odgovor.")
    link = str(mail_sink.latest("amra@example.ba")["List-Unsubscribe"]).strip().strip("<>")
    path = link.removeprefix("http://localhost")
    page = client.get(path)
    assert page.status_code == 200 and "Stop all e-mail" in page.get_data(as_text=True)
    assert "amra@example.ba" not in page.get_data(as_text=True)
    response = client.post(path, data={"List-Unsubscribe": "One-Click"}, csrf=False)
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(User, asker.id).email_mode == "off"


def test_a_forged_unsubscribe_token_is_refused(client, asker):
    response = client.post("/unsubscribe/not-a-token", csrf=False)
    assert response.status_code == 400
    assert "invalid or has expired" in response.get_data(as_text=True)


def test_settings_change_the_mail_mode(client, login, asker):
    login(asker)
    assert client.post("/settings/notifications", data={"email_mode": "weekly"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, asker.id).email_mode == "weekly"
    response = client.post("/settings/notifications", data={"email_mode": "hourly"})
    assert response.status_code == 400


def test_digest_groups_by_category_and_runs_once_per_period(
    app, mail_sink, question, asker, helper
):
    asker.email_mode = "daily"
    db.session.commit()
    factories.make_reply(question, helper, "Prvi.")
    other = factories.make_thread(helper, factories.category("planning"), title="Plan rada")
    factories.make_reply(other, asker, "Moj odgovor.")
    factories.make_reply(other, helper, "Hvala.")
    first = digest.run("daily")
    mailqueue.drain(app)
    second = digest.run("daily")
    mailqueue.drain(app)
    assert (first.queued, second.queued, second.already) == (1, 0, first.queued + first.empty)
    [message] = mail_sink.to("amra@example.ba")
    assert message["Subject"] == "[Mreža] Your daily summary"
    body = MailSink.body(message)
    assert "== Planiranje ==" in body and "== Regulativa ==" in body
    assert body.index("Planiranje") > body.index("Regulativa")  # category order


def test_cli_send_and_check(app, question, asker, helper):
    app.config["MAIL_DRAIN"] = "cron"
    factories.make_reply(question, helper, "Odgovor.")
    runner = app.test_cli_runner()
    assert "queued: 1" in runner.invoke(args=["board", "mail", "check"]).output
    result = runner.invoke(args=["board", "mail", "send"])
    assert result.exit_code == 0 and "Sent 1" in result.output
    row = _rows()[0]
    row.status, row.send_after = "sending", utcnow() - timedelta(hours=1)
    db.session.commit()
    result = runner.invoke(args=["board", "mail", "check"])
    assert result.exit_code == 1 and f"STUCK {row.id}" in result.output


@pytest.fixture(autouse=True)
def _loop_policy():
    """aiosmtpd runs its own loop in a thread; nothing to reset, kept explicit."""
    yield
    asyncio.set_event_loop(None)
