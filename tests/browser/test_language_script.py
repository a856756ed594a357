"""Headless Chromium with JavaScript off: one member reads in Serbian Cyrillic, a guest in Croatian.

Both choose through the footer's language form, which must work without JavaScript; the
same posts then read in Cyrillic for one and in Latin for the other.
"""

from __future__ import annotations

import pytest

from tests import factories

pytestmark = pytest.mark.browser

TITLE = "Budžet mjesne zajednice za 2025."
BODY = "Ljudi traže **javnu raspravu** o budžetu. Prijedlog je na https://mreza.ba/budzet."
REPLY = "Одржаћемо збор грађана у сриједу у Дому културе."


@pytest.fixture
def no_js_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.base, java_script_enabled=False, locale="bs-BA"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def choose(page, locale: str, script: str) -> None:
    page.select_option("#language-locale", locale)
    page.select_option("#language-script", script)
    page.click("footer form.language button[type=submit]")
    page.wait_for_load_state()


def test_member_reads_in_serbian_cyrillic_and_guest_in_croatian_latin(
    no_js_page, browser, live_server, member, other_member
):
    thread = factories.make_thread(member, title=TITLE, body=BODY)
    factories.make_reply(thread, other_member, REPLY)

    page = no_js_page
    page.goto("/login")
    page.fill("#email", member.email)
    page.fill("#password", factories.PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"/t/{thread.id}")
    choose(page, "sr", "cyrillic")
    assert page.url.endswith(f"/t/{thread.id}")
    assert page.get_attribute("html", "lang") == "sr-Cyrl"
    assert page.inner_text("h1") == "Буџет мјесне заједнице за 2025."
    posts = page.inner_text("main")
    assert "Људи траже јавну расправу о буџету." in posts
    assert "https://mreza.ba/budzet" in posts  # the link stays as written
    assert "Одржаћемо збор грађана у сриједу у Дому културе." in posts
    assert "Објави одговор" in posts  # interface in Serbian Cyrillic
    assert page.inner_text("nav.main-nav").split("\n")[:2] == ["Категорије", "Документи"]
    page.goto("/")
    assert "Регулатива" in page.inner_text("main")  # category names too

    guest = browser.new_context(base_url=live_server.base, java_script_enabled=False)
    try:
        other = guest.new_page()
        other.goto(f"/t/{thread.id}")
        choose(other, "hr", "latin")
        assert other.get_attribute("html", "lang") == "hr"
        assert other.inner_text("h1") == TITLE
        text = other.inner_text("main")
        assert "Održaćemo zbor građana u srijedu u Domu kulture." in text
        assert "Ljudi traže javnu raspravu o budžetu." in text
        assert "Pretraži forum" in other.content()
        assert "Prijavite se kako biste odgovorili" in text  # Croatian, not Bosnian
        other.goto("/")
        assert "Kategorije" in other.inner_text("nav.main-nav")
        assert "Regulativa" in other.inner_text("main")
    finally:
        guest.close()
