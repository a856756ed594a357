"""Reports are grouped by post: one card per reported post listing every report, and one
decision that settles them all with a single audit line."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from board.extensions import db
from board.models import Flag, ModerationAction
from tests import factories


def _flag(client, login, user, post, text, reason="spam"):
    login(user)
    client.post(f"/p/{post.id}/flag", data={"reason": reason, "text": text})


def _cards(page: str) -> list[str]:
    return re.findall(r'<article class="mod-item" id="reported-\d+">.*?</article>', page, re.S)


def test_one_card_per_post_with_every_report(
    client, login, reply_a, thread_a, flaggers, moderator_a, other_member
):
    other = factories.make_reply(thread_a, other_member, "Druga objava za prijavu.")
    _flag(client, login, flaggers[0], reply_a, "Prva prijava")
    _flag(client, login, flaggers[1], reply_a, "Druga prijava", reason="offensive")
    _flag(client, login, flaggers[0], other, "Treća prijava")
    login(moderator_a)
    page = client.get("/mod").get_data(as_text=True)
    cards = _cards(page)
    assert len(cards) == 2
    card = next(c for c in cards if f'id="reported-{reply_a.id}"' in c)
    assert "Prva prijava" in card and "Druga prijava" in card and "Treća prijava" not in card
    assert "Prijavitelj 0" in card and "Prijavitelj 1" in card
    assert "Spam or advertising" in card and "Offensive or abusive" in card
    assert card.count('<form method="post"') == 1 and "2 reports" in card


def test_one_decision_resolves_every_report_with_one_audit_line(
    client, login, reply_a, flaggers, moderator_a
):
    for number, user in enumerate(flaggers[:2]):
        _flag(client, login, user, reply_a, f"Prijava {number}")
    login(moderator_a)
    page = client.get("/mod").get_data(as_text=True)
    action = re.search(r'action="(/mod/flags/\d+)"', _cards(page)[0]).group(1)
    client.post(action, data={"outcome": "hide", "reason": "Reklama."})
    assert db.session.scalar(select(func.count()).where(Flag.resolved_at.is_(None))) == 0
    entries = db.session.scalars(select(ModerationAction)).all()
    assert [e.action for e in entries] == ["hide_post"]
    assert entries[0].after == {"hidden": True, "flags": 2}


def test_dismissing_reports_that_hid_a_post_is_one_audit_line(
    client, login, reply_a, flaggers, moderator_a
):
    for number, user in enumerate(flaggers):  # the third report hides the post
        _flag(client, login, user, reply_a, f"Prijava {number}")
    flag = db.session.scalars(select(Flag)).first()
    login(moderator_a)
    client.post(f"/mod/flags/{flag.id}", data={"outcome": "dismiss", "reason": "U redu je."})
    entries = db.session.scalars(
        select(ModerationAction).where(ModerationAction.actor_id == moderator_a.id)
    ).all()
    assert [e.action for e in entries] == ["dismiss_flags"]
    assert entries[0].before["hidden"] is True and entries[0].after == {
        "flags": 3,
        "hidden": False,
    }
    db.session.refresh(reply_a)
    assert not reply_a.is_hidden


def test_report_page_lists_every_report_on_the_post(client, login, reply_a, flaggers, moderator_a):
    _flag(client, login, flaggers[0], reply_a, "Prva prijava")
    _flag(client, login, flaggers[1], reply_a, "Druga prijava")
    flag = db.session.scalars(select(Flag)).first()
    login(moderator_a)
    page = client.get(f"/mod/flags/{flag.id}").get_data(as_text=True)
    assert "Prva prijava" in page and "Druga prijava" in page and "2 reports" in page
