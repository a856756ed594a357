"""A member's chosen file survives a refused new-thread form, in headless Chromium."""

from __future__ import annotations

import re

import pytest

from board.documents.service import human_size
from tests import hostile

pytestmark = pytest.mark.browser

SUBMIT = "main form button[type=submit]:not([name=preview])"
PDF_BYTES = hostile.pdf()


def test_file_chosen_before_a_refusal_is_posted_without_choosing_it_again(
    page, live_server, browser_login, member, tmp_path
):
    pdf = tmp_path / "minimal-document.pdf"
    pdf.write_bytes(PDF_BYTES)
    browser_login(page, member)
    page.goto("/c/reporting/new")
    page.fill("#body", "U prilogu je dokument.")
    page.set_input_files("#files", str(pdf))
    page.click(SUBMIT)  # no title: refused

    assert page.locator("#title[aria-invalid=true]").count() == 1
    staged = page.locator(".staged-uploads li")
    assert staged.count() == 1
    assert f"minimal-document.pdf ({human_size(len(PDF_BYTES))})" in staged.inner_text()
    assert page.input_value("#body") == "U prilogu je dokument."

    page.fill("#title", "Dokument koji nije izgubljen")
    page.click(SUBMIT)
    assert re.search(r"/t/\d+$", page.url)
    assert page.locator(".post-documents a", has_text="minimal-document.pdf").count() >= 1
