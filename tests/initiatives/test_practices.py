"""Good practice: moderators mark and unmark with a summary and tags from the category's
list; the collection filters by category, tag and place; search and the feed have it."""

from __future__ import annotations

from sqlalchemy import select

from board.extensions import db
from board.models import ModerationAction, Municipality
from board.models.initiatives import Practice, PracticeTag
from tests import factories
from tests.initiatives.conftest import make_place


def _owned(association, slug="planning"):
    category = factories.category(slug)
    category.association = association
    db.session.commit()
    return category


def test_moderator_marks_with_summary_and_tags(client, login, member, association_a, moderator_a):
    category = _owned(association_a)
    db.session.add_all([PracticeTag(category=category, name=n) for n in ("budžet", "zbor")])
    db.session.commit()
    thread = factories.make_thread(member, category, title="Participativni budžet u MZ Stup")
    login(moderator_a)
    refused = client.post(f"/t/{thread.id}/practice", data={"summary": "S", "tags": ["mars"]})
    assert refused.status_code == 400
    assert "Choose tags from the category's list." in refused.get_data(as_text=True)
    assert client.post(f"/t/{thread.id}/practice", data={"summary": ""}).status_code == 400
    response = client.post(
        f"/t/{thread.id}/practice",
        data={"summary": "Građani odlučili o 20.000 KM; uređen park.", "tags": ["budžet"]},
    )
    assert response.status_code == 302
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "Good practice" in page and "uređen park" in page
    listing = client.get("/practices?tag=budžet").get_data(as_text=True)
    assert "Participativni budžet u MZ Stup" in listing
    assert "Participativni" not in client.get("/practices?tag=zbor").get_data(as_text=True)
    assert "Participativni" in client.get("/practices?category=planning").get_data(as_text=True)
    assert "Participativni" not in client.get("/practices?category=regulation").get_data(
        as_text=True
    )
    assert client.get("/practices?category=nope").status_code == 400
    feed = client.get("/practices/feed.atom")
    assert feed.status_code == 200 and "uređen park" in feed.get_data(as_text=True)
    found = client.get("/api/v1/search", query_string={"q": "budžet", "type": "practice"})
    assert found.get_json()["total"] >= 1
    assert client.post(f"/t/{thread.id}/unpractice").status_code == 302
    assert db.session.scalar(select(Practice)) is None
    actions = db.session.scalars(select(ModerationAction.action)).all()
    assert "practice_mark" in actions and "practice_unmark" in actions


def test_practices_filter_by_place(client, login, member, admin):
    stup = make_place("ilidza", "Ilidža", "MZ Stup")
    other = factories.make_thread(member, title="Druga praksa")
    here = factories.make_thread(member, title="Praksa u Ilidži")
    here.municipality = db.session.get(Municipality, stup.municipality_id)
    db.session.commit()
    login(admin)
    for thread in (other, here):
        client.post(f"/t/{thread.id}/practice", data={"summary": "Dobro urađeno."})
    page = client.get("/practices?place=ilidza").get_data(as_text=True)
    assert "Praksa u Ilidži" in page and "Druga praksa" not in page


def test_member_and_other_association_cannot_mark(
    client, login, member, association_a, moderator_b
):
    category = _owned(association_a)
    thread = factories.make_thread(member, category)
    for user in (member, moderator_b):
        login(user)
        response = client.post(f"/t/{thread.id}/practice", data={"summary": "S"})
        assert response.status_code == 403
    assert db.session.scalar(select(Practice)) is None


def test_admin_edits_a_categorys_tags(client, login, admin, moderator_a):
    login(moderator_a)
    assert client.get("/practices/tags").status_code == 403
    login(admin)
    assert client.get("/practices/tags").status_code == 200
    response = client.post(
        "/practices/tags", data={"category": "planning", "tags": "budžet\nzbor\n\nbudžet\n"}
    )
    assert response.status_code == 302
    names = db.session.scalars(select(PracticeTag.name).order_by(PracticeTag.name)).all()
    assert names == ["budžet", "zbor"]


def test_search_results_show_initiative_status_and_good_practice(
    client, login, member, admin, new_initiative
):
    login(member)
    thread_id = new_initiative(title="Inicijativa o zvjezdarnici")
    practice = factories.make_thread(member, title="Praksa zvjezdarnice")
    login(admin)
    client.post(f"/t/{practice.id}/practice", data={"summary": "Dobro."})
    page = client.get("/search?q=zvjezdarnica").get_data(as_text=True)
    assert "Initiative: Draft" in page and "Good practice" in page
    only = client.get("/search?q=zvjezdarnica&type=initiative").get_data(as_text=True)
    assert "Inicijativa o zvjezdarnici" in only and "Praksa zvjezdarnice" not in only
    assert thread_id
