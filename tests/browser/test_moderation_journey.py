"""A post is reported by three members, hidden by the third report, resolved from /mod by
the owning association's moderator; its author sees why, and the other association's
moderator never sees the report at all. In headless Chromium."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from board.extensions import db
from board.models import Flag
from tests import factories

pytestmark = pytest.mark.browser

REASON = "Reklama za satove nije dozvoljena."
SPAM = "Najjeftiniji satovi na satovi-spam.example, javite se!"


def _report(page, post_url: str, text: str) -> None:
    page.goto(post_url)
    post = page.locator("article.post", has_text=SPAM)
    post.get_by_role("link", name="Report").click()
    page.get_by_label("Spam or advertising").check()
    page.fill("#text", text)
    page.get_by_role("button", name="Send report").click()
    page.wait_for_load_state()


def test_three_reports_hide_post_and_owning_moderator_resolves_it(
    app, signed_in, association_a, moderator_a, moderator_b, member
):
    category = factories.make_category(
        "komunalije", name="Komunalne usluge", association=association_a
    )
    thread = factories.make_thread(member, category, title="Odvoz smeća u MZ Centar")
    spammer = factories.make_user(display_name="Sale Satovi")
    flaggers = [factories.make_user(display_name=f"Članica {i}") for i in (1, 2, 3)]

    author = signed_in(spammer)
    author.goto(f"/t/{thread.id}")
    author.fill("#body", SPAM)
    author.locator("#reply-form button[type=submit]:not([name=preview])").click()
    assert re.search(r"/t/\d+", author.url)
    post_url = author.url

    for number, flagger in enumerate(flaggers[:2], start=1):
        _report(signed_in(flagger), post_url, f"Prijava {number}: reklama")
    reader = signed_in(flaggers[2])
    reader.goto(post_url)
    assert reader.locator("article.post", has_text=SPAM).count() == 1, "still visible"
    _report(reader, post_url, "Prijava 3: reklama")
    assert reader.get_by_text(SPAM).count() == 0
    assert reader.get_by_text("This post was hidden by a moderator.").count() == 1

    moderator = signed_in(moderator_a)
    moderator.goto("/mod")
    assert moderator.locator("[data-count=flags]").inner_text() == "3"
    item = moderator.locator("article.mod-item", has_text="Prijava 1: reklama")
    assert SPAM in item.inner_text()
    item.get_by_label("Hide the post").check()
    item.get_by_label("Reason (shown to the author if the post is hidden)").fill(REASON)
    item.get_by_role("button", name="Resolve").click()
    moderator.wait_for_load_state()
    assert moderator.locator("[data-count=flags]").inner_text() == "0"
    assert "No open reports." in moderator.content()

    author.goto(f"/t/{thread.id}")  # not post_url: a fragment-only change would not reload
    assert REASON in author.locator("article.post", has_text=SPAM).inner_text(), author.locator(
        "article.post", has_text=SPAM
    ).inner_text()
    author.goto("/notifications")
    assert REASON in author.locator("ul.notifications").inner_text()

    flag_id = db.session.scalar(select(Flag.id).order_by(Flag.id))
    outsider = signed_in(moderator_b)
    outsider.goto("/mod")
    text = outsider.content()
    assert SPAM not in text and "Prijava" not in text
    response = outsider.goto(f"/mod/flags/{flag_id}")
    assert response.status == 404
    assert "Prijava" not in outsider.content()
