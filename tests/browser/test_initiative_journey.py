"""A secretary drafts an initiative, two colleagues from other municipalities support it
on behalf of their MZs, a moderator submits it with the letter and later attaches the
answer, and the answer's text is found by search (headless Chromium)."""

from __future__ import annotations

import pytest

from board.documents.pdfgen import make_pdf
from board.extensions import db
from board.models import Entity, LocalCommunity, Municipality
from tests import factories

pytestmark = pytest.mark.browser

SUBMIT = "main form button[type=submit]:not([name=preview])"
LETTER = make_pdf([["Federalno ministarstvo pravde", "Inicijativa mjesnih zajednica"]])
ANSWER = make_pdf([["Odgovor ministarstva", "Prijedlog uvrštavamo u radnu verziju zakona"]])


def _mz(entity: Entity, slug: str, name: str, mz: str) -> LocalCommunity:
    town = Municipality(slug=slug, name=name, name_cyrillic=name, entity=entity)
    community = LocalCommunity(municipality=town, name=mz, name_key=mz.lower())
    db.session.add_all([town, community])
    db.session.commit()
    return community


def _english(context, live_server) -> None:
    context.add_cookies([{"name": "lang", "value": "en", "url": live_server.base}])


def test_initiative_from_draft_to_searchable_answer(
    app, page, browser, live_server, browser_login, association_a, moderator_a
):
    regulation = factories.category("regulation")
    regulation.association = association_a
    entity = Entity(code="fbih", name="Federacija BiH", name_cyrillic="Федерација БиХ")
    db.session.add(entity)
    stup = _mz(entity, "ilidza", "Ilidža", "MZ Stup")
    doboj = _mz(entity, "kakanj", "Kakanj", "MZ Doboj")
    dolac = _mz(entity, "travnik", "Travnik", "MZ Dolac")
    secretary = factories.make_user(
        display_name="Selma Sekretarka", function="secretary", mz=stup,
        municipality=stup.municipality,
    )  # fmt: skip
    colleagues = [
        factories.make_user(display_name=name, function="president", mz=mz)
        for name, mz in (("Kemal Kakanjac", doboj), ("Tea Travnička", dolac))
    ]

    _english(page.context, live_server)
    browser_login(page, secretary)
    page.goto("/initiatives")
    page.click("main a:has-text('New initiative')")
    page.select_option("#category", "regulation")
    page.fill("#title", "Pravni subjektivitet mjesnih zajednica")
    page.fill("#body", "MZ ne mogu otvoriti račun. Predlažemo izmjenu člana 24.")
    page.select_option("#level", "entity")
    page.fill("#addressee", "Federalno ministarstvo pravde")
    page.fill("#legal_basis", "Zakon o principima lokalne samouprave, član 24.")
    page.click(SUBMIT)
    block = page.locator("section.initiative")
    assert "Draft" in block.inner_text()
    thread_url = page.url
    page.click("section.initiative a:has-text('Change the status')")
    page.select_option("#status", "open")
    page.click(SUBMIT)
    assert "Collecting support" in page.inner_text("section.initiative")

    for colleague in colleagues:
        context = browser.new_context(base_url=live_server.base, locale="bs-BA")
        _english(context, live_server)
        tab = context.new_page()
        browser_login(tab, colleague)
        tab.goto(thread_url)
        tab.check("input[name=on_behalf][value=mz]")
        tab.click("form.support-form button[type=submit]")
        assert "You support this initiative." in tab.inner_text("section.initiative")
        context.close()
    page.reload()
    counts = page.inner_text(".support-counts")
    assert "2 members" in counts and "2 MZs" in counts and "2 municipalities" in counts
    supporters = page.inner_text("details.supporters")
    assert "on behalf of MZ Doboj" in supporters and "Travnik" in supporters

    mod = browser.new_context(base_url=live_server.base, locale="bs-BA")
    _english(mod, live_server)
    tab = mod.new_page()
    browser_login(tab, moderator_a)
    tab.goto(thread_url)
    tab.click("section.initiative a:has-text('Change the status')")
    tab.select_option("#status", "submitted")
    tab.fill("#reference", "01-02-345/26")
    tab.set_input_files(
        "input[name=files]",
        {"name": "dopis.pdf", "mimeType": "application/pdf", "buffer": LETTER},
    )
    tab.click(SUBMIT)
    assert "01-02-345/26" in tab.inner_text("section.initiative")
    tab.click("section.initiative a:has-text('Change the status')")
    tab.select_option("#status", "answered")
    tab.set_input_files(
        "input[name=files]",
        {"name": "odgovor.pdf", "mimeType": "application/pdf", "buffer": ANSWER},
    )
    tab.click(SUBMIT)
    assert "Answered" in tab.inner_text("section.initiative h2")
    assert "odgovor.pdf" in tab.inner_text("main")

    tab.goto("/search?q=radnu+verziju&type=initiative")
    results = tab.inner_text("main")
    assert "odgovor.pdf" in results and "dopis.pdf" not in results
    assert "Pravni subjektivitet mjesnih zajednica" in results
    mod.close()
