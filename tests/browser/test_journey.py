"""The whole first-day journey in headless Chromium, mail included."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from board.extensions import db
from board.models import Post, Thread, User
from tests import factories

pytestmark = pytest.mark.browser

SUBMIT = "main form button[type=submit]:not([name=preview])"


def test_register_confirm_post_reply_accept(
    app, page, browser, live_server, mail_sink, browser_login, regulation
):
    # New members' first posts normally wait for a moderator (issue 5); this journey is
    # about the board itself, so the live server skips that queue.
    app.config["NEW_MEMBER_QUEUE_POSTS"] = 0
    email = "selma.hadzic@example.ba"
    password = "sjednica savjeta utorkom 19h"

    page.goto("/register")
    page.fill("#email", email)
    page.fill("#display_name", "Selma Hadžić")
    page.fill("#password", password)
    page.select_option("#function", "secretary")
    page.fill("#municipality", "Novi Grad Sarajevo")
    page.fill("#mz", "Alipašin Most")
    page.click(SUBMIT)
    assert email in page.inner_text("main")

    link = mail_sink.link(email)
    assert link.startswith(live_server.url("/confirm/"))
    page.goto(link)
    assert page.locator(".flash-success").count() == 1
    page.click("header form[action='/logout'] button")
    browser_login(page, db.session.scalar(select(User).where(User.email == email)), password)

    page.goto("/c/regulation/new")
    page.fill("#title", "Ko potpisuje odluke savjeta MZ?")
    page.fill("#body", "Da li odluke savjeta potpisuje **predsjednik** ili sekretar?")
    page.click(SUBMIT)
    assert re.search(r"/t/\d+$", page.url)
    thread_path = page.url[len(live_server.base) :]
    assert page.locator("h1").inner_text() == "Ko potpisuje odluke savjeta MZ?"

    helper = factories.make_user(email="edin@example.ba", display_name="Edin Sekretar")
    second = browser.new_context(base_url=live_server.base)
    other = second.new_page()
    browser_login(other, helper)
    other.goto(thread_path)
    other.fill("#reply-form textarea", "Prema statutu, odluke potpisuje predsjednik savjeta.")
    other.click("#reply-form button[type=submit]:not([name=preview])")
    second.close()

    db.session.expire_all()
    reply = db.session.scalars(select(Post).where(Post.author_id == helper.id)).one()
    page.goto(thread_path)
    page.click(f"form[action='/p/{reply.id}/accept'] button")

    answer = page.locator("section.answer")
    assert "Prema statutu, odluke potpisuje predsjednik savjeta." in answer.inner_text()
    assert "Edin Sekretar" in answer.inner_text()
    # Right under the question: the first post, then the answer, then the conversation.
    order = page.eval_on_selector_all(
        "main article.post, main section.answer", "els => els.map(e => e.className)"
    )
    assert order[0].startswith("post") and order[1] == "answer"
    thread = db.session.scalars(select(Thread)).one()
    db.session.refresh(thread)
    assert thread.solved
    page.goto("/c/regulation")
    assert page.locator(".thread-item .tag-answer").count() == 1
