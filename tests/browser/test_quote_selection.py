"""Quote: a selection inside a post quotes only that part; without one, the whole post."""

from __future__ import annotations

import pytest

from tests import factories

pytestmark = pytest.mark.browser

BODY = "Prvi pasus o budžetu.\n\nDrugi pasus o zboru građana."


def _select(page, post_id: int, text: str) -> None:
    """Select ``text`` inside the post's body, as a reader dragging the mouse would."""
    page.evaluate(
        """([id, text]) => {
          const body = document.querySelector(`#post-${id} .post-body`);
          const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
          let node;
          while ((node = walker.nextNode())) {
            const at = node.textContent.indexOf(text);
            if (at >= 0) {
              const range = document.createRange();
              range.setStart(node, at);
              range.setEnd(node, at + text.length);
              const selection = window.getSelection();
              selection.removeAllRanges();
              selection.addRange(range);
              return;
            }
          }
          throw new Error("text not found");
        }""",
        [post_id, text],
    )


def test_quote_takes_only_the_selected_words(page, live_server, browser_login, member):
    author = factories.make_user(display_name="Amra")
    thread = factories.make_thread(author, body=BODY)
    post_id = factories.first_post(thread).id
    browser_login(page, member)
    page.goto(f"/t/{thread.id}")
    _select(page, post_id, "zboru građana")
    page.locator(f"[data-quote='{post_id}']").click()
    value = page.locator("#reply-form textarea").input_value()
    assert value == "**Amra:**\n> zboru građana\n\n"


def test_quote_without_a_selection_takes_the_whole_post(page, live_server, browser_login, member):
    author = factories.make_user(display_name="Amra")
    thread = factories.make_thread(author, body=BODY)
    post_id = factories.first_post(thread).id
    browser_login(page, member)
    page.goto(f"/t/{thread.id}")
    page.locator(f"[data-quote='{post_id}']").click()
    value = page.locator("#reply-form textarea").input_value()
    assert "> Prvi pasus o budžetu." in value and "> Drugi pasus o zboru građana." in value
