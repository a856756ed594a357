"""The audit log and the admin lists on a 360 px phone: nothing wider than the screen,
every row a stacked card, and no word split between two lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from board.extensions import db
from board.models import ModerationAction
from board.moderation import service
from tests import factories

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
SHOTS = Path(__file__).resolve().parents[2] / "bench" / "out"

# Words (up to 20 letters) drawn on more than one line; a longer one may wrap where it must.
BROKEN_WORDS = """() => {
  const broken = [];
  for (const cell of document.querySelectorAll("table.stack td, table.stack tbody th")) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/\\S+/g)) {
        if (match[0].length > 20) continue;
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (tops.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}"""

LAYOUT = """() => [...document.querySelectorAll("table.stack tbody tr")].map(row => ({
  row: getComputedStyle(row).display,
  cells: [...row.children].map(c => getComputedStyle(c).display),
  width: row.getBoundingClientRect().width,
}))"""


def _overflow(page) -> int:
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_audit_log_and_admin_lists_stack_on_a_phone(
    browser, live_server, browser_login, association_a, member
):
    admin = factories.make_user(
        display_name="Administratorica Općinskog vijeća Novo Sarajevo", is_admin=True
    )
    category = factories.make_category(
        "komunalne-usluge", name="Komunalne usluge i infrastruktura", association=association_a
    )
    thread = factories.make_thread(
        member, category, title="Rekonstrukcija javne rasvjete u naselju Dobrinja"
    )
    for verb in ("lock", "pin"):
        service.switch_thread(admin, thread, verb)
    context = browser.new_context(base_url=live_server.base, viewport=PHONE)
    context.add_cookies([{"name": "lang", "value": "bs", "url": live_server.base}])
    phone = context.new_page()
    try:
        browser_login(phone, admin)
        entry = db.session.scalar(select(ModerationAction).order_by(ModerationAction.id))
        for path in (
            "/mod/log",
            f"/mod/log/{entry.id}",
            "/mod",
            "/admin/",
            f"/admin/associations/{association_a.id}",
        ):
            phone.goto(path)
            assert _overflow(phone) <= 0, path
            rows = phone.evaluate(LAYOUT)
            assert rows, f"{path}: no stacked table"
            for row in rows:
                assert row["row"] == "block" and set(row["cells"]) == {"block"}, (path, row)
            assert phone.evaluate(BROKEN_WORDS) == [], path
        phone.goto("/mod/log")
        SHOTS.mkdir(parents=True, exist_ok=True)
        phone.screenshot(path=str(SHOTS / "audit-log-360.png"), full_page=True)
        phone.set_viewport_size({"width": 1280, "height": 900})
        phone.goto("/mod/log")
        rows = phone.evaluate(LAYOUT)
        assert rows and rows[0]["row"] == "table-row", "wide screens keep the table"
    finally:
        context.close()
