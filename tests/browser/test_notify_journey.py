"""A asks, B mentions C and answers, A and C see the badge and the mail, A replies from
the mail, B gets that reply. In headless Chromium, with a real SMTP server."""

from __future__ import annotations

import pytest

from tests import factories
from tests.mailsink import MailSink

pytestmark = pytest.mark.browser


def _badge(page) -> str:
    page.goto("/")
    return page.locator("nav.user-nav a[href='/notifications'] .badge").inner_text()


def test_ask_mention_answer_and_reply_by_mail(app, live_server, mail_sink, signed_in):
    app.config["MAIL_REPLY_DOMAIN"] = "odgovor.mreza.ba"
    amra = factories.make_user(email="amra@example.ba", display_name="Amra Hadžić", locale="en")
    boris = factories.make_user(email="boris@example.ba", display_name="Boris Babić", locale="en")
    cvijeta = factories.make_user(email="cvijeta@example.ba", display_name="Cvijeta Ćorić")

    a = signed_in(amra)
    a.goto("/c/participation/new")
    a.fill("#title", "Kako sazvati zbor građana?")
    a.fill("#body", "Ko saziva zbor građana u našoj MZ?")
    a.get_by_role("button", name="Post thread").click()
    a.wait_for_load_state()
    thread_url = a.url

    b = signed_in(boris)
    b.goto(thread_url)
    b.locator("#reply-form textarea").click()
    b.keyboard.type("@cvij")
    b.get_by_role("button", name="@cvijeta.coric — Cvijeta Ćorić").click()
    b.keyboard.type("zna bolje, ali: zbor saziva predsjednik savjeta MZ.")
    b.get_by_role("button", name="Post reply").click()
    b.wait_for_load_state()
    assert b.locator("a[href='/u/cvijeta.coric']").count() >= 1

    assert _badge(a) == "1"
    c = signed_in(cvijeta)
    assert _badge(c) == "1"
    c.goto("/notifications")
    c.get_by_role("link", name="Boris Babić mentioned you in “Kako sazvati zbor građana?”").click()
    assert "zbor saziva predsjednik" in c.content()

    mail = mail_sink.latest("amra@example.ba")
    assert "zbor saziva predsjednik savjeta MZ." in MailSink.body(mail)
    assert mail_sink.latest("cvijeta@example.ba")["Subject"].startswith("[Mreža] Boris")
    reply = (
        f"From: Amra Hadžić <amra@example.ba>\nTo: {mail['Reply-To']}\n"
        f"Subject: Re: {mail['Subject']}\nMessage-ID: <a1@example.ba>\n"
        "Content-Type: text/plain; charset=utf-8\n\nHvala, Borise!\n\n"
        "On Wed, 2 Dec 2026, Mreža wrote:\n> zbor saziva predsjednik savjeta MZ.\n"
    ).encode()
    result = app.test_cli_runner().invoke(args=["board", "mail", "receive"], input=reply)
    assert result.exit_code == 0, result.output

    assert "Hvala, Borise!" in MailSink.body(mail_sink.latest("boris@example.ba"))
    assert _badge(b) == "1"
    b.goto(thread_url)
    assert "Hvala, Borise!" in b.content() and "savjeta MZ.\n>" not in b.content()
