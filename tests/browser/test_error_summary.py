"""A refused form starts with an error summary that is focused on load, on a phone too:
the reason a file was refused is the first thing a member sees, not 1,200 px below."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

SUBMIT = "main form button[type=submit]:not([name=preview])"
PHONE = {"width": 360, "height": 740}


def test_a_refused_upload_is_summarised_at_the_top_and_focused_on_a_phone(
    page, live_server, browser_login, member, tmp_path
):
    program = tmp_path / "zapisnik.pdf"
    program.write_bytes(b"MZ\x90\x00" + b"\x00" * 2000)  # a Windows program named as a PDF
    page.set_viewport_size(PHONE)
    browser_login(page, member)
    page.goto("/c/reporting/new")
    page.fill("#title", "Zapisnik sa zbora")
    page.fill("#body", "U prilogu je zapisnik.")
    page.set_input_files("#files", str(program))
    page.click(SUBMIT)

    summary = page.locator(".error-summary")
    assert summary.count() == 1
    assert "zapisnik.pdf" in summary.inner_text()
    # Focused on load, and so in view at the top of a 360 px screen.
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    box = summary.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]
    assert page.input_value("#body") == "U prilogu je zapisnik."

    # Its link takes the member to the file field itself.
    summary.locator("a", has_text="zapisnik.pdf").click()
    assert page.evaluate("document.activeElement.id") == "files"
    field = page.locator("#files").bounding_box()
    assert field is not None and 0 <= field["y"] < PHONE["height"]


def test_each_refused_field_is_linked_from_the_summary(page, live_server, browser_login, member):
    page.set_viewport_size(PHONE)
    browser_login(page, member)
    page.goto("/c/reporting/new")
    page.click(SUBMIT)  # no title, no body
    links = page.locator(".error-summary a")
    assert sorted(links.evaluate_all("els => els.map(a => a.hash)")) == ["#body", "#title"]
    page.locator(".error-summary a[href='#title']").click()
    assert page.evaluate("document.activeElement.id") == "title"
