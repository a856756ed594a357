"""The formatting toolbar types Markdown for the member; without JavaScript the plain
textarea is all there is, and it still works."""

from __future__ import annotations

import re

import pytest

from tests import factories

pytestmark = pytest.mark.browser


def test_toolbar_buttons_format_the_selection(page, live_server, browser_login, member):
    thread = factories.make_thread(member)
    browser_login(page, member)
    page.goto(f"/t/{thread.id}")
    box = page.locator("#reply-form textarea")
    toolbar = page.locator("#reply-form .md-toolbar")
    assert toolbar.get_attribute("role") == "toolbar"
    box.fill("važno\nprvo\ndrugo")
    box.evaluate("t => t.setSelectionRange(0, 5)")
    toolbar.locator("[data-md=bold]").click()
    assert box.input_value() == "**važno**\nprvo\ndrugo"
    end = len(box.input_value())
    box.evaluate(f"t => t.setSelectionRange({end - 10}, {end})")
    toolbar.locator("[data-md=list]").click()
    assert box.input_value() == "**važno**\n- prvo\n- drugo"
    # A link without a selection leaves the cursor where the words go.
    box.evaluate("t => t.setSelectionRange(0, 0)")
    toolbar.locator("[data-md=link]").click()
    page.keyboard.type("Općina")
    assert box.input_value().startswith("[Općina](https://)**važno**")
    page.locator("#reply-form button[type=submit]:not([name=preview])").click()
    assert re.search(r"/t/\d+", page.url)
    assert page.locator("li", has_text="drugo").count() >= 1


def test_without_javascript_there_is_only_the_textarea(browser, live_server, member):
    thread = factories.make_thread(member)
    context = browser.new_context(base_url=live_server.base, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/login")
        page.fill("#email", member.email)
        page.fill("#password", factories.PASSWORD)
        page.click("main button[type=submit]")
        page.goto(f"/t/{thread.id}")
        assert page.locator("#reply-form textarea").is_visible()
        assert page.locator(".md-toolbar").count() == 0
        page.fill("#reply-form textarea", "**Bez skripte** radi.")
        page.locator("#reply-form button[type=submit]:not([name=preview])").click()
        assert page.locator("strong", has_text="Bez skripte").count() == 1
    finally:
        context.close()
