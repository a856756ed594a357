"""Every category has someone who moderates it: where no association owns a category, or
its association has no moderator, the admins do, hear of its reports, and the admin pages
say so."""

from __future__ import annotations

import re

from sqlalchemy import select

from board.extensions import db
from board.models import Category, Notification
from tests import factories


def _warning(page: str) -> str:
    match = re.search(r'<div class="notice notice-warning" id="unmoderated-categories">.*?</div>',
                      page, re.S)  # fmt: skip
    return match.group(0) if match else ""


def test_admin_page_warns_about_categories_only_admins_moderate(
    client, login, admin, association_a, moderator_b, association_b
):
    no_moderator = factories.make_category(
        "bez-mod", name="Bez moderatora", association=association_a
    )
    moderated = factories.make_category("s-mod", name="S moderatorom", association=association_b)
    login(admin)
    client.set_cookie("lang", "bs")
    warning = _warning(client.get("/admin/").get_data(as_text=True))
    assert "Učešće građana" in warning and "ne pripada nijednom savezu" in warning
    assert no_moderator.name in warning and "Savez općina A nema moderatora" in warning
    assert moderated.name not in warning


def test_no_warning_once_every_category_has_a_moderator(client, login, admin, association_a):
    factories.make_user(display_name="Mod", moderator_of=association_a)
    login(admin)
    for category in db.session.scalars(select(Category)):
        category.association = association_a
    db.session.commit()
    page = client.get("/admin/").get_data(as_text=True)
    assert _warning(page) == "" and "Moderated by administrators" not in page


def test_association_page_warns_without_a_moderator(client, login, admin, association_a):
    login(admin)
    page = client.get(f"/admin/associations/{association_a.id}").get_data(as_text=True)
    assert 'id="no-moderator"' in page
    factories.make_user(display_name="Mod", moderator_of=association_a)
    page = client.get(f"/admin/associations/{association_a.id}").get_data(as_text=True)
    assert 'id="no-moderator"' not in page


def test_reports_in_an_association_without_moderators_reach_the_admins(
    client, login, admin, association_a, member, other_member
):
    category = factories.make_category("bez-mod", association=association_a)
    thread = factories.make_thread(member, category, title="Tema bez moderatora")
    reply = factories.make_reply(thread, other_member, "Sporna objava.")
    login(member)
    client.post(f"/p/{reply.id}/flag", data={"reason": "spam", "text": "Reklama."})
    kinds = db.session.scalars(
        select(Notification.kind).where(Notification.user_id == admin.id)
    ).all()
    assert "flag" in kinds
    login(admin)
    assert "Sporna objava." in client.get("/mod").get_data(as_text=True)


def test_admin_moderates_the_unowned_founding_category(client, login, admin, member):
    thread = factories.make_thread(member, factories.category("participation"), title="Zbor")
    login(admin)
    assert client.post(f"/t/{thread.id}/lock").status_code == 302
    db.session.refresh(thread)
    assert thread.locked
