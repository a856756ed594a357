"""A member attaches a PDF, sees it in the thread, finds words from its last page through
search, opens the hit, and downloads the file under its own name, in headless Chromium."""

from __future__ import annotations

import re

import pytest

from board.documents.pdfgen import make_pdf

pytestmark = pytest.mark.browser

SUBMIT = "main form button[type=submit]:not([name=preview])"
NAME = "Izvještaj o radu — Čapljina.pdf"


def test_attach_pdf_find_its_last_page_and_open_the_hit(
    app, page, live_server, browser_login, member, tmp_path
):
    app.config["EXTRACT_WORKER"] = "thread"  # as in production: the upload does not wait
    pdf = tmp_path / NAME
    pdf.write_bytes(
        make_pdf(
            [
                ["Izvještaj o radu savjeta mjesne zajednice", "Čapljina, 2024."],
                ["Održane su četiri sjednice savjeta."],
                ["Na posljednjoj sjednici usvojen je plan asfaltiranja Đurđevdanske ulice."],
            ]
        )
    )
    browser_login(page, member)
    page.goto("/c/reporting/new")
    page.fill("#title", "Izvještaj savjeta za 2024.")
    page.fill("#body", "U prilogu je godišnji izvještaj.")
    page.set_input_files("#files", str(pdf))
    page.click(".document-metadata summary")
    page.fill("#doc_title", "Godišnji izvještaj MZ Čapljina")
    page.select_option("#doc_type", "report")
    page.fill("#doc_municipality", "Čapljina")
    page.click(SUBMIT)
    assert re.search(r"/t/\d+$", page.url)
    thread_url = page.url
    link = page.locator(".post-documents a", has_text="Godišnji izvještaj MZ Čapljina")
    assert link.count() == 1

    item = page.locator(".document-item", has_text="Godišnji izvještaj MZ Čapljina")
    for _ in range(120):  # the background worker reads the text meanwhile
        if item.get_attribute("data-extraction") not in ("pending", "running"):
            break
        page.wait_for_timeout(250)
        page.reload()
    assert item.get_attribute("data-extraction") == "done"

    # The index follows the extraction's commit: give it the moment a person would take.
    for _ in range(40):
        page.goto("/search?q=asfaltiranja+djurdjevdanske+ulice&type=document")
        if page.locator(".search-result-document").count():
            break
        page.wait_for_timeout(250)
    hit = page.locator(".search-result-document").first
    assert "Godišnji izvještaj MZ Čapljina" in hit.inner_text()
    hit.locator("h3 a").click()
    assert re.search(r"/documents/\d+#page=3$", page.url)
    assert "Đurđevdanske ulice" in page.locator("[id='page=3']").inner_text()
    assert page.locator("a", has_text=re.compile("Izvještaj savjeta za 2024")).count() == 1

    with page.expect_download() as download:
        page.click("a.button[download]")
    assert download.value.suggested_filename == NAME

    page.goto(thread_url)
    assert item.get_attribute("data-extraction") == "done"
    app.extensions["documents_worker"].stop()
