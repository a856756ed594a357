"""A member puts herself on the map and posts; another member finds her through the
place's page and the directory (headless Chromium)."""

from __future__ import annotations

import pytest

from board.places.service import load_map
from tests import factories

pytestmark = pytest.mark.browser

SUBMIT = "main form button[type=submit]:not([name=preview])"


def test_member_is_found_through_places_and_people(
    app, page, browser, live_server, browser_login, regulation
):
    load_map()
    amra = factories.make_user(email="amra@example.ba", display_name="Amra Travnička")
    browser_login(page, amra)

    page.goto("/settings")
    page.select_option("#function", "secretary")
    page.select_option("#municipality", "travnik")
    page.fill("#mz", "Dolac na Lašvi")
    page.fill("#bio", "Vodila sam participativno budžetiranje u našoj MZ.")
    page.click(SUBMIT)
    assert page.locator(".flash-success").count() == 1
    assert "Dolac na Lašvi" in page.inner_text(".flash-info")  # proposed, to be confirmed

    page.goto("/c/regulation/new")
    assert page.input_value("#municipality") == "travnik"  # the author's place by default
    page.fill("#title", "Participativni budžet u Travniku")
    page.fill("#body", "Evo kako smo to uradili u MZ Dolac.")
    page.click(SUBMIT)
    assert page.locator("a.tag-place").inner_text() == "Travnik"
    assert "Sekretar MZ" in page.inner_text("article.post .post-head")

    boris = factories.make_user(email="boris@example.ba", display_name="Boris Banjalučki")
    second = browser.new_context(base_url=live_server.base, locale="bs-BA")
    other = second.new_page()
    browser_login(other, boris)
    other.goto("/")
    other.click("nav.main-nav >> text=Mjesta")
    other.click("a[href='/places/travnik']")
    main = other.inner_text("main")
    assert "Amra Travnička" in main and "Participativni budžet u Travniku" in main
    assert "Dolac na Lašvi" in main and "predložena" in main

    other.click("nav.main-nav >> text=Ljudi")
    other.fill("#f-q", "amra")
    other.click("main form.filters button[type=submit]")
    people = other.inner_text("ul.people-list")
    assert "Amra Travnička" in people and "Sekretar MZ" in people and "Travnik" in people
    other.click("a:has-text('Amra Travnička')")
    assert "Amra Travnička" in other.inner_text("h1")
    second.close()
