"""What a reader's browser does with our pages: no script from posts, phones, keyboards."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import factories, hostile
from tests.security import corpus

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "bench" / "out"


def test_hostile_posts_fire_no_script_in_chromium(page, fred, member):
    """Fred's payloads as titles, bodies and a display name: no dialog ever opens."""
    fred.display_name = "\"><img src=x onerror=alert('name')>"
    thread = factories.make_thread(fred, title="<script>alert('title')</script>", body="x")
    payloads = corpus.polyglots() + hostile.MARKDOWN_XSS + corpus.xss("markdown-xss-payloads.txt")
    for chunk in corpus.batches(payloads, 5_000, "\n\n"):
        factories.make_reply(thread, fred, chunk)
    for title in (hostile.XSS + corpus.xss("owasp-rsnake-xss-filter-evasion.txt"))[:60]:
        factories.make_thread(fred, title=title[:200], body=title)
    for path in (f"/t/{thread.id}", "/c/regulation", "/"):
        page.goto(path)
        page.wait_for_load_state("load")
        page.evaluate("() => new Promise(r => setTimeout(r, 300))")  # let onload/onerror run
        # Hovering and focusing is what onmouseover/onfocus payloads wait for.
        for link in page.locator("main a").all()[:30]:
            link.hover()
    assert page.dialogs == []


def test_preview_in_the_browser_runs_no_script(page, browser_login, member):
    browser_login(page, member)
    page.goto("/c/regulation/new")
    page.fill("#body", "<img src=x onerror=alert(1)> [x](javascript:alert(2)) **ok**")
    page.click("button[data-preview-button]")
    page.wait_for_selector("[data-preview]:not([hidden]) strong")
    assert page.locator("[data-preview-body] strong").inner_text() == "ok"
    assert page.locator("[data-preview-body] img").count() == 0
    assert page.locator("[data-preview-body] a[href^='javascript']").count() == 0
    assert page.dialogs == []


# Pages of the other packages, checked the same way (each answers 200 for a guest).
OTHERS = ("/search?q=budžet", "/documents")


def _overflow(page) -> int:
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_pages_fit_a_360px_phone(browser, live_server, member, other_member, browser_login):
    thread = factories.make_thread(
        member,
        title="Dugačak naslov teme o planiranju budžeta mjesne zajednice za narednu godinu",
        body="Veoma_dugačka_riječ_bez_razmaka_" * 6
        + "\n\n| Stavka | Iznos | Napomena |\n|---|---|---|\n| Rasvjeta | 12.000 KM | hitno |",
    )
    factories.make_reply(thread, other_member, "https://example.ba/" + "a" * 150)
    context = browser.new_context(base_url=live_server.base, viewport={"width": 360, "height": 740})
    phone = context.new_page()
    try:
        for path in ("/", "/c/regulation", f"/t/{thread.id}", "/login", "/register", *OTHERS):
            phone.goto(path)
            assert _overflow(phone) <= 0, path
        browser_login(phone, member)
        for path in (f"/t/{thread.id}", "/c/regulation/new", "/settings"):
            phone.goto(path)
            assert _overflow(phone) <= 0, path
        phone.goto(f"/t/{thread.id}")
        SHOTS.mkdir(parents=True, exist_ok=True)
        phone.screenshot(path=str(SHOTS / "thread-360.png"), full_page=True)
    finally:
        context.close()


def _tab_until(page, predicate: str, limit: int = 80) -> bool:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(predicate):
            return True
    return False


def test_keyboard_reaches_search_and_form_controls_with_visible_focus(page, browser_login, member):
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")
    assert _tab_until(page, "document.activeElement.id === 'site-search'")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    shadow = page.evaluate("getComputedStyle(document.activeElement).boxShadow")
    assert outline != "none" or shadow != "none"

    page.goto("/login")
    assert _tab_until(page, "document.activeElement.id === 'email'")
    page.keyboard.type(member.email)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "password"
    page.keyboard.type(factories.PASSWORD)
    assert _tab_until(page, "document.activeElement.type === 'submit'", limit=5)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/login" not in page.url

    page.goto("/c/regulation/new")
    for control in ("title", "body"):
        assert _tab_until(page, f"document.activeElement.id === '{control}'"), control
        page.keyboard.type("Tastatura" if control == "title" else "Samo tastaturom.")
        focus = page.evaluate(
            "(() => { const s = getComputedStyle(document.activeElement);"
            " return s.outlineStyle + '|' + s.boxShadow; })()"
        )
        assert not focus.startswith("none|none"), focus
    assert _tab_until(page, "document.activeElement.type === 'submit'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Tastatura"
